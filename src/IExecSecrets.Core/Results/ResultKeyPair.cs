using System.Security.Cryptography;
using System.Text;

namespace IExecSecrets.Core.Results;

/// <summary>
/// A beneficiary key pair for result encryption, as <c>iexec result generate-encryption-keypair</c> (SDK 8.24 and
/// 9.0.1) makes it with node's <c>generateKeyPair('rsa', {modulusLength: 4096})</c>: a 4096-bit RSA key, the private
/// key as PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>), the public key as SubjectPublicKeyInfo PEM
/// (<c>-----BEGIN PUBLIC KEY-----</c>), both with 64-character lines and a final newline as OpenSSL writes them.
/// </summary>
/// <remarks>
/// The private key exists only as UTF-8 bytes in a buffer this object owns and zeroes on <see cref="Dispose"/>: never
/// a string, which the runtime could copy and keep. The caller hands those bytes to the vault and disposes the pair.
/// </remarks>
public sealed class ResultKeyPair : IDisposable
{
    /// <summary>The modulus size the SDK uses.</summary>
    public const int KeySizeBits = 4096;

    private readonly byte[] _privateKeyPem;
    private bool _disposed;

    private ResultKeyPair(byte[] privateKeyPem, string publicKeyPem)
    {
        _privateKeyPem = privateKeyPem;
        PublicKeyPem = publicKeyPem;
    }

    /// <summary>The public key, SubjectPublicKeyInfo PEM with a final newline (what the SDK writes to <c>&lt;address&gt;_key.pub</c>).</summary>
    public string PublicKeyPem { get; }

    /// <summary>
    /// The value the SDK pushes as the web2 secret <c>iexec-result-encryption-public-key</c>: the base64 of the public
    /// key's PEM text (iexec-sms passes it to the enclave, which decodes it).
    /// </summary>
    public string SmsValue => ResultEncryption.ToSmsValue(PublicKeyPem);

    /// <summary>The private key, PKCS#8 PEM as UTF-8 bytes; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> PrivateKeyPem
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKeyPem;
        }
    }

    /// <summary>Generates a fresh pair (<see cref="KeySizeBits"/> bits unless told otherwise; tests use smaller keys).</summary>
    public static ResultKeyPair Generate(int keySizeBits = KeySizeBits)
    {
        using var rsa = RSA.Create(keySizeBits);
        var der = rsa.ExportPkcs8PrivateKey();
        char[]? pem = null;
        try
        {
            pem = PemEncoding.Write("PRIVATE KEY", der);
            var bytes = new byte[Encoding.UTF8.GetByteCount(pem) + 1];
            Encoding.UTF8.GetBytes(pem, bytes);
            bytes[^1] = (byte)'\n';
            return new ResultKeyPair(bytes, rsa.ExportSubjectPublicKeyInfoPem() + "\n");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            if (pem is not null) Array.Clear(pem);
        }
    }

    /// <summary>Zeroes the private key. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKeyPem);
    }
}
