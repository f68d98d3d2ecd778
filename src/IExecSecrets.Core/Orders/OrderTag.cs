using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// Order tags: a bytes32 big-endian bit set, bit 0 <c>tee</c>, 1 <c>scone</c>, 2 <c>gramine</c>, 3 <c>tdx</c>,
/// 8 <c>gpu</c>. Parsing follows the iexec SDK 8.24.0 <c>tagSchema</c>, including its error messages.
/// </summary>
public static class OrderTag
{
    private static readonly (string Name, int Bit)[] KnownTags = [("tee", 0), ("scone", 1), ("gramine", 2), ("tdx", 3), ("gpu", 8)];
    private static readonly string[] TeeFrameworks = ["scone", "gramine", "tdx"];
    private static readonly string FrameworkList = string.Join("|", TeeFrameworks.Select(name => $"'{name}'"));

    /// <summary>
    /// Parses a comma list of tag names (<c>tee,scone</c>; names are case-sensitive, empty items are ignored) or a
    /// <c>0x</c> bytes32 hex string (any case) into 32 bytes. The TEE rules then apply: <c>tee</c> needs exactly one
    /// framework (unless <paramref name="allowTeeWithoutFramework"/>, as for dataset and request orders) and a
    /// framework needs <c>tee</c>. Failures throw <see cref="IExecException"/> <see cref="ErrorIds.InvalidTag"/>
    /// with the SDK's message, e.g. <c>tee,foo is not a valid tag. Unknown tag foo</c>.
    /// </summary>
    public static byte[] Parse(string text, bool allowTeeWithoutFramework = false)
    {
        if (text is null) throw Invalid("null is not a valid tag. Invalid tag", text);
        byte[] tag;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var lower = text.ToLowerInvariant();
            // The SDK's TEE-bit check runs before its bytes32 check and so supplies the message.
            if (!Hex.IsHex(lower, 32)) throw Invalid("tag must be bytes32 hex string", text);
            tag = Hex.Decode(lower);
        }
        else
        {
            tag = new byte[32];
            foreach (var name in text.Split(','))
            {
                if (name.Length == 0) continue;
                var bit = KnownTags.FirstOrDefault(known => known.Name == name);
                if (bit.Name is null) throw Invalid($"{text} is not a valid tag. Unknown tag {name}", text);
                SetBit(tag, bit.Bit);
            }
        }

        var isTee = IsBitSet(tag, 0);
        var frameworks = TeeFrameworks.Where(name => IsBitSet(tag, BitOf(name))).ToArray();
        if (isTee)
        {
            if (!allowTeeWithoutFramework && frameworks.Length < 1)
                throw Invalid($"'tee' tag must be used with a tee framework ({FrameworkList})", text);
            if (frameworks.Length > 1)
                throw Invalid($"tee framework tags are exclusive ({FrameworkList})", text);
        }
        else if (frameworks.Length > 0)
        {
            throw Invalid($"'{frameworks[0]}' tag must be used with 'tee' tag", text);
        }
        return tag;
    }

    /// <summary>The tag as <c>0x</c> + 64 lower-case hex digits, the form the SDK and the market API use.</summary>
    public static string ToHex(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(tag));
        return Hex.Encode(tag);
    }

    /// <summary>
    /// The names of the set bits, lowest bit first (the SDK's <c>decodeTag</c>); a bit without a name throws
    /// <see cref="ErrorIds.InvalidTag"/> <c>Unknown bit N in tag</c>.
    /// </summary>
    public static IReadOnlyList<string> Names(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(tag));
        var names = new List<string>();
        for (var bit = 0; bit < 256; bit++)
        {
            if (!IsBitSet(tag, bit)) continue;
            var known = KnownTags.FirstOrDefault(k => k.Bit == bit);
            if (known.Name is null) throw Invalid($"Unknown bit {bit} in tag", ToHex(tag));
            names.Add(known.Name);
        }
        return names;
    }

    /// <summary>The bitwise OR of several tags (the SDK's <c>sumTags</c>).</summary>
    public static byte[] Or(params byte[][] tags)
    {
        var sum = new byte[32];
        foreach (var tag in tags)
        {
            if (tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(tags));
            for (var i = 0; i < 32; i++) sum[i] |= tag[i];
        }
        return sum;
    }

    private static int BitOf(string name) => KnownTags.First(known => known.Name == name).Bit;

    private static bool IsBitSet(ReadOnlySpan<byte> tag, int bit) => (tag[31 - bit / 8] & (1 << (bit % 8))) != 0;

    private static void SetBit(byte[] tag, int bit) => tag[31 - bit / 8] |= (byte)(1 << (bit % 8));

    private static IExecException Invalid(string message, string? text) =>
        new(ErrorIds.InvalidTag, message, target: text);
}
