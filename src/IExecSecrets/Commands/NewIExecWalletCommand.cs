using System.Management.Automation;
using IExecSecrets.Completers;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.Output;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Creates a new wallet, as an iexec-CLI-compatible keystore file or straight into a SecretManagement vault.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "IExecWallet", DefaultParameterSetName = KeystoreParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecWallet))]
public sealed class NewIExecWalletCommand : IExecCmdlet
{
    private const string KeystoreParameterSet = "Keystore";
    private const string VaultParameterSet = "Vault";

    /// <summary>The password that encrypts the keystore file (scrypt, as ethers and the iexec CLI write it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeystoreParameterSet)]
    public SecureString Password { get; set; } = null!;

    /// <summary>The folder to write the keystore into; default the iexec CLI's global keystore folder.</summary>
    [Parameter(ParameterSetName = KeystoreParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? KeystoreDirectory { get; set; }

    /// <summary>The SecretManagement vault to store the private key in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>The vault secret name for the key; an existing secret of that name is never overwritten.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [Alias("SecretName")]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>Also connects the new wallet in this session.</summary>
    [Parameter]
    public SwitchParameter Connect { get; set; }

    /// <summary>Generates the key, stores it after confirmation, and writes the new wallet's description.</summary>
    protected override void EndProcessing()
    {
        var key = WalletKey.Generate();
        var keepKey = false;
        try
        {
            var address = key.Address;
            var wallet = ParameterSetName == VaultParameterSet ? SaveToVault(key) : SaveToKeystore(key);
            if (wallet is null)
            {
                return;
            }

            if (Connect)
            {
                var connected = new ConnectedWallet(key, wallet.Source, wallet.KeystorePath, DateTimeOffset.Now);
                WalletSession.Connect(connected);
                keepKey = true;
                wallet = WalletOutput.Describe(connected, wallet.VaultSecret);
            }

            WriteVerbose($"Created wallet {address}.");
            WriteObject(wallet);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
        finally
        {
            if (!keepKey)
            {
                key.Dispose();
            }
        }
    }

    private IExecWallet? SaveToKeystore(WalletKey key)
    {
        var folder = KeystoreFiles.Folder(this, KeystoreDirectory);
        var createdAt = DateTimeOffset.UtcNow;
        var target = System.IO.Path.Combine(folder.Path, Core.Wallet.KeystoreDirectory.FileNameFor(key.Address, createdAt));
        if (!ShouldProcess(target, $"Create keystore file for new wallet {key.Address}"))
        {
            return null;
        }

        var json = SecureStrings.UseUtf8Bytes(Password, passwordBytes => KeystoreV3.Encrypt(key, passwordBytes));
        var path = folder.Save(json, key.Address, createdAt);
        return new IExecWallet { Address = key.Address.ToString(), Source = "Keystore", KeystorePath = path };
    }

    private IExecWallet? SaveToVault(WalletKey key)
    {
        var reader = new VaultSecretReader(InvokeCommand);
        reader.EnsureWritable();
        if (!ShouldProcess($"{VaultSecretName} in vault {Vault}", $"Store the private key of new wallet {key.Address}"))
        {
            return null;
        }

        var keyBytes = new byte[32];
        var hex = new byte[66];
        try
        {
            key.CopyPrivateKeyTo(keyBytes);
            hex[0] = (byte)'0';
            hex[1] = (byte)'x';
            for (var i = 0; i < 32; i++)
            {
                hex[2 + (2 * i)] = (byte)"0123456789abcdef"[keyBytes[i] >> 4];
                hex[3 + (2 * i)] = (byte)"0123456789abcdef"[keyBytes[i] & 0xF];
            }

            using var secure = SecureStrings.FromUtf8Bytes(hex);
            using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            powershell.AddCommand(VaultSecretReader.SetSecretCommand)
                .AddParameter("Name", VaultSecretName)
                .AddParameter("SecureStringSecret", secure)
                .AddParameter("Vault", Vault)
                .AddParameter("NoClobber", true)
                .AddParameter("Confirm", false);
            var (_, errors) = VaultSecretReader.Invoke(powershell);
            if (errors.Count > 0)
            {
                // A taken name (NoClobber), a missing or locked vault: this module's id, never a raw terminating error.
                throw VaultSecretReader.MapFailure(errors, VaultSecretName, Vault, writing: true);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
            CryptographicOperations.ZeroMemory(hex);
        }

        return new IExecWallet { Address = key.Address.ToString(), Source = "Vault", VaultSecret = $"{Vault}/{VaultSecretName}" };
    }
}
