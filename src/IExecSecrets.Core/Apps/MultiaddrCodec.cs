using System.Text;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// The app <c>multiaddr</c> encoding of SDK 8.24 (<c>humanToMultiaddrBuffer</c> with <c>strict: false</c>): an IPFS
/// path <c>/ipfs/Qm…</c> or <c>/p2p/Qm…</c> becomes binary multiaddr bytes (protocol 421, length, multihash); any
/// other string, such as a docker image reference, becomes its UTF-8 bytes.
/// </summary>
/// <remarks>
/// Only the IPFS protocol is encoded: other binary multiaddrs (<c>/ip4/…/tcp/…</c>) and CIDv1 strings fall back to
/// UTF-8 here, where the SDK's multiaddr library would encode them. Neither names an app image in practice.
/// </remarks>
public static class MultiaddrCodec
{
    private const int IpfsProtocolCode = 421;

    /// <summary>The bytes <c>createApp</c> receives for <paramref name="multiaddr"/>.</summary>
    public static byte[] Encode(string multiaddr)
    {
        ArgumentNullException.ThrowIfNull(multiaddr);
        var parts = multiaddr.Split('/');
        if (parts.Length == 3 && parts[0].Length == 0 && parts[1] is "ipfs" or "p2p"
            && parts[2].StartsWith("Qm", StringComparison.Ordinal) && Base58.TryDecode(parts[2], out var multihash))
        {
            var bytes = new List<byte>();
            bytes.AddRange(Varint(IpfsProtocolCode));
            bytes.AddRange(Varint(multihash.Length));
            bytes.AddRange(multihash);
            return bytes.ToArray();
        }
        return Encoding.UTF8.GetBytes(multiaddr);
    }

    /// <summary>
    /// The human form of on-chain multiaddr bytes, like the SDK's <c>multiaddrHexToHuman</c>: an IPFS multiaddr prints
    /// as <c>/p2p/Qm…</c> (the multiaddr library's current name for protocol 421), anything else as UTF-8 text.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var rest = bytes;
        if (TryReadVarint(ref rest, out var code) && code == IpfsProtocolCode
            && TryReadVarint(ref rest, out var length) && length == rest.Length && length > 0)
        {
            return "/p2p/" + Base58.Encode(rest);
        }
        return Encoding.UTF8.GetString(bytes);
    }

    private static IEnumerable<byte> Varint(int value)
    {
        do
        {
            var next = (byte)(value & 0x7f);
            value >>= 7;
            yield return value == 0 ? next : (byte)(next | 0x80);
        } while (value != 0);
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> bytes, out int value)
    {
        value = 0;
        for (var i = 0; i < 4 && i < bytes.Length; i++)
        {
            value |= (bytes[i] & 0x7f) << (7 * i);
            if ((bytes[i] & 0x80) == 0)
            {
                bytes = bytes[(i + 1)..];
                return true;
            }
        }
        return false;
    }
}
