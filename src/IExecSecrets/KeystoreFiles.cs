using System.Management.Automation;
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
    /// WrongKeystorePassword); the password bytes are zeroed before returning.
    /// </summary>
    public static WalletKey Decrypt(string path, SecureString password)
    {
        var json = KeystoreDirectory.ReadWalletFile(path);
        return SecureStrings.UseUtf8Bytes(password, passwordBytes => KeystoreV3.Decrypt(json, passwordBytes));
    }
}
