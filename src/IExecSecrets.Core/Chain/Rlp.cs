using System.Numerics;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B), the serialisation of transactions.
/// Integers are encoded big-endian with no leading zeros (zero is the empty string).
/// </summary>
public static class Rlp
{
    /// <summary>Encodes a byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80) return [bytes[0]];
        return Concat(Prefix(0x80, bytes.Length), bytes.ToArray());
    }

    /// <summary>Encodes a non-negative integer as its minimal big-endian byte string.</summary>
    public static byte[] EncodeInteger(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are non-negative.");
        return EncodeBytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>Encodes a list whose items are already RLP-encoded.</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        var payload = Concat(encodedItems);
        return Concat(Prefix(0xc0, payload.Length), payload);
    }

    private static byte[] Prefix(byte offset, int length)
    {
        if (length < 56) return [(byte)(offset + length)];
        var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        return Concat([(byte)(offset + 55 + lengthBytes.Length)], lengthBytes);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var position = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, position);
            position += part.Length;
        }
        return result;
    }
}
