using IExecSecrets.Core.Orders;

namespace IExecSecrets.DevNet.Market;

/// <summary>
/// What the market needs to know about one of the four order types: its route, its EIP-712 type (whose member order
/// is also the JSON field order of answers), the price member that sorts the book and the member naming the
/// resource whose on-chain owner must have signed (the requester itself for request orders).
/// </summary>
internal sealed class MarketOrderKind
{
    private MarketOrderKind(string name, TypedDataType type, string priceField, string resourceField, bool priceDescending = false)
    {
        Name = name;
        Type = type;
        PriceField = priceField;
        ResourceField = resourceField;
        PriceDescending = priceDescending;
    }

    public static MarketOrderKind App { get; } = new("apporder", AppOrder.Eip712Type, "appprice", "app");

    public static MarketOrderKind Dataset { get; } = new("datasetorder", DatasetOrder.Eip712Type, "datasetprice", "dataset");

    public static MarketOrderKind Workerpool { get; } = new("workerpoolorder", WorkerpoolOrder.Eip712Type, "workerpoolprice", "workerpool");

    // iexec-market-api sorts request orders by workerpoolmaxprice, highest first (the best offer for a pool).
    public static MarketOrderKind Request { get; } = new("requestorder", RequestOrder.Eip712Type, "workerpoolmaxprice", "requester", priceDescending: true);

    public static IReadOnlyList<MarketOrderKind> All { get; } = [App, Dataset, Workerpool, Request];

    /// <summary>apporder, datasetorder, workerpoolorder or requestorder.</summary>
    public string Name { get; }

    /// <summary>The route segment, e.g. <c>apporders</c>.</summary>
    public string Route => Name + "s";

    public TypedDataType Type { get; }

    public string PriceField { get; }

    public bool PriceDescending { get; }

    public string ResourceField { get; }

    /// <summary>True for request orders, signed by the requester named in the order rather than a contract owner.</summary>
    public bool SignedByResourceItself => ReferenceEquals(this, Request);

    public int IndexOf(string field)
    {
        for (var i = 0; i < Type.Fields.Count; i++)
        {
            if (Type.Fields[i].Name == field) return i;
        }
        return -1;
    }
}
