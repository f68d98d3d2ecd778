using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// One order of any of the four PoCo kinds, with what cancelling it needs: its hash under a domain, the resource it
/// is for, its volume and signature. Read from the order records, or from
/// the JSON of a signed order as the iexec SDK and the market write it (the EIP-712 members by their lower-case names,
/// numbers as decimal strings or JSON numbers, plus <c>sign</c>), whose kind is told by its members.
/// </summary>
public sealed class AnyOrder
{
    private static readonly Dictionary<OrderKind, string[]> Members = new()
    {
        [OrderKind.App] = ["app", "appprice", "volume", "tag", "datasetrestrict", "workerpoolrestrict", "requesterrestrict", "salt"],
        [OrderKind.Dataset] = ["dataset", "datasetprice", "volume", "tag", "apprestrict", "workerpoolrestrict", "requesterrestrict", "salt"],
        [OrderKind.Workerpool] = ["workerpool", "workerpoolprice", "volume", "tag", "category", "trust", "apprestrict", "datasetrestrict", "requesterrestrict", "salt"],
        [OrderKind.Request] = ["app", "appmaxprice", "dataset", "datasetmaxprice", "workerpool", "workerpoolmaxprice", "requester", "volume", "tag", "category", "trust", "beneficiary", "callback", "params", "salt"],
    };

    private AnyOrder(OrderKind kind, object order)
    {
        Kind = kind;
        Order = order;
    }

    /// <summary>The order kind.</summary>
    public OrderKind Kind { get; }

    /// <summary>The order record: <see cref="AppOrder"/>, <see cref="DatasetOrder"/>, <see cref="WorkerpoolOrder"/> or <see cref="RequestOrder"/>.</summary>
    public object Order { get; }

    /// <summary>The kind as the SDK names it: <c>apporder</c>, <c>datasetorder</c>, <c>workerpoolorder</c>, <c>requestorder</c>.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant() + "order";

