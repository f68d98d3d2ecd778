using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Core.Results;

/// <summary>
/// iExec's encrypted result archive, as the TEE post-compute writes it (iexec-common <c>EncryptionHelper.encryptData</c>
/// and <c>CipherUtils</c>, tee-worker-post-compute-rust <c>encrypt_data</c>) and <c>iexec result decrypt</c> (SDK 8.24
/// <c>decryptResult</c>) opens it: a zip holding
/// <list type="bullet">
/// <item><c>iexec_out.zip.aes</c>: a random 16-byte IV, then the zip of IEXEC_OUT encrypted with AES-256-CBC and
/// PKCS#7 padding under a fresh random 32-byte key;</item>
/// <item><c>aes-key.rsa</c>: that AES key encrypted with the beneficiary's RSA public key, PKCS#1 v1.5 padding, raw
/// bytes.</item>
/// </list>
/// The beneficiary's public key reaches the enclave as the web2 secret <c>iexec-result-encryption-public-key</c>, whose
/// value is the base64 of its PEM text. Decryption also opens the SDK's legacy form (a base64 RSA block holding a
/// base64 AES-128 key, and a base64 AES-128-ECB payload), as <c>decryptResult</c> does.
/// </summary>
/// <remarks>
/// The format has no MAC: AES-CBC alone does not tell a changed ciphertext from the right one. What is checked instead:
/// the RSA block must unpad to a 32-byte (or legacy 16-byte) key, the AES payload must unpad, and the plaintext must be
/// a zip archive whose every entry inflates to the CRC-32 its directory states, within the caps of
/// <see cref="ResultDownloadOptions"/>. A random change of any ciphertext byte fails one of these, with
/// <see cref="ErrorIds.ResultDecryptionFailed"/>. Whoever knows the public key (it is public) can still make an
/// archive of their own that passes: the format authenticates nothing about its author.
/// </remarks>
public static class ResultEncryption
{
    /// <summary>The archive entry holding the RSA-encrypted AES key.</summary>
    public const string KeyEntryName = "aes-key.rsa";

    /// <summary>The archive entry holding the IV and the AES-encrypted result zip.</summary>
    public const string PayloadEntryName = "iexec_out.zip.aes";

    /// <summary>The largest <c>aes-key.rsa</c> the SDK reads (1000 bytes).</summary>
    public const int MaxKeyEntryBytes = 1000;

    private const int IvBytes = 16;
    private const int BufferBytes = 1 << 16;

