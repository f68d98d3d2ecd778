using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// Amounts of RLC as the iexec SDK reads and writes them (<c>nRlcAmountSchema</c>, <c>parseRLC</c>,
/// <c>formatRLC</c>): a whole number of nRLC (<c>1500000000</c>, the default unit), or a number with the unit
/// <c>nRLC</c> or <c>RLC</c> (<c>1.5 RLC</c>, <c>100 nRLC</c>); 1 RLC = 10^9 nRLC. A native chain's coin counts
/// 10^9 wei per nRLC.
/// </summary>
public static class RlcAmount
{
    /// <summary>nRLC in one RLC.</summary>
    public static readonly BigInteger NRlcPerRlc = 1_000_000_000;

    /// <summary>Wei of a native chain's coin per nRLC (the escrow of bellecour-like chains).</summary>
    public static readonly BigInteger WeiPerNRlc = 1_000_000_000;

    /// <summary>
    /// Parses <paramref name="text"/> into nRLC: digits (nRLC), or a decimal number followed by a space and <c>nRLC</c> or
    /// <c>RLC</c>, exactly the forms the SDK's <c>nRlcAmountSchema</c> takes (<c>5</c>, <c>1.5 RLC</c>, <c>.5 RLC</c>,
    /// <c>5. RLC</c>); beyond them, blanks around the text, the unit in any case and without the space are read too
    /// (<c>1.5rlc</c>). A negative number, a fraction of an nRLC, another unit, extra words or anything else fails
    /// <see cref="ErrorIds.InvalidAmount"/> naming <paramref name="what"/>.
    /// </summary>
    public static BigInteger Parse(string? text, string what) =>
        TryParse(text, out var amount) ? amount : throw new IExecException(ErrorIds.InvalidAmount,
            $"{what} '{text}' is not an amount of RLC: give a whole number of nRLC (1500000000) or a number with a unit (1.5 RLC, 100 nRLC).", what);

    /// <summary>The non-throwing <see cref="Parse"/>.</summary>
    public static bool TryParse(string? text, out BigInteger nRlc)
    {
        nRlc = BigInteger.Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100) return false;
        var trimmed = text.Trim();
        var decimals = 0;
        // nRLC first: "RLC" is its suffix.
        foreach (var (suffix, scale) in new[] { ("nRLC", 0), ("RLC", 9) })
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                decimals = scale;
                break;
            }
        }
        // The SDK reads a minus sign before a zero ("-0", "-0.", "-.0 RLC") as 0 nRLC; any other negative amount is no amount.
        var negative = trimmed.StartsWith('-');
        if (negative) trimmed = trimmed[1..];
        // As ethers' parseUnits: "5", "5.", ".5" and "5.0" are numbers; "." is not.
        var parts = trimmed.Split('.');
        if (parts.Length > 2 || parts.All(p => p.Length == 0) || !parts.All(p => p.All(char.IsAsciiDigit))) return false;
        var fraction = parts.Length == 2 ? parts[1].TrimEnd('0') : "";
        if (fraction.Length > decimals) return false;
        nRlc = (parts[0].Length == 0 ? BigInteger.Zero : BigInteger.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture)) * BigInteger.Pow(10, decimals)
            + (fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * BigInteger.Pow(10, decimals - fraction.Length));
        if (negative && !nRlc.IsZero)
        {
            nRlc = BigInteger.Zero;
            return false;
        }
        return true;
    }

    /// <summary>nRLC as RLC text the way the SDK's <c>formatRLC</c> writes it: <c>1.5</c>, <c>0.000000007</c>, <c>1000.0</c>.</summary>
    public static string FormatRlc(BigInteger nRlc)
    {
        var negative = nRlc.Sign < 0;
        var whole = BigInteger.DivRem(BigInteger.Abs(nRlc), NRlcPerRlc, out var rest);
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(9, '0').TrimEnd('0');
        return (negative ? "-" : "") + whole.ToString(CultureInfo.InvariantCulture) + "." + (fraction.Length == 0 ? "0" : fraction);
    }

    /// <summary>For messages: <c>1.5 RLC (1500000000 nRLC)</c>.</summary>
    public static string Describe(BigInteger nRlc) =>
        $"{FormatRlc(nRlc)} RLC ({nRlc.ToString(CultureInfo.InvariantCulture)} nRLC)";
}