    /// <summary>The app, dataset or workerpool the order is for; for a request order, its app.</summary>
    public EthAddress Resource => Order switch
    {
        AppOrder o => o.App,
        DatasetOrder o => o.Dataset,
        WorkerpoolOrder o => o.Workerpool,
        RequestOrder o => o.App,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The order's volume.</summary>
    public BigInteger Volume => Order switch
    {
        AppOrder o => o.Volume,
        DatasetOrder o => o.Volume,
        WorkerpoolOrder o => o.Volume,
        RequestOrder o => o.Volume,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The signature, or <c>0x</c> when unsigned.</summary>
    public string Sign => Order switch
    {
        AppOrder o => o.Sign,
        DatasetOrder o => o.Sign,
        WorkerpoolOrder o => o.Sign,
        RequestOrder o => o.Sign,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>True when <see cref="Sign"/> holds a signature.</summary>
    public bool IsSigned => Sign.Length > 2;

    /// <summary>The order hash under <paramref name="domain"/>.</summary>
    public byte[] Hash(Eip712Domain domain) => Order switch
    {
        AppOrder o => o.Hash(domain),
        DatasetOrder o => o.Hash(domain),
        WorkerpoolOrder o => o.Hash(domain),
        RequestOrder o => o.Hash(domain),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Who produced <see cref="Sign"/> for the hash under <paramref name="domain"/>.</summary>
    public EthAddress RecoverSigner(Eip712Domain domain) => OrderSigning.RecoverSigner(Hash(domain), Sign, KindName);

    /// <summary>Wraps an app order.</summary>
    public static AnyOrder Of(AppOrder order) => new(OrderKind.App, order ?? throw new ArgumentNullException(nameof(order)));

    /// <summary>Wraps a dataset order.</summary>
    public static AnyOrder Of(DatasetOrder order) => new(OrderKind.Dataset, order ?? throw new ArgumentNullException(nameof(order)));

    /// <summary>Wraps a workerpool order.</summary>
    public static AnyOrder Of(WorkerpoolOrder order) => new(OrderKind.Workerpool, order ?? throw new ArgumentNullException(nameof(order)));

    /// <summary>Wraps a request order.</summary>
    public static AnyOrder Of(RequestOrder order) => new(OrderKind.Request, order ?? throw new ArgumentNullException(nameof(order)));

    /// <summary>Wraps an order record of any kind; anything else is null.</summary>
    public static AnyOrder? TryOf(object? order) => order switch
    {
        AppOrder o => Of(o),
        DatasetOrder o => Of(o),
        WorkerpoolOrder o => Of(o),
        RequestOrder o => Of(o),
        AnyOrder o => o,
        _ => null,
    };

    /// <summary>
    /// Reads a signed (or unsigned) order from JSON text: an order object, or an object whose <c>order</c> member is
    /// one (as the market lists them). Its kind is the one whose members it has, every EIP-712 member is required and
    /// no other key than <c>sign</c> is allowed; anything else fails <see cref="ErrorIds.InvalidOrder"/>.
    /// </summary>
    public static AnyOrder Parse(string json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json ?? throw new ArgumentNullException(nameof(json)));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Invalid($"The order is not valid JSON: {e.Message}", "order", e);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("order", out var inner) && inner.ValueKind == JsonValueKind.Object) root = inner;
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("The order must be a JSON object.", "order");
        var keys = root.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var kind = keys.Contains("requester") || keys.Contains("appmaxprice") ? OrderKind.Request
            : keys.Contains("workerpoolprice") ? OrderKind.Workerpool
            : keys.Contains("datasetprice") ? OrderKind.Dataset
            : keys.Contains("appprice") ? OrderKind.App
            : throw Invalid("The object is no order: it has none of appprice, datasetprice, workerpoolprice or requester.", "order");
        var unknown = keys.Where(k => k != "sign" && !Members[kind].Contains(k)).ToArray();
        if (unknown.Length > 0) throw Invalid($"Unknown key \"{string.Join("\", \"", unknown)}\" in the {kind.ToString().ToLowerInvariant()}order.", unknown[0]);
        var sign = keys.Contains("sign") ? Text(root, "sign") : "0x";
        if (sign != "0x" && !Hex.IsHex(sign, 65)) throw Invalid("The order's 'sign' is not a 65-byte signature.", "sign");
        return kind switch
        {
            OrderKind.App => Of(new AppOrder
            {
                App = Address(root, "app"), AppPrice = Number(root, "appprice"), Volume = Number(root, "volume"), Tag = Bytes32(root, "tag"),
                DatasetRestrict = Address(root, "datasetrestrict"), WorkerpoolRestrict = Address(root, "workerpoolrestrict"),
                RequesterRestrict = Address(root, "requesterrestrict"), Salt = Bytes32(root, "salt"), Sign = sign,
            }),
            OrderKind.Dataset => Of(new DatasetOrder
            {
                Dataset = Address(root, "dataset"), DatasetPrice = Number(root, "datasetprice"), Volume = Number(root, "volume"), Tag = Bytes32(root, "tag"),
                AppRestrict = Address(root, "apprestrict"), WorkerpoolRestrict = Address(root, "workerpoolrestrict"),
                RequesterRestrict = Address(root, "requesterrestrict"), Salt = Bytes32(root, "salt"), Sign = sign,
            }),
            OrderKind.Workerpool => Of(new WorkerpoolOrder
            {
                Workerpool = Address(root, "workerpool"), WorkerpoolPrice = Number(root, "workerpoolprice"), Volume = Number(root, "volume"),
                Tag = Bytes32(root, "tag"), Category = Number(root, "category"), Trust = Number(root, "trust"), AppRestrict = Address(root, "apprestrict"),
                DatasetRestrict = Address(root, "datasetrestrict"), RequesterRestrict = Address(root, "requesterrestrict"), Salt = Bytes32(root, "salt"), Sign = sign,
            }),
            _ => Of(new RequestOrder
            {
                App = Address(root, "app"), AppMaxPrice = Number(root, "appmaxprice"), Dataset = Address(root, "dataset"),
                DatasetMaxPrice = Number(root, "datasetmaxprice"), Workerpool = Address(root, "workerpool"),
                WorkerpoolMaxPrice = Number(root, "workerpoolmaxprice"), Requester = Address(root, "requester"), Volume = Number(root, "volume"),
                Tag = Bytes32(root, "tag"), Category = Number(root, "category"), Trust = Number(root, "trust"), Beneficiary = Address(root, "beneficiary"),
                Callback = Address(root, "callback"), Params = Text(root, "params"), Salt = Bytes32(root, "salt"), Sign = sign,
            }),
        };
    }