    /// <summary>The SMS value of a public key: the base64 of its PEM text (UTF-8), as <c>iexec result push-encryption-key</c> sends it.</summary>
    public static string ToSmsValue(string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(publicKeyPem));
    }

    /// <summary>
    /// Reads a public key as the post-compute enclave does: <paramref name="smsValue"/> is base64 of a SubjectPublicKeyInfo
    /// PEM (<c>-----BEGIN PUBLIC KEY-----</c>). Anything else is <see cref="ErrorIds.InvalidResultEncryptionKey"/>.
    /// </summary>
    public static RSA ReadSmsPublicKey(string smsValue, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(smsValue);
        string pem;
        try
        {
            pem = Encoding.UTF8.GetString(Convert.FromBase64String(smsValue));
        }
        catch (FormatException)
        {
            throw InvalidPublicKey(target, "it is not base64 (the SMS holds the base64 of the PEM text)");
        }
        return ReadPublicKeyPem(pem, target);
    }

    /// <summary>Reads a SubjectPublicKeyInfo PEM RSA public key; anything else is <see cref="ErrorIds.InvalidResultEncryptionKey"/>.</summary>
    public static RSA ReadPublicKeyPem(string pem, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "PUBLIC KEY")
        {
            throw InvalidPublicKey(target, "it holds no -----BEGIN PUBLIC KEY----- block");
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]), out _);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            rsa.Dispose();
            throw InvalidPublicKey(target, "it is not an RSA SubjectPublicKeyInfo key");
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plainZip"/> (the zip of IEXEC_OUT) for <paramref name="publicKey"/> and writes the
    /// encrypted archive to <paramref name="output"/>, as iExec's post-compute does.
    /// </summary>
    public static void Encrypt(Stream plainZip, RSA publicKey, Stream output)
    {
        ArgumentNullException.ThrowIfNull(plainZip);
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(output);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
            var payload = archive.CreateEntry(PayloadEntryName, CompressionLevel.Fastest);
            using (var entry = payload.Open())
            {
                var iv = RandomNumberGenerator.GetBytes(IvBytes);
                entry.Write(iv);
                using var aes = Aes.Create();
                using var encryptor = aes.CreateEncryptor(key, iv);
                using var crypto = new CryptoStream(entry, encryptor, CryptoStreamMode.Write, leaveOpen: true);
                plainZip.CopyTo(crypto, BufferBytes);
                crypto.FlushFinalBlock();
            }
            var keyEntry = archive.CreateEntry(KeyEntryName, CompressionLevel.Fastest);
            using var keyStream = keyEntry.Open();
            keyStream.Write(publicKey.Encrypt(key, RSAEncryptionPadding.Pkcs1));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// True when <paramref name="zipPath"/> is an encrypted result: a zip with the entries <see cref="KeyEntryName"/> and
    /// <see cref="PayloadEntryName"/> (what <c>decryptResult</c> looks for). False for any other zip or a file that is no zip.
    /// </summary>
    public static bool IsEncryptedArchive(string zipPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            return archive.GetEntry(KeyEntryName) is not null && archive.GetEntry(PayloadEntryName) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decrypts the encrypted result <paramref name="encryptedZipPath"/> with <paramref name="key"/> into
    /// <paramref name="outputPath"/> (created or replaced) and checks the plaintext is a sound zip archive within
    /// <paramref name="options"/>' caps (every entry's CRC-32, sizes, no links). Returns the plain archive's size. Any
    /// failure is <see cref="ErrorIds.ResultDecryptionFailed"/> (or the cap's own id) naming <paramref name="target"/>,
    /// and leaves no <paramref name="outputPath"/> behind.
    /// </summary>
    public static long Decrypt(string encryptedZipPath, ResultDecryptionKey key, string outputPath, ResultDownloadOptions? options = null, object? target = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(encryptedZipPath);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= new ResultDownloadOptions();
        target ??= encryptedZipPath;
        try
        {
            using (var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                DecryptTo(encryptedZipPath, key, output, options, target);
            }
            ArchiveCheck.Verify(outputPath, options, target);
            return new FileInfo(outputPath).Length;
        }
        catch
        {
            try
            {
                File.Delete(outputPath);
            }
            catch (IOException)
            {
                // The failure is what matters; a half-written plaintext the OS still holds is removed with its folder.
            }
            throw;
        }
    }

    private static void DecryptTo(string encryptedZipPath, ResultDecryptionKey key, Stream output, ResultDownloadOptions options, object target)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(encryptedZipPath);
        }
        catch (InvalidDataException)
        {
            throw Failed(target, "Failed to load encrypted results zip file: it is not a zip archive");
        }
        using (archive)
        {
            var keyEntry = archive.GetEntry(KeyEntryName) ?? throw Failed(target, $"Missing {KeyEntryName} file in zip input file");
            var payloadEntry = archive.GetEntry(PayloadEntryName) ?? throw Failed(target, $"Missing {PayloadEntryName} file in zip input file");
            if (keyEntry.Length > MaxKeyEntryBytes) throw Failed(target, $"{KeyEntryName} is too large");
            if (payloadEntry.Length > options.MaxDownloadBytes) throw Failed(target, $"{PayloadEntryName} is too large");

            var aesKey = UnwrapKey(ReadSmall(keyEntry, target), key, target);
            try
            {
                using var payload = payloadEntry.Open();
                using var aes = Aes.Create();
                Stream cipherText = payload;
                ICryptoTransform decryptor;
                if (aesKey.Length == 32)
                {
                    // The current form: the IV is the payload's first 16 bytes.
                    var iv = new byte[IvBytes];
                    if (payload.ReadAtLeast(iv, IvBytes, throwOnEndOfStream: false) < IvBytes) throw Failed(target, $"{PayloadEntryName} is shorter than its IV");
                    decryptor = aes.CreateDecryptor(aesKey, iv);
                }
                else
                {
                    // The legacy form: AES-128-ECB over the base64 text of the payload.
                    aes.Mode = CipherMode.ECB;
                    decryptor = aes.CreateDecryptor(aesKey, null);
                    cipherText = new CryptoStream(payload, new FromBase64Transform(FromBase64TransformMode.IgnoreWhiteSpaces), CryptoStreamMode.Read);
                }
                using (decryptor)
                using (var plain = new CryptoStream(cipherText, decryptor, CryptoStreamMode.Read))
                {
                    var buffer = new byte[BufferBytes];
                    long total = 0;
                    int read;
                    while ((read = plain.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += read;
                        if (total > options.MaxDownloadBytes) throw Failed(target, $"{PayloadEntryName} decrypts to more than {options.MaxDownloadBytes} bytes");
                        output.Write(buffer, 0, read);
                    }
                }
                if (!ReferenceEquals(cipherText, payload)) cipherText.Dispose();
            }
            catch (CryptographicException)
            {
                throw Failed(target, "Failed to decrypt results with decrypted results key: the archive was changed, truncated or encrypted for another key");
            }
            catch (InvalidDataException)
            {
                throw Failed(target, $"{PayloadEntryName} cannot be read from the archive: it is damaged");
            }
            catch (FormatException)
            {
                throw Failed(target, "Failed to decrypt results with decrypted results key: the legacy base64 payload is damaged");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(aesKey);
            }
        }
    }

    // The AES key in aes-key.rsa: the raw RSA block (current), else a base64 RSA block holding a base64 key (legacy).
    private static byte[] UnwrapKey(byte[] block, ResultDecryptionKey key, object target)
    {
        byte[]? unwrapped = null;
        try
        {
            unwrapped = key.Decrypt(block);
        }
        catch (CryptographicException)
        {
            try
            {
                var legacy = key.Decrypt(Convert.FromBase64String(Encoding.ASCII.GetString(block)));
                try
                {
                    unwrapped = Convert.FromBase64String(Encoding.ASCII.GetString(legacy));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(legacy);
                }
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                unwrapped = null;
            }
        }
        if (unwrapped is null) throw Failed(target, "Failed to decrypt results key with beneficiary key: the result was encrypted for another key, or aes-key.rsa was changed");
        if (unwrapped.Length is 32 or 16) return unwrapped;
        CryptographicOperations.ZeroMemory(unwrapped);
        throw Failed(target, "Failed to determine result encryption mode: the decrypted results key is neither 256 nor 128 bits");
    }

    private static byte[] ReadSmall(ZipArchiveEntry entry, object target)
    {
        try
        {
            using var stream = entry.Open();
            var buffer = new byte[MaxKeyEntryBytes + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > MaxKeyEntryBytes) throw Failed(target, $"Failed to load {KeyEntryName} file from zip input file: Unexpected file size");
            return buffer[..read];
        }
        catch (InvalidDataException)
        {
            throw Failed(target, $"Failed to load {KeyEntryName} file from zip input file: it is damaged");
        }
    }

    private static IExecException Failed(object target, string message) =>
        new(ErrorIds.ResultDecryptionFailed, message + "; nothing was written.", target)
        {
            RecommendedAction = "Check that the key is the beneficiary's (the one whose public key was on the SMS when the task ran). "
                + "An archive that fails these checks was not written by the enclave for this key, or was damaged on the way.",
        };

    private static IExecException InvalidPublicKey(object? target, string why) =>
        new(ErrorIds.InvalidResultEncryptionKey, $"The result encryption public key cannot be used: {why}.", target);
}
