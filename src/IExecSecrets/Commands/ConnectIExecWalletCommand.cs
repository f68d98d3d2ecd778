using IExecSecrets.Completers;
using System.Security;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>Connects the wallet that signs SMS pushes and transactions in this session.</summary>
/// <remarks>
/// <para>Decrypts or reads an Ethereum private key and keeps it in memory for the current PowerShell session
/// (runspace) only. Any wallet connected before is disconnected and its key zeroed.</para>
/// <para>The key can come from a keystore v3 file (as written by iexec wallet create or New-IExecWallet) with
/// -Path and -Password, from the most recent keystore of an address in the keystore folder with -Address (like
/// the CLI's --wallet-address), from a SecretManagement vault with -Vault and -SecretName, or from a SecureString
/// with -PrivateKey. The key is never written to disk, to the command line or to any output stream.</para>
/// <para>A vault secret may hold the private key as a SecureString or string (64 hex digits, 0x optional) or as
/// 32 raw bytes, a PSCredential whose password is the private key, a Hashtable with a PrivateKey entry, or a
/// Hashtable with Keystore (the keystore JSON) and Password entries.</para>
/// <para>A keystore is checked before any key derivation: scrypt needs n a power of two, r and p at most 64,
/// 128·n·r at most 256 MiB and n·r·p at most 2^22 (geth's standard files, twice over); pbkdf2 needs c at most 2^22.
/// A file outside those bounds, malformed, or whose address field is not its key's address fails with
/// InvalidKeystore naming the parameter; with -Address the key must also be that account's. A file without an
/// address field connects with a warning that shows the address derived from its key. Ctrl+C stops a slow key
/// derivation at once.</para>
/// </remarks>
/// <example>
/// <code>Connect-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet</code>
/// <para>Reads the wallet from the SecretManagement vault MyVault and connects it; the key is never typed and
/// never stored in clear on disk.</para>
/// </example>
/// <example>
/// <code>Connect-IExecWallet -Address 0xFCAd0B19bB29D4674531d6f115237E16AfCE377c -Password (Read-Host -AsSecureString)</code>
/// <para>Finds the most recent keystore file of the address in ~/.ethereum/keystore, asks for its password with a
/// masked prompt and connects it.</para>
/// </example>
/// <example>
/// <code>Connect-IExecWallet ./wallet/UTC--2026-11-23T23-09-04.352000000Z--FCAd0B19bB29D4674531d6f115237E16AfCE377c -Password $password</code>
/// <para>Decrypts the given keystore file with the password in $password (a SecureString).</para>
/// </example>
/// <input type="None.">None. This cmdlet does not accept pipeline input.</input>
/// <output type="IExecSecrets.Output.IExecWallet">IExecSecrets.Output.IExecWallet: the connected address, where
/// the key came from, and when.</output>
[Cmdlet(VerbsCommunications.Connect, "IExecWallet", DefaultParameterSetName = PathParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Connect-IExecWallet.md")]
[OutputType(typeof(IExecWallet))]
public sealed class ConnectIExecWalletCommand : IExecCmdlet
{
    private const int KeyDerivationActivityId = 1;

    private const string PathParameterSet = "Path";
    private const string AddressParameterSet = "Address";
    private const string VaultParameterSet = "Vault";
    private const string PrivateKeyParameterSet = "PrivateKey";

    /// <summary>A keystore v3 file to decrypt.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// The account to look up in the keystore folder: the most recent file named UTC--&lt;date&gt;--&lt;address&gt; is
    /// decrypted. A malformed address fails with InvalidAddress.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = AddressParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeystoreAddressCompleter))]
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// The folder searched with -Address. Default: the iexec CLI's global keystore folder (~/.ethereum/keystore on
    /// Linux).
    /// </summary>
    [Parameter(ParameterSetName = AddressParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? KeystoreDirectory { get; set; }

    /// <summary>The keystore password. A wrong password fails with WrongKeystorePassword.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathParameterSet)]
    [Parameter(Mandatory = true, ParameterSetName = AddressParameterSet)]
    public SecureString Password { get; set; } = null!;

    /// <summary>The SecretManagement vault that holds the wallet.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>The name of the vault secret that holds the wallet.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultParameterSet)]
    [Alias("SecretName")]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>The private key as 64 hex digits, 0x optional. An invalid key fails with InvalidPrivateKey.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PrivateKeyParameterSet)]
    public SecureString PrivateKey { get; set; } = null!;

    /// <summary>Decrypts or parses the key, replaces the session's wallet (zeroing the old key) and writes the new one.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var wallet = ParameterSetName switch
            {
                PathParameterSet => FromKeystoreFile(GetUnresolvedProviderPathFromPSPath(Path), expected: null),
                AddressParameterSet => FromKeystoreFile(FindKeystore(out var expected), expected),
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
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C during the key derivation: the KDF polls the token, so this comes within milliseconds.
            throw new PipelineStoppedException();
        }
    }

    private string FindKeystore(out Core.Crypto.EthAddress expected)
    {
        expected = AddressInput.Parse(Address, nameof(Address));
        return KeystoreFiles.Folder(this, KeystoreDirectory).FindByAddress(expected.ToString());
    }

    private ConnectedWallet FromKeystoreFile(string path, Core.Crypto.EthAddress? expected)
    {
        // The key derivation of a keystore takes up to seconds (scrypt at the largest parameters the bounds admit):
        // say so, and that Ctrl+C stops it.
        var progress = new ProgressRecord(KeyDerivationActivityId, "Connecting the wallet", $"Deriving the key of {System.IO.Path.GetFileName(path)} (Ctrl+C stops it)");
        WriteProgress(progress);
        WalletKey key;
        Core.Crypto.EthAddress? declared;
        try
        {
            key = KeystoreFiles.Decrypt(path, Password, CancellationToken, out declared);
        }
        finally
        {
            // A stopped pipeline takes no more records (and its host clears the bar).
            if (!CancellationToken.IsCancellationRequested)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }
        // The file was picked by the address in its name; a file whose key is another account's (its own address
        // field agreeing with the key, or absent) must not be connected in place of the one asked for.
        if (expected is { } wanted && key.Address != wanted)
        {
            var actual = key.Address;
            key.Dispose();
            throw new IExecException(ErrorIds.InvalidKeystore,
                $"The keystore file {path} is named for {wanted} but holds the key of {actual}.", target: path);
        }

        if (declared is null)
        {
            WriteWarning($"The keystore file {path} has no address field; the address derived from its key is {key.Address}.");
        }

        return new ConnectedWallet(key, "Keystore", path, DateTimeOffset.Now);
    }

    private ConnectedWallet FromVault()
    {
        var value = new VaultSecretReader(InvokeCommand).ReadObject(VaultSecretName, Vault);
        var key = VaultWallet.ToWalletKey(value, VaultSecretName, CancellationToken);
        return new ConnectedWallet(key, "Vault", null, DateTimeOffset.Now, new Core.Sms.VaultSecretRef(Vault, VaultSecretName));
    }
}
