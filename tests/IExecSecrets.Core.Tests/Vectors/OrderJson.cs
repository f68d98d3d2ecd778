using System.Globalization;

namespace IExecSecrets.Core.Tests.Vectors;

/// <summary>Maps orders to and from the SDK's JSON shape (lower-case member names, numbers as decimal strings).</summary>
internal static class OrderJson
{
    public static AppOrder App(JsonElement e) => new()
    {
        App = Address(e, "app"),
        AppPrice = Number(e, "appprice"),
        Volume = Number(e, "volume"),
        Tag = Bytes(e, "tag"),
        DatasetRestrict = Address(e, "datasetrestrict"),
        WorkerpoolRestrict = Address(e, "workerpoolrestrict"),
        RequesterRestrict = Address(e, "requesterrestrict"),
        Salt = Bytes(e, "salt"),
        Sign = e.TryGetProperty("sign", out var sign) ? sign.GetString()! : "0x",
    };

    public static DatasetOrder Dataset(JsonElement e) => new()
    {
        Dataset = Address(e, "dataset"),
        DatasetPrice = Number(e, "datasetprice"),
        Volume = Number(e, "volume"),
        Tag = Bytes(e, "tag"),
        AppRestrict = Address(e, "apprestrict"),
        WorkerpoolRestrict = Address(e, "workerpoolrestrict"),
        RequesterRestrict = Address(e, "requesterrestrict"),
        Salt = Bytes(e, "salt"),
        Sign = e.TryGetProperty("sign", out var sign) ? sign.GetString()! : "0x",
    };

    public static WorkerpoolOrder Workerpool(JsonElement e) => new()
    {
        Workerpool = Address(e, "workerpool"),
        WorkerpoolPrice = Number(e, "workerpoolprice"),
        Volume = Number(e, "volume"),
        Tag = Bytes(e, "tag"),
        Category = Number(e, "category"),
        Trust = Number(e, "trust"),
        AppRestrict = Address(e, "apprestrict"),
        DatasetRestrict = Address(e, "datasetrestrict"),
        RequesterRestrict = Address(e, "requesterrestrict"),
        Salt = Bytes(e, "salt"),
        Sign = e.TryGetProperty("sign", out var sign) ? sign.GetString()! : "0x",
    };

    public static RequestOrder Request(JsonElement e) => new()
    {
        App = Address(e, "app"),
        AppMaxPrice = Number(e, "appmaxprice"),
        Dataset = Address(e, "dataset"),
        DatasetMaxPrice = Number(e, "datasetmaxprice"),
        Workerpool = Address(e, "workerpool"),
        WorkerpoolMaxPrice = Number(e, "workerpoolmaxprice"),
        Requester = Address(e, "requester"),
        Volume = Number(e, "volume"),
        Tag = Bytes(e, "tag"),
        Category = Number(e, "category"),
        Trust = Number(e, "trust"),
        Beneficiary = Address(e, "beneficiary"),
        Callback = Address(e, "callback"),
        Params = e.GetProperty("params").GetString()!,
        Salt = Bytes(e, "salt"),
        Sign = e.TryGetProperty("sign", out var sign) ? sign.GetString()! : "0x",
    };

    /// <summary>The SDK/ethers message object for an order: the EIP-712 member names with JSON-friendly values.</summary>
    public static JsonObject Message(TypedDataType type, object?[] values)
    {
        var message = new JsonObject();
        for (var i = 0; i < type.Fields.Count; i++)
        {
            message[type.Fields[i].Name] = values[i] switch
            {
                EthAddress a => a.ToString(),
                BigInteger n => n.ToString(CultureInfo.InvariantCulture),
                byte[] b => Hex.Encode(b),
                string s => s,
                var other => throw new NotSupportedException(other?.GetType().Name),
            };
        }
        return message;
    }

    private static EthAddress Address(JsonElement e, string name) => EthAddress.Parse(e.GetProperty(name).GetString()!);

    private static byte[] Bytes(JsonElement e, string name) => Hex.Decode(e.GetProperty(name).GetString()!);

    private static BigInteger Number(JsonElement e, string name)
    {
        var value = e.GetProperty(name);
        return BigInteger.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), CultureInfo.InvariantCulture);
    }
}
