using System.Collections;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.SecretManagement;

namespace IExecSecrets;

/// <summary>
/// Turns what a vault holds for a wallet into a key. Accepted shapes: a private key as SecureString or string (64 hex
/// digits, 0x optional) or as 32 raw bytes; a PSCredential whose password is the private key; a Hashtable with a
/// <c>PrivateKey</c> entry, or with <c>Keystore</c> (the keystore v3 JSON) and <c>Password</c> entries.
/// </summary>
internal static class VaultWallet
{
    /// <summary>
    /// Builds the wallet key from <paramref name="value"/>, or throws InvalidVaultWallet naming the secret. A keystore's
    /// key derivation honours <paramref name="cancellationToken"/> (<see cref="OperationCanceledException"/>).
    /// </summary>
    public static WalletKey ToWalletKey(object value, string secretName, CancellationToken cancellationToken = default)
    {
        switch (value)
        {
            case PSObject wrapped:
                return ToWalletKey(wrapped.BaseObject, secretName, cancellationToken);
            case SecureString secure:
                return SecureStrings.UseChars(secure, chars => WalletKey.FromHex(chars.Span));
            case string text:
                return WalletKey.FromHex(text);
            case byte[] raw when raw.Length == 32:
                return WalletKey.FromPrivateKey(raw);
            case byte[] raw:
                return FromUtf8Hex(raw);
            case PSCredential credential:
                return ToWalletKey(credential.Password, secretName);
            case NetworkCredential network:
                return ToWalletKey(network.SecurePassword, secretName);
            case Hashtable table:
                if (VaultSecretReader.TryGetEntry(table, "PrivateKey", out var privateKey) && privateKey is not null)
                {
                    return ToWalletKey(privateKey, secretName, cancellationToken);
                }

                if (VaultSecretReader.TryGetEntry(table, "Keystore", out var keystore) && keystore is not null
                    && VaultSecretReader.TryGetEntry(table, "Password", out var password) && password is not null)
                {
                    return FromKeystore(keystore, password, secretName, cancellationToken);
                }

                throw Invalid(secretName, "a Hashtable without a 'PrivateKey' entry or 'Keystore' and 'Password' entries");
            default:
                throw Invalid(secretName, $"a value of type {value.GetType().Name}");
        }
    }

    private static WalletKey FromUtf8Hex(byte[] utf8Hex)
    {
        var chars = new char[Encoding.UTF8.GetCharCount(utf8Hex)];
        try
        {
            Encoding.UTF8.GetChars(utf8Hex, chars);
            return WalletKey.FromHex(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static WalletKey FromKeystore(object keystore, object password, string secretName, CancellationToken cancellationToken)
    {
        var jsonBytes = VaultSecretReader.ToBytes(keystore, secretName);
        var passwordBytes = VaultSecretReader.ToBytes(password, secretName);
        try
        {
            // The keystore JSON is ciphertext; only the password is sensitive here.
            return KeystoreV3.Decrypt(Encoding.UTF8.GetString(jsonBytes), passwordBytes, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private static IExecException Invalid(string secretName, string what) => new(
        ErrorIds.InvalidVaultWallet,
        $"The vault secret '{secretName}' is {what}; expected a private key (SecureString, string or byte[]), a PSCredential whose password is the key, or a Hashtable with PrivateKey or Keystore and Password.",
        secretName);
}
