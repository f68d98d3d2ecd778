using System.Security;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets;

/// <summary>
/// The wallet cmdlets' view of keystore files; the layout, lookup and file rules are Core's
/// <see cref="KeystoreDirectory"/> (the iexec CLI 8.24 ones), this adds only the PowerShell parts: provider paths and
/// SecureString passwords.
/// </summary>
internal static class KeystoreFiles
{
    /// <summary>
    /// The folder a <c>-KeystoreDirectory</c> value names, resolved against the current PowerShell location, or the
    /// CLI's global folder (<c>~/.ethereum/keystore</c> on Linux) when it is null.
    /// </summary>
    public static KeystoreDirectory Folder(PSCmdlet cmdlet, string? keystoreDirectory) =>
        keystoreDirectory is null
            ? KeystoreDirectory.Global()
            : new KeystoreDirectory(cmdlet.GetUnresolvedProviderPathFromPSPath(keystoreDirectory));

    /// <summary>
    /// Reads and decrypts <paramref name="path"/> with <paramref name="password"/> (WalletNotFound, InvalidKeystore,
    /// WrongKeystorePassword); the password bytes are zeroed before returning. The key derivation stops with
    /// <see cref="OperationCanceledException"/> soon after <paramref name="cancellationToken"/> is cancelled (Ctrl+C).
    /// <paramref name="declared"/> is the file's own <c>address</c>, null when it has none.
    /// </summary>
    public static WalletKey Decrypt(string path, SecureString password, CancellationToken cancellationToken, out Core.Crypto.EthAddress? declared)
    {
        var json = KeystoreDirectory.ReadWalletFile(path);
        declared = KeystoreV3.DeclaredAddress(json);
        return SecureStrings.UseUtf8Bytes(password, passwordBytes => KeystoreV3.Decrypt(json, passwordBytes, cancellationToken));
    }
}
