using System.Globalization;
using System.Text.Json;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Reads what a deal's params (the request order's <c>params</c>, stored on chain) say about its requester secrets, so a
/// deal read back with <c>Get-IExecDeal</c> names them like the deal <c>Invoke-IExecApp</c> returned. The params are
/// written by whoever signed the request order and may be anything: text that is not a JSON object, a non-object
/// <c>iexec_secrets</c>, slots that are not positive integers or names that are not strings give no entry (never an
/// error: reading a deal must not fail on its requester's params), and names are shown without control characters.
/// </summary>
public static class DealParams
{
    /// <summary>The largest params text parsed (the chain holds any length; a deal's params are a few hundred bytes).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The requester secret mapping slot → name of <paramref name="paramsText"/>, ordered by slot; empty when none can be read.</summary>
    public static IReadOnlyList<KeyValuePair<int, string>> RequesterSecrets(string? paramsText)
    {
        if (string.IsNullOrEmpty(paramsText) || paramsText.Length > MaxLength)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(paramsText, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("iexec_secrets", out var secrets)
                || secrets.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            var mapping = new SortedDictionary<int, string>();
            foreach (var slot in secrets.EnumerateObject())
            {
                if (slot.Value.ValueKind == JsonValueKind.String
                    && int.TryParse(slot.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                    && slot.Value.GetString() is { Length: > 0 } name)
                {
                    mapping[number] = ForeignText.Clean(name);
                }
            }

            return mapping.ToArray();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
