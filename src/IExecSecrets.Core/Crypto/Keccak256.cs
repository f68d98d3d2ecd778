using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace IExecSecrets.Core.Crypto;

/// <summary>Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256).</summary>
public static class Keccak256
{
    /// <summary>Hashes <paramref name="data"/> and returns the 32-byte digest.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }

    /// <summary>Hashes the concatenation of several byte sequences without allocating the joined buffer.</summary>
    public static byte[] Hash(params byte[][] parts)
    {
        var digest = new KeccakDigest(256);
        foreach (var part in parts) digest.BlockUpdate(part, 0, part.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }

    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] HashUtf8(string text) => Hash(Encoding.UTF8.GetBytes(text));
}
