using System.Globalization;

namespace IExecSecrets.Core.Market;

/// <summary>Query strings as the SDK's <c>jsonApi</c> writes them: keys in alphabetical (ordinal) order, values URI-escaped.</summary>
public static class MarketQuery
{
    /// <summary><c>?k1=v1&amp;k2=v2…</c> with keys sorted ordinally; empty for no parameters.</summary>
    public static string Build(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        if (sorted.Length == 0) return "";
        return "?" + string.Join("&", sorted.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    internal static string Bool(bool value) => value ? "true" : "false";

    internal static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