    /// <summary>
    /// The order as compact JSON in the SDK's form (numbers as decimal strings), with <c>sign</c> only when
    /// <paramref name="withSignature"/>: without it the text can be logged or shown without handing out a usable order,
    /// and its owner can still cancel it.
    /// </summary>
    public string ToJson(bool withSignature)
    {
        JsonObject json = Order switch
        {
            AppOrder o => new()
            {
                ["app"] = o.App.ToString(), ["appprice"] = N(o.AppPrice), ["volume"] = N(o.Volume), ["tag"] = OrderTag.ToHex(o.Tag),
                ["datasetrestrict"] = o.DatasetRestrict.ToString(), ["workerpoolrestrict"] = o.WorkerpoolRestrict.ToString(),
                ["requesterrestrict"] = o.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(o.Salt),
            },
            DatasetOrder o => new()
            {
                ["dataset"] = o.Dataset.ToString(), ["datasetprice"] = N(o.DatasetPrice), ["volume"] = N(o.Volume), ["tag"] = OrderTag.ToHex(o.Tag),
                ["apprestrict"] = o.AppRestrict.ToString(), ["workerpoolrestrict"] = o.WorkerpoolRestrict.ToString(),
                ["requesterrestrict"] = o.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(o.Salt),
            },
            WorkerpoolOrder o => new()
            {
                ["workerpool"] = o.Workerpool.ToString(), ["workerpoolprice"] = N(o.WorkerpoolPrice), ["volume"] = N(o.Volume), ["tag"] = OrderTag.ToHex(o.Tag),
                ["category"] = N(o.Category), ["trust"] = N(o.Trust), ["apprestrict"] = o.AppRestrict.ToString(), ["datasetrestrict"] = o.DatasetRestrict.ToString(),
                ["requesterrestrict"] = o.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(o.Salt),
            },
            RequestOrder o => new()
            {
                ["app"] = o.App.ToString(), ["appmaxprice"] = N(o.AppMaxPrice), ["dataset"] = o.Dataset.ToString(), ["datasetmaxprice"] = N(o.DatasetMaxPrice),
                ["workerpool"] = o.Workerpool.ToString(), ["workerpoolmaxprice"] = N(o.WorkerpoolMaxPrice), ["requester"] = o.Requester.ToString(),
                ["volume"] = N(o.Volume), ["tag"] = OrderTag.ToHex(o.Tag), ["category"] = N(o.Category), ["trust"] = N(o.Trust),
                ["beneficiary"] = o.Beneficiary.ToString(), ["callback"] = o.Callback.ToString(), ["params"] = o.Params, ["salt"] = Hex.Encode(o.Salt),
            },
            _ => throw new InvalidOperationException(),
        };
        if (withSignature) json["sign"] = Sign;
        return json.ToJsonString();
    }

    private static string N(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static BigInteger Number(JsonElement o, string name)
    {
        if (!Uint256Json.TryRead(Member(o, name), out var number))
            throw Invalid($"The order's '{name}' is not an integer from 0 to 2^256-1.", name);
        return number;
    }

    private static EthAddress Address(JsonElement o, string name) =>
        EthAddress.TryParse(Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString() : null, out var address)
            ? address : throw Invalid($"The order's '{name}' is not an address.", name);

    private static byte[] Bytes32(JsonElement o, string name)
    {
        var text = Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString() : null;
        return Hex.IsHex(text, 32) ? Hex.Decode(text!) : throw Invalid($"The order's '{name}' is not a bytes32 hex string.", name);
    }

    private static string Text(JsonElement o, string name) =>
        Member(o, name).ValueKind == JsonValueKind.String ? Member(o, name).GetString()! : throw Invalid($"The order's '{name}' is not a string.", name);

    private static JsonElement Member(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) ? value : throw Invalid($"The order has no '{name}'.", name);

    private static IExecException Invalid(string message, string target, Exception? inner = null) =>
        new(ErrorIds.InvalidOrder, message, target, inner)
        {
            RecommendedAction = "Pass an order object output by the module (Publish-IExecAppOrder, Get-IExecAppOrder…), or the signed order's JSON as iexec order sign writes it.",
        };
}
