using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace IExecSecrets;

/// <summary>
/// Moves secret text between <see cref="SecureString"/> and UTF-8 bytes without leaving plaintext copies behind:
/// the unmanaged and intermediate character buffers are zeroed before returning. The returned byte buffer belongs
/// to the caller, who zeroes it with <see cref="CryptographicOperations.ZeroMemory"/> once it is sent.
/// </summary>
internal static class SecureStrings
{
    /// <summary>Returns the UTF-8 bytes of <paramref name="value"/> in a new buffer the caller must zero.</summary>
    public static byte[] ToUtf8Bytes(SecureString value) => UseChars(value, chars =>
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(chars.Span)];
        Encoding.UTF8.GetBytes(chars.Span, bytes);
        return bytes;
    });

    /// <summary>
    /// Runs <paramref name="use"/> over the UTF-8 bytes of <paramref name="value"/> and zeroes them afterwards, even
    /// when <paramref name="use"/> throws; for passwords that a key derivation reads once.
    /// </summary>
    public static T UseUtf8Bytes<T>(SecureString value, Func<byte[], T> use)
    {
        var bytes = ToUtf8Bytes(value);
        try
        {
            return use(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Returns the UTF-8 bytes of a plain string (a vault that stores text); the caller zeroes them.</summary>
    public static byte[] ToUtf8Bytes(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>Builds a read-only <see cref="SecureString"/> from UTF-8 bytes, zeroing the decoded characters.</summary>
    public static SecureString FromUtf8Bytes(ReadOnlySpan<byte> utf8)
    {
        var chars = new char[Encoding.UTF8.GetCharCount(utf8)];
        try
        {
            Encoding.UTF8.GetChars(utf8, chars);
            var secure = new SecureString();
            foreach (var c in chars)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>
    /// Runs <paramref name="use"/> over the characters of <paramref name="value"/> and zeroes them afterwards; for
    /// parsers that take characters (a private key in hex) so no managed string is ever made.
    /// </summary>
    public static T UseChars<T>(SecureString value, Func<ReadOnlyMemory<char>, T> use)
    {
        ArgumentNullException.ThrowIfNull(value);
        var unmanaged = IntPtr.Zero;
        var chars = new char[value.Length];
        try
        {
            unmanaged = Marshal.SecureStringToGlobalAllocUnicode(value);
            Marshal.Copy(unmanaged, chars, 0, chars.Length);
            return use(chars);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
            if (unmanaged != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }
}
