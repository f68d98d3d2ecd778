using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Results;

/// <summary>
/// A beneficiary's RSA private key, read once from its PEM (PKCS#8 <c>PRIVATE KEY</c> as the SDK writes it, or PKCS#1
/// <c>RSA PRIVATE KEY</c>) and held by the platform's RSA object until <see cref="Dispose"/>. The PEM bytes and the
/// characters decoded from them are zeroed as soon as the key is imported.
/// </summary>
public sealed class ResultDecryptionKey : IDisposable
{
    private readonly RSA _rsa;

    private ResultDecryptionKey(RSA rsa)
    {
        _rsa = rsa;
    }

    /// <summary>The modulus size in bits.</summary>
    public int KeySizeBits => _rsa.KeySize;

    /// <summary>
    /// Imports the private key in <paramref name="pemUtf8"/> (the caller zeroes its own buffer). Anything else (an empty
    /// value, a public key, an encrypted PKCS#8 key, a key of another algorithm) is
    /// <see cref="ErrorIds.InvalidDecryptionKey"/>, naming <paramref name="target"/> and never quoting the value.
    /// </summary>
    public static ResultDecryptionKey FromPem(ReadOnlySpan<byte> pemUtf8, object? target)
    {
        var chars = new char[Encoding.UTF8.GetMaxCharCount(pemUtf8.Length)];
        var rsa = RSA.Create();
        try
        {
            var count = Encoding.UTF8.GetChars(pemUtf8, chars);
            var text = chars.AsSpan(0, count);
            if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] is not ("PRIVATE KEY" or "RSA PRIVATE KEY"))
            {
                throw Invalid(target, "it holds no unencrypted RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
            }
            rsa.ImportFromPem(text[fields.Location]);
            if (rsa.KeySize < 1024) throw Invalid(target, $"its RSA key has only {rsa.KeySize} bits");
            return new ResultDecryptionKey(rsa);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            throw Invalid(target, "its PEM is not a readable RSA private key");
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
            throw Invalid(target, "its PEM is not a readable RSA private key");
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>Decrypts one RSA PKCS#1 v1.5 block (what iExec's post-compute encrypts the AES key with).</summary>
    internal byte[] Decrypt(byte[] block) => _rsa.Decrypt(block, RSAEncryptionPadding.Pkcs1);

    /// <summary>The public half, SubjectPublicKeyInfo PEM with a final newline (to push it again, or to compare).</summary>
    public string PublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>Releases the key.</summary>
    public void Dispose() => _rsa.Dispose();

    private static IExecException Invalid(object? target, string why) =>
        new(ErrorIds.InvalidDecryptionKey, $"The decryption key cannot be used: {why}.", target)
        {
            RecommendedAction = "Give the private key New-IExecResultEncryptionKey stored in the vault, or the PEM file content of "
                + "\"iexec result generate-encryption-keypair\" (.secrets/beneficiary/<address>_key) as a SecureString.",
        };
}
