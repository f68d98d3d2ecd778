using System.Globalization;
using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The requester secret mapping of a run (<c>iexec_secrets</c>): app secret slot → requester secret name. Keys must
/// be strictly positive integers written without a leading zero (the SDK's <c>^[1-9]\d*$</c>, so <c>0</c>,
/// <c>01</c> and <c>a</c> fail with <see cref="ErrorIds.InvalidSecretMappingKey"/>); names must be valid SMS names
/// (<see cref="SecretRules.IsValidName"/>, so an empty name fails with <see cref="ErrorIds.InvalidSecretName"/>,
/// where the SDK would let it through to a provisioning failure). Entries are kept in ascending key order, which is
/// also how JavaScript serialises integer-like keys.
/// </summary>
public static partial class SecretMapping
{
    [GeneratedRegex(@"^[1-9][0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    /// <summary>
    /// Validates <paramref name="entries"/> (key text, secret name) and returns them sorted by slot. Throws on the
    /// first bad key or name; a slot given twice keeps the last name, as a JavaScript object would.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<int, string>> Parse(IEnumerable<KeyValuePair<string, string?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new SortedDictionary<int, string>();
        foreach (var (keyText, name) in entries)
        {
            var slot = ParseKey(keyText);
            SecretRules.EnsureValidName(name);
            result[slot] = name!;
        }
        return result.ToList();
    }

    /// <summary>
    /// Parses CLI-style items <c>1=x1</c>, split at the first <c>=</c>. An item without <c>=</c> fails with
    /// <see cref="ErrorIds.InvalidSecretMapping"/> and the SDK's message.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<int, string>> ParseItems(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var item in items)
        {
            var equals = item?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (equals < 0)
            {
                throw new IExecException(ErrorIds.InvalidSecretMapping,
                    $"'{item}' is not a valid secret mapping syntax (must be <appSecretKey>=<requesterSecretName>)", item)
                { RecommendedAction = "Write each mapping as <slot>=<name>, e.g. 1=my-api-key, or pass a hashtable @{1='my-api-key'}." };
            }
            pairs.Add(new(item![..equals], item[(equals + 1)..]));
        }
        return Parse(pairs);
    }

    /// <summary>Parses one slot key, or throws <see cref="ErrorIds.InvalidSecretMappingKey"/>.</summary>
    public static int ParseKey(string? keyText)
    {
        if (keyText is not null && KeyPattern().IsMatch(keyText)
            && int.TryParse(keyText, NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
        {
            return slot;
        }
        throw new IExecException(ErrorIds.InvalidSecretMappingKey,
            $"requester secret mapping keys must be strictly positive integers (got '{keyText}')", keyText)
        { RecommendedAction = "Use the app's secret slot numbers 1, 2, 3… as keys, without leading zeros." };
    }
}
