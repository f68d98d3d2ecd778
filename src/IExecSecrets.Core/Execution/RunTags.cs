using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The tag rules of a run: which tag the requester signs (SDK 8.24 on bellecour-style chains, SDK 9.0.1's forced
/// tee,tdx on TDX chains), which TEE framework a tag selects, and the tag bounds the order book queries and checks use.
/// </summary>
public static class RunTags
{
    /// <summary>
    /// The run tag the SDK sends. On a chain whose runs are TDX (<see cref="DefaultsToTdx"/>) it follows iexec SDK
    /// 9.0.1, which adds tee+tdx (0x…09) to every order it signs: <paramref name="tag"/> (or the zero tag) gets bits
    /// tee and tdx, and a scone or gramine bit is refused with <see cref="ErrorIds.LegacyTeeFrameworkTag"/> before
    /// anything is signed. On other chains it follows SDK 8.24: the user's tag as parsed, else the zero tag.
    /// <paramref name="hasSecrets"/> is kept for callers; on a TDX chain the tag is tee,tdx with or without secrets.
    /// <paramref name="forced"/> tells whether tee,tdx bits were added to what the user gave.
    /// </summary>
    public static byte[] ResolveRunTag(byte[]? tag, bool hasSecrets, ChainProfile chain, out bool forced)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _ = hasSecrets;
        forced = false;
        if (!DefaultsToTdx(chain)) return tag ?? new byte[32];
        var given = tag ?? new byte[32];
        var result = ForTdxChain(given, chain, "run");
        forced = !result.AsSpan().SequenceEqual(given);
        return result;
    }

    /// <summary>
    /// The tag an order signed on TDX chain <paramref name="chain"/> carries, as iexec SDK 9.0.1 signs it:
    /// <paramref name="tag"/> with bits tee and tdx added. A scone or gramine bit throws
    /// <see cref="ErrorIds.LegacyTeeFrameworkTag"/> (SDK 9: "Unsupported legacy TEE framework tag").
    /// <paramref name="what"/> names the order or run in the message.
    /// </summary>
    public static byte[] ForTdxChain(byte[] tag, ChainProfile chain, string what)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(chain);
        if (tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(tag));
        var legacy = new List<string>();
        if ((tag[31] & 0x02) != 0) legacy.Add("'scone'");
        if ((tag[31] & 0x04) != 0) legacy.Add("'gramine'");
        if (legacy.Count > 0)
        {
            throw new IExecException(ErrorIds.LegacyTeeFrameworkTag,
                $"Unsupported legacy TEE framework tag ({string.Join(", ", legacy)}) for a {what} on {chain.Name}, whose runs are TDX.", OrderTag.ToHex(tag))
            {
                RecommendedAction = "Use -Tag tee,tdx (or no -Tag) on TDX chains; scone and gramine apps run on bellecour-style chains (SDK 8.x).",
            };
        }
        var result = (byte[])tag.Clone();
        result[31] |= 0x09;
        return result;
    }

    /// <summary>True when runs on <paramref name="chain"/> follow SDK 9 TDX rules by default (see <see cref="ResolveRunTag"/>).</summary>
    public static bool DefaultsToTdx(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.DefaultTeeFramework is { } framework
            ? framework == TeeFramework.Tdx
            : chain.ChainId is 42161 or 421614;
    }

    /// <summary>The framework a tag selects, with the SDK's precedence scone, then tdx, then gramine; null for none.</summary>
    public static TeeFramework? FrameworkOfTag(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 32) return null;
        var low = tag[31];
        if ((low & 0x02) != 0) return TeeFramework.Scone;
        if ((low & 0x08) != 0) return TeeFramework.Tdx;
        if ((low & 0x04) != 0) return TeeFramework.Gramine;
        return null;
    }

    /// <summary>The app order book query's minTag: only the tee and scone bits of the request tag, as the SDK sends it.</summary>
    internal static byte[] TeeAndSconeBits(byte[] tag)
    {
        var bits = new byte[32];
        bits[31] = (byte)(tag[31] & 0x03);
        return bits;
    }

    /// <summary>A dataset tag's contribution to the workerpool minTag: everything but the scone, gramine and tdx bits.</summary>
    internal static byte[] WithoutFrameworkBits(byte[] tag)
    {
        var copy = (byte[])tag.Clone();
        copy[31] &= unchecked((byte)~0x0E);
        return copy;
    }

    /// <summary>The tag's names for a message, or <c>?</c> when a hostile tag has bits no name covers.</summary>
    internal static IReadOnlyList<string> SafeNames(byte[] tag)
    {
        try
        {
            return OrderTag.Names(tag);
        }
        catch (IExecException)
        {
            return ["?"];
        }
    }
}
