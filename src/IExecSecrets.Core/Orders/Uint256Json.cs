using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace IExecSecrets.Core.Orders;

/// <summary>PoCo's uint256 order fields as JSON carries them: a JSON number or a decimal string.</summary>
internal static class Uint256Json
{
    private static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;

    /// <summary>
    /// Reads <paramref name="value"/> as a uint256; false for anything negative, fractional, exponent-written or from
    /// 2^256 up, which could be neither signed nor matched.
    /// </summary>
    public static bool TryRead(JsonElement value, out BigInteger number)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        number = BigInteger.Zero;
        return text is not null && text.Length <= 78
            && BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number <= MaxUint256;
    }
}
