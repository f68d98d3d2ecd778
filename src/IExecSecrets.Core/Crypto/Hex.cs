namespace IExecSecrets.Core.Crypto;

/// <summary>Hex encoding as Ethereum tooling writes it: lower-case, with or without a <c>0x</c> prefix.</summary>
public static class Hex
{
    /// <summary>Encodes bytes as lower-case hex, prefixed with <c>0x</c> unless <paramref name="prefix"/> is false.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return prefix ? "0x" + hex : hex;
    }

    /// <summary>Decodes hex with or without <c>0x</c>; an odd length or a non-hex character throws <see cref="FormatException"/>.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var span = hex.AsSpan();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) span = span[2..];
        if (span.Length % 2 != 0) throw new FormatException("Hex string has an odd number of digits.");
        return Convert.FromHexString(span);
    }

    /// <summary>True when <paramref name="value"/> is <c>0x</c> followed by an even number of hex digits.</summary>
    public static bool IsHex(string? value, int? byteLength = null)
    {
        if (value is null || !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        var digits = value.Length - 2;
        if (digits % 2 != 0) return false;
        if (byteLength is int n && digits != n * 2) return false;
        for (var i = 2; i < value.Length; i++)
        {
            if (!Uri.IsHexDigit(value[i])) return false;
        }
        return true;
    }
}
