using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets.DevNet.Market;

/// <summary>
/// A published order: its members as .NET values in EIP-712 order (<see cref="EthAddress"/>, <see cref="BigInteger"/>,
/// 32-byte arrays, strings), its signature, hash, signer and publication time.
/// </summary>
internal sealed class MarketOrder
{
    public MarketOrder(MarketOrderKind kind, object?[] values, string sign, string orderHash, EthAddress signer, DateTimeOffset publicationTimestamp)
    {
        Kind = kind;
        Values = values;
        Sign = sign;
        OrderHash = orderHash;
        Signer = signer;
        PublicationTimestamp = publicationTimestamp;
    }

    public MarketOrderKind Kind { get; }

    public object?[] Values { get; }

    /// <summary>The signature, lower-case 0x hex.</summary>
    public string Sign { get; }

    /// <summary>The EIP-712 order hash, lower-case 0x hex.</summary>
    public string OrderHash { get; }

    public EthAddress Signer { get; }

    public DateTimeOffset PublicationTimestamp { get; }

    /// <summary>True once its signer unpublished it (<c>PUT /&lt;kind&gt;s</c>): no longer listed, shown as <c>canceled</c>.</summary>
    public bool Canceled { get; set; }

    public EthAddress Address(string field) => (EthAddress)Values[Kind.IndexOf(field)]!;

    public BigInteger Number(string field) => (BigInteger)Values[Kind.IndexOf(field)]!;

    public BigInteger Tag => new((byte[])Values[Kind.IndexOf("tag")]!, isUnsigned: true, isBigEndian: true);

    public BigInteger Price => Number(Kind.PriceField);

    /// <summary>
    /// Reads a JSON order as the SDK sends it: every EIP-712 member (addresses in any case, numbers as JSON numbers
    /// or decimal strings, bytes32 as 0x hex) plus <c>sign</c>; unknown members are ignored. Throws
    /// <see cref="MarketRequestException"/> naming the first bad member.
    /// </summary>
    public static (object?[] Values, string Sign) Parse(MarketOrderKind kind, JsonObject order)
    {
        var values = new object?[kind.Type.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var field = kind.Type.Fields[i];
            var node = order[field.Name] as JsonValue;
            values[i] = field.Type switch
            {
                "address" => node is not null && node.TryGetValue<string>(out var text) && EthAddress.TryParse(text, out var address)
                    ? address : throw Invalid(kind, field.Name, "an address"),
                "uint256" => ParseUint(node) ?? throw Invalid(kind, field.Name, "a positive integer"),
                "bytes32" => node is not null && node.TryGetValue<string>(out var hex) && Hex.IsHex(hex, 32)
                    ? Hex.Decode(hex) : throw Invalid(kind, field.Name, "a bytes32 hex string"),
                "string" => node is not null && node.TryGetValue<string>(out var value) ? value : throw Invalid(kind, field.Name, "a string"),
                _ => throw new InvalidOperationException($"Unexpected member type {field.Type}."),
            };
        }
        var sign = order["sign"] is JsonValue signNode && signNode.TryGetValue<string>(out var signText) && Hex.IsHex(signText, 65)
            ? signText.ToLowerInvariant() : throw Invalid(kind, "sign", "a 65-byte signature hex string");
        return (values, sign);
    }

    /// <summary>Writes <c>{orderHash, order, chainId, remaining, status, publicationTimestamp, signer}</c> with numbers as JSON numbers.</summary>
    public void WriteTo(Utf8JsonWriter writer, ulong chainId, BigInteger remaining)
    {
        writer.WriteStartObject();
        WriteFieldsTo(writer, chainId, remaining);
        writer.WriteEndObject();
    }

    /// <summary>The members of <see cref="WriteTo"/> without the enclosing object, for answers that add <c>ok</c>.</summary>
    public void WriteFieldsTo(Utf8JsonWriter writer, ulong chainId, BigInteger remaining)
    {
        writer.WriteString("orderHash", OrderHash);
        writer.WritePropertyName("order");
        WriteOrderTo(writer);
        writer.WriteNumber("chainId", chainId);
        writer.WritePropertyName("remaining");
        writer.WriteRawValue(remaining.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("status", Canceled ? "canceled" : remaining > 0 ? "open" : "filled");
        writer.WriteString("publicationTimestamp", PublicationTimestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("signer", Signer.ToString());
    }

    private void WriteOrderTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < Values.Length; i++)
        {
            var name = Kind.Type.Fields[i].Name;
            switch (Values[i])
            {
                case EthAddress address: writer.WriteString(name, address.ToString()); break;
                case BigInteger number:
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case byte[] bytes: writer.WriteString(name, Hex.Encode(bytes)); break;
                case string text: writer.WriteString(name, text); break;
            }
        }
        writer.WriteString("sign", Sign);
        writer.WriteEndObject();
    }

    private static BigInteger? ParseUint(JsonValue? node)
    {
        if (node is null) return null;
        string? text = node.GetValueKind() switch
        {
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.String => node.GetValue<string>(),
            _ => null,
        };
        if (text is null || text.Length is 0 or > 78 || !text.All(char.IsAsciiDigit)) return null;
        var value = BigInteger.Parse(text, CultureInfo.InvariantCulture);
        return value < BigInteger.One << 256 ? value : null;
    }

    private static MarketRequestException Invalid(MarketOrderKind kind, string field, string expected) =>
        new($"invalid {kind.Name}: {field} must be {expected}");
}
