using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets;

/// <summary>
/// A hashtable typed on the command line (<c>@{…}</c>, <c>[ordered]@{…}</c>) as the JSON object it stands for: keys in the
/// hashtable's order, nested hashtables as objects, PowerShell wrappers unwrapped, big integers as decimal strings
/// (PoCo's uint256 fields, as the SDK writes them), anything else as System.Text.Json writes it.
/// </summary>
internal static class HashtableJson
{
    /// <summary>The JSON object of <paramref name="dictionary"/>.</summary>
    public static JsonObject From(IDictionary dictionary)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            obj[entry.Key.ToString()!] = value switch
            {
                IDictionary inner => From(inner),
                System.Numerics.BigInteger big => big.ToString(CultureInfo.InvariantCulture),
                _ => JsonSerializer.SerializeToNode(value),
            };
        }
        return obj;
    }
}
