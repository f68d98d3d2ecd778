using System.Security.Cryptography;
using IExecSecrets.Core.Apps;

namespace IExecSecrets.DevNet.Ipfs;

/// <summary>
/// CIDv0 strings (<c>Qm…</c>) for the devnet's content-addressed store: base58btc of the sha2-256 multihash
/// (<c>0x12 0x20 ‖ sha256(bytes)</c>) of the <em>raw</em> bytes. This is an honest content address, but not the CID
/// kubo would give the same file: kubo hashes a UnixFS DAG node wrapping the bytes, not the bytes themselves.
/// </summary>
public static class ContentId
{
    // The /ipfs multiaddr protocol code 421 as a varint, and the 34-byte multihash length.
    private static readonly byte[] IpfsMultiaddrPrefix = [0xa5, 0x03, 0x22];

    /// <summary>The CIDv0 of <paramref name="content"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> content)
    {
        var multiaddr = new byte[IpfsMultiaddrPrefix.Length + 34];
        IpfsMultiaddrPrefix.CopyTo(multiaddr, 0);
        multiaddr[3] = 0x12;
        multiaddr[4] = 0x20;
        SHA256.HashData(content, multiaddr.AsSpan(5));
        // The Core multiaddr codec already renders an IPFS multihash in base58btc, as "/p2p/<CIDv0>".
        return MultiaddrCodec.Decode(multiaddr)["/p2p/".Length..];
    }

    /// <summary>
    /// True when <paramref name="text"/> is a well-formed CIDv0 (base58btc of a 34-byte sha2-256 multihash); the
    /// gateway refuses anything else before touching the disk, so a CID can never name a path outside the store.
    /// </summary>
    public static bool IsValid(string? text)
    {
        if (text is null || text.Length != 46 || !text.StartsWith("Qm", StringComparison.Ordinal)) return false;
        var bytes = MultiaddrCodec.Encode("/ipfs/" + text);
        return bytes.Length == IpfsMultiaddrPrefix.Length + 34 && bytes.AsSpan(0, 3).SequenceEqual(IpfsMultiaddrPrefix)
            && bytes[3] == 0x12 && bytes[4] == 0x20;
    }
}
