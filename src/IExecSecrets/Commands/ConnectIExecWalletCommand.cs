using System.Management.Automation;
using IExecSecrets.Completers;
using System.Security;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.Output;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Connects the wallet that signs SMS pushes and transactions in this session.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "IExecWallet", DefaultParameterSetName = PathParameterSet)]
[OutputType(typeof(IExecWallet))]
public sealed class ConnectIExecWalletCommand : IExecCmdlet
{
    private const string PathParameterSet = "Path";
    private const string AddressParameterSet = "Address";
    private const string VaultParameterSet = "Vault";
    private const string PrivateKeyParameterSet = "PrivateKey";

    /// <summary>A keystore v3 file (as written by <c>iexec wallet create</c> or <c>New-IExecWallet</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The account whose most recent keystore file is looked up in the keystore directory, like <c>--wallet-address</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AddressParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeystoreAddressCompleter))]
    public string Address { get; set; } = string.Empty;

    /// <summary>Where to look for keystore files; default the iexec CLI's global folder (~/.ethereum/keystore on Linux).</summary>
    [Parameter(ParameterSetName = AddressParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? KeystoreDirectory { get; set; }

    /// <summary>The keystore password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathParameterSet)]
    [Parameter(Mandatory = true, ParameterSetName = AddressParameterSet)]
    public SecureString Password { get; set; } = null!;

    /// <summary>The SecretManagement vault holding the wallet.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>The vault secret holding the wallet: a private key, a {Keystore, Password} or {PrivateKey} Hashtable, or a PSCredential.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [Alias("SecretName")]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>The private key as 64 hex digits (0x optional).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PrivateKeyParameterSet)]
    public SecureString PrivateKey { get; set; } = null!;

    /// <summary>Decrypts or parses the key, replaces the session's wallet (zeroing the old key) and writes the new one.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var wallet = ParameterSetName switch
            {
                PathParameterSet => FromKeystoreFile(GetUnresolvedProviderPathFromPSPath(Path)),
                AddressParameterSet => FromKeystoreFile(FindKeystore()),
                VaultParameterSet => FromVault(),
                _ => new ConnectedWallet(SecureStrings.UseChars(PrivateKey, chars => WalletKey.FromHex(chars.Span)), "PrivateKey", null, DateTimeOffset.Now),
            };
            WalletSession.Connect(wallet);
            WriteVerbose($"Connected wallet {wallet.Address} ({wallet.Source}).");
            WriteObject(WalletOutput.Describe(wallet, ParameterSetName == VaultParameterSet ? $"{Vault}/{VaultSecretName}" : null));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private string FindKeystore()
    {
        var address = AddressInput.Parse(Address, nameof(Address));
        return KeystoreFiles.Folder(this, KeystoreDirectory).FindByAddress(address.ToString());
    }

    private ConnectedWallet FromKeystoreFile(string path)
    {
        var key = KeystoreFiles.Decrypt(path, Password);
        return new ConnectedWallet(key, "Keystore", path, DateTimeOffset.Now);
    }

    private ConnectedWallet FromVault()
    {
        var value = new VaultSecretReader(InvokeCommand).ReadObject(VaultSecretName, Vault);
        var key = VaultWallet.ToWalletKey(value, VaultSecretName);
        return new ConnectedWallet(key, "Vault", null, DateTimeOffset.Now);
    }
}
