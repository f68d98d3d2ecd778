using IExecSecrets.Completers;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Creates a new wallet, as an iexec-CLI-compatible keystore file or straight into a SecretManagement vault.
/// </summary>
/// <remarks>
/// <para>Generates a new private key from the operating system's random generator.</para>
/// <para>With -Password, writes it as a keystore v3 file (scrypt, as ethers and the iexec CLI write it) named
/// UTC--&lt;date&gt;--&lt;address&gt; in the keystore folder, readable by the owner only (0600; a new folder is
/// created 0700). The file is written to a temporary name, flushed to disk and then linked under its final name, so an
/// interrupted write never leaves a partial keystore and an existing file is never replaced (WalletAlreadyExists).
/// With -Vault and
/// -SecretName, stores the key as a SecureString in a SecretManagement vault through Set-Secret -NoClobber, so no
/// key is ever written to disk in clear and an existing secret is never overwritten.</para>
/// <para>-WhatIf shows what would be written and writes nothing.</para>
/// </remarks>
/// <example>
/// <code>New-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet -Connect</code>
/// <para>Creates a wallet whose key lives only in the vault MyVault and connects it.</para>
/// </example>
/// <example>
/// <code>New-IExecWallet -Password (Read-Host -AsSecureString) -KeystoreDirectory ./keys</code>
/// <para>Creates a keystore file in ./keys that the iexec CLI can use with --keystoredir ./keys.</para>
/// </example>
/// <input type="None.">None.</input>
/// <output type="IExecSecrets.Output.IExecWallet">IExecSecrets.Output.IExecWallet: the new address and where the
/// key was stored.</output>
[Cmdlet(VerbsCommon.New, "IExecWallet", DefaultParameterSetName = KeystoreParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/New-IExecWallet.md")]
[OutputType(typeof(IExecWallet))]
public sealed class NewIExecWalletCommand : IExecCmdlet
{
    private const string KeystoreParameterSet = "Keystore";
    private const string VaultParameterSet = "Vault";

    /// <summary>The password that encrypts the new keystore file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeystoreParameterSet)]
    public SecureString Password { get; set; } = null!;

    /// <summary>
    /// The folder to write the keystore into. Default: the iexec CLI's global keystore folder (~/.ethereum/keystore on
    /// Linux).
    /// </summary>
    [Parameter(ParameterSetName = KeystoreParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? KeystoreDirectory { get; set; }

    /// <summary>The SecretManagement vault to store the new private key in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>
    /// The vault secret name for the key. If a secret of that name exists the command fails with WalletAlreadyExists
    /// and leaves it untouched.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [Alias("SecretName")]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>Also connects the new wallet in this session, as Connect-IExecWallet would.</summary>
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
                var connected = new ConnectedWallet(key, wallet.Source, wallet.KeystorePath, DateTimeOffset.Now,
                    ParameterSetName == VaultParameterSet ? new Core.Sms.VaultSecretRef(Vault, VaultSecretName) : null);
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
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
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

        var json = SecureStrings.UseUtf8Bytes(Password, passwordBytes => KeystoreV3.Encrypt(key, passwordBytes, options: null, CancellationToken));
        var path = folder.Save(json, key.Address, createdAt);
        return new IExecWallet { Address = key.Address.ToString(), Source = "Keystore", KeystorePath = path };
    }

    private IExecWallet? SaveToVault(WalletKey key)
    {
        new VaultSecretWriter(InvokeCommand).EnsureWritable();
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

            new VaultSecretWriter(InvokeCommand).Write(Vault, VaultSecretName, hex, noClobber: true, ErrorIds.WalletAlreadyExists);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
            CryptographicOperations.ZeroMemory(hex);
        }

        return new IExecWallet { Address = key.Address.ToString(), Source = "Vault", VaultSecret = $"{Vault}/{VaultSecretName}" };
    }
}
