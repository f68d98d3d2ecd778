using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

// Reads market JSON orders (numbers as JSON numbers or decimal strings) into order records and writes signed orders
// the way the SDK posts them (numbers as decimal strings).
internal static class MarketOrderJson
{
    public static AppOrder ReadApp(JsonElement o) => new()
    {
        App = Address(o, "app"),
        AppPrice = Number(o, "appprice"),
        Volume = Number(o, "volume"),
        Tag = Bytes32(o, "tag"),
        DatasetRestrict = Address(o, "datasetrestrict"),
        WorkerpoolRestrict = Address(o, "workerpoolrestrict"),
        RequesterRestrict = Address(o, "requesterrestrict"),
        Salt = Bytes32(o, "salt"),
        Sign = Text(o, "sign"),
    };

    public static DatasetOrder ReadDataset(JsonElement o) => new()
    {
        Dataset = Address(o, "dataset"),
        DatasetPrice = Number(o, "datasetprice"),
        Volume = Number(o, "volume"),
        Tag = Bytes32(o, "tag"),
        AppRestrict = Address(o, "apprestrict"),
        WorkerpoolRestrict = Address(o, "workerpoolrestrict"),
        RequesterRestrict = Address(o, "requesterrestrict"),
        Salt = Bytes32(o, "salt"),
        Sign = Text(o, "sign"),
    };

    public static WorkerpoolOrder ReadWorkerpool(JsonElement o) => new()
    {
        Workerpool = Address(o, "workerpool"),
        WorkerpoolPrice = Number(o, "workerpoolprice"),
        Volume = Number(o, "volume"),
        Tag = Bytes32(o, "tag"),
        Category = Number(o, "category"),
        Trust = Number(o, "trust"),
        AppRestrict = Address(o, "apprestrict"),
        DatasetRestrict = Address(o, "datasetrestrict"),
        RequesterRestrict = Address(o, "requesterrestrict"),
        Salt = Bytes32(o, "salt"),
        Sign = Text(o, "sign"),
    };

    // Written the way the SDK posts signed orders: every EIP-712 member under its name (addresses checksummed, numbers
    // as decimal strings, bytes32 as 0x hex), then sign.
    public static JsonObject Write<TOrder>(SignedOrder<TOrder> order)
        where TOrder : SignedOrder<TOrder>
    {
        var json = new JsonObject();
        foreach (var (name, value) in order.NamedMembers())
        {
            json[name] = value switch
            {
                EthAddress address => address.ToString(),
                BigInteger number => number.ToString(CultureInfo.InvariantCulture),
                byte[] bytes => Hex.Encode(bytes),
                string text => text,
                _ => throw new ArgumentException($"An order member '{name}' of an unexpected type.", nameof(order)),
            };
        }
        json["sign"] = order.Sign;
        return json;
    }

    public static BigInteger Number(JsonElement o, string name)
    {
        if (!Uint256Json.TryRead(Member(o, name), out var number))
            throw Bad(name, "an integer from 0 to 2^256-1");
        return number;
    }

    private static EthAddress Address(JsonElement o, string name) =>
        EthAddress.TryParse(Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString() : null, out var address)
            ? address : throw Bad(name, "an address");

    private static byte[] Bytes32(JsonElement o, string name)
    {
        var text = Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString() : null;
        return Hex.IsHex(text, 32) ? Hex.Decode(text!) : throw Bad(name, "a bytes32 hex string");
    }

    private static string Text(JsonElement o, string name) =>
        Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString()! : throw Bad(name, "a string");

    private static JsonElement Member(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var value) ? value : throw Bad(name, "present");

    private static IExecException Bad(string name, string expected) =>
        new(ErrorIds.MarketError, $"The market answered an order whose '{name}' is not {expected}.", name)
        {
            Data = { ["reason"] = $"its '{name}' is not {expected}" },
        };
}
