using System.Buffers.Text;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Datasets;

/// <summary>
/// Dataset encryption as <c>iexec dataset encrypt</c> (SDK 8.24 and 9.0.1, <c>encryption-utils.js</c>) does it and
/// iExec's TEE pre-compute (iexec-common <c>CipherUtils.aesDecrypt</c>, tee-worker-pre-compute-rust) undoes it:
/// <list type="bullet">
/// <item>the key is 32 random bytes, kept and pushed as their base64 text (44 characters);</item>
/// <item>the encrypted file is a random 16-byte IV followed by the file encrypted with AES-256-CBC and PKCS#7 padding;</item>
/// <item>the dataset's on-chain checksum is the SHA-256 of the encrypted file, <c>0x</c> and 64 lower-case hex digits,
/// which the pre-compute compares with what it downloaded before decrypting.</item>
/// </list>
/// Both directions stream, so a file of any size needs a fixed amount of memory. Keys travel as the UTF-8 bytes of
/// their base64 text in buffers the caller owns and zeroes; the 32 key bytes decoded from them are zeroed here.
/// </summary>
public static class DatasetEncryption
{
    /// <summary>The AES key length: 256 bits.</summary>
    public const int KeyBytes = 32;

    /// <summary>The length of the key's base64 text.</summary>
    public const int KeyTextBytes = 44;

    private const int IvBytes = 16;
    private const int BufferBytes = 1 << 16;

    /// <summary>A fresh key as the SDK's <c>generateAes256Key</c> makes it: the base64 text (UTF-8) of 32 random bytes.</summary>
    public static byte[] GenerateKey()
    {
        var raw = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            var text = new byte[KeyTextBytes];
            Base64.EncodeToUtf8(raw, text, out _, out _);
            return text;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plain"/> into <paramref name="output"/> under the key whose base64 text is
    /// <paramref name="keyText"/>, and returns the SHA-256 of what was written (the dataset checksum).
    /// </summary>
    public static byte[] Encrypt(Stream plain, ReadOnlySpan<byte> keyText, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(output);
        var key = DecodeKey(keyText, "the dataset key");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var hashing = new HashingWriteStream(output, hash);
            var iv = RandomNumberGenerator.GetBytes(IvBytes);
            hashing.Write(iv);
            using var aes = Aes.Create();
            using (var encryptor = aes.CreateEncryptor(key, iv))
            using (var crypto = new CryptoStream(hashing, encryptor, CryptoStreamMode.Write, leaveOpen: true))
            {
                var buffer = new byte[BufferBytes];
                int read;
                while ((read = plain.Read(buffer, 0, buffer.Length)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    crypto.Write(buffer, 0, read);
                }
                crypto.FlushFinalBlock();
            }
            return hash.GetHashAndReset();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="encrypted"/> (IV ‖ AES-256-CBC) into <paramref name="output"/> with the key whose base64
    /// text is <paramref name="keyText"/>; at most <paramref name="maxBytes"/> bytes are written. A wrong key or a
    /// damaged file fails with <see cref="CryptographicException"/> (bad padding) or <see cref="InvalidDataException"/>
    /// (too short, too long); a key that is not base64 of 32 bytes is <see cref="ErrorIds.InvalidDatasetKey"/>.
    /// </summary>
    public static long Decrypt(Stream encrypted, ReadOnlySpan<byte> keyText, Stream output, long maxBytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(output);
        var key = DecodeKey(keyText, "the dataset key");
        try
        {
            var iv = new byte[IvBytes];
            if (encrypted.ReadAtLeast(iv, IvBytes, throwOnEndOfStream: false) < IvBytes) throw new InvalidDataException("The encrypted dataset is shorter than its IV.");
            using var aes = Aes.Create();
            using var decryptor = aes.CreateDecryptor(key, iv);
            using var crypto = new CryptoStream(encrypted, decryptor, CryptoStreamMode.Read, leaveOpen: true);
            var buffer = new byte[BufferBytes];
            long total = 0;
            int read;
            while ((read = crypto.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > maxBytes) throw new InvalidDataException($"The dataset decrypts to more than {maxBytes} bytes.");
                output.Write(buffer, 0, read);
            }
            return total;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The SHA-256 of <paramref name="content"/> (read to its end): the checksum of an encrypted dataset file.</summary>
    public static byte[] Checksum(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return SHA256.HashData(content);
    }

    /// <summary>A checksum as the SDK prints and stores it: <c>0x</c> and 64 lower-case hex digits.</summary>
    public static string ChecksumText(ReadOnlySpan<byte> checksum) => "0x" + Convert.ToHexString(checksum).ToLowerInvariant();

    /// <summary>
    /// The 32 key bytes of a base64 key text (surrounding blanks and a final newline ignored, as the SDK trims the key file),
    /// in a new buffer the caller zeroes. Anything else is <see cref="ErrorIds.InvalidDatasetKey"/> naming
    /// <paramref name="target"/>, never quoting the value.
    /// </summary>
    public static byte[] DecodeKey(ReadOnlySpan<byte> keyText, object? target)
    {
        var text = Trim(keyText);
        var key = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        var status = Base64.DecodeFromUtf8(text, key, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || consumed != text.Length || written != KeyBytes)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new IExecException(ErrorIds.InvalidDatasetKey,
                $"{target ?? "The dataset key"} is not a dataset key: it must be the base64 text of 32 bytes (AES-256), as iexec dataset encrypt writes it.", target);
        }
        if (key.Length == KeyBytes) return key;
        var exact = key[..KeyBytes];
        CryptographicOperations.ZeroMemory(key);
        return exact;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsBlank(text[start])) start++;
        while (end > start && IsBlank(text[end - 1])) end--;
        return text[start..end];
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    // Passes writes on to the inner stream and into a hash, so the checksum is known without reading the file again.
    private sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
