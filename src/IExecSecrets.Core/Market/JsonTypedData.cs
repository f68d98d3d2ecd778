using System.Globalization;
using System.Numerics;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Market;

// EIP-712 digest of a typed-data JSON document ({types, domain, primaryType, message}) with flat structs of
// string/address/uintN/bytes32/bool members: enough for the market and SMS challenges.
internal static class JsonTypedData
{
    public static byte[] Digest(JsonElement typedData)
    {
        if (!typedData.TryGetProperty("types", out var types) || !typedData.TryGetProperty("domain", out var domain)
            || !typedData.TryGetProperty("message", out var message))
            throw new IExecException(ErrorIds.MarketError, IExecErrorCategory.ProtocolError, "Failed to get authorization: Unexpected challenge format", "challenge");
        var primary = typedData.TryGetProperty("primaryType", out var p) ? p.GetString()!
            : types.EnumerateObject().First(t => t.Name != "EIP712Domain").Name;
        return TypedDataHasher.Digest(HashStruct(types, "EIP712Domain", domain), HashStruct(types, primary, message));
    }

    private static byte[] HashStruct(JsonElement types, string typeName, JsonElement value)
    {
        var fields = types.GetProperty(typeName).EnumerateArray()
            .Select(f => new TypedDataField(f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!)).ToArray();
        var type = new TypedDataType(typeName, fields);
        var values = fields.Select(f => Convert(f.Type, value.GetProperty(f.Name))).ToArray();
        return TypedDataHasher.HashStruct(type, values);
    }

    private static object? Convert(string type, JsonElement value) => type switch
    {
        "string" => value.GetString(),
        "address" => EthAddress.Parse(value.GetString()!),
        "bool" => value.GetBoolean(),
        "bytes32" or "bytes" => Hex.Decode(value.GetString()!),
        _ when type.StartsWith("uint", StringComparison.Ordinal) =>
            BigInteger.Parse(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new IExecException(ErrorIds.MarketError, IExecErrorCategory.ProtocolError, $"Unsupported challenge member type {type}.", type),
    };
}
