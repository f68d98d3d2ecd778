using System.Globalization;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Output;

/// <summary>
/// A signed order as the order cmdlets show it: the EIP-712 members by name (addresses EIP-55, numbers as decimal
/// text, tag as hex and names), its signature, and what the market knows (hash, remaining volume, status, signer).
/// </summary>
public sealed class IExecOrder
{
    /// <summary>apporder, datasetorder, workerpoolorder or requestorder.</summary>
    public required string Kind { get; init; }

    /// <summary>The EIP-712 order hash.</summary>
    public string? OrderHash { get; init; }

    /// <summary>The resource: app, dataset or workerpool address (the app for request orders).</summary>
    public required string Resource { get; init; }

    /// <summary>The price per task in nRLC (the max price for request orders' workerpool).</summary>
    public required string Price { get; init; }

    /// <summary>The order volume.</summary>
    public required string Volume { get; init; }

    /// <summary>The tag, 0x + 64 hex digits.</summary>
    public required string Tag { get; init; }

    /// <summary>The tag's names, e.g. tee,scone.</summary>
    public required string TagNames { get; init; }

    /// <summary>The category (workerpool and request orders).</summary>
    public string? Category { get; init; }

    /// <summary>The requester restriction (or the requester for request orders).</summary>
    public string? Requester { get; init; }

    /// <summary>The app restriction of dataset orders (the only app that may use the dataset); null for other kinds.</summary>
    public string? AppRestrict { get; init; }

    /// <summary>The workerpool restriction (or the pinned workerpool of a request order).</summary>
    public string? Workerpool { get; init; }

    /// <summary>The params of a request order.</summary>
    public string? Params { get; init; }

    /// <summary>The signature, 0x + 130 hex digits, or 0x when unsigned (the null dataset order).</summary>
    public required string Sign { get; init; }

    /// <summary>Where the order came from: Self (signed now by the wallet), Market, or Null.</summary>
    public string? Source { get; init; }

    /// <summary>The volume left according to the market.</summary>
    public string? Remaining { get; init; }

    /// <summary>The market status (open).</summary>
    public string? Status { get; init; }

    /// <summary>Who signed the order, according to the market.</summary>
    public string? Signer { get; init; }

    /// <summary>When the order was published.</summary>
    public DateTimeOffset? PublicationTimestamp { get; init; }

    /// <summary>The order in its Core form, for callers that want every member.</summary>
    public object? Order { get; init; }

    /// <summary>An app order.</summary>
    public static IExecOrder From(AppOrder order, string? source, string? hash, PublishedOrder<AppOrder>? published = null) => new()
    {
        Kind = "apporder", OrderHash = hash ?? published?.OrderHash, Resource = order.App.ToString(), Price = Text(order.AppPrice),
        Volume = Text(order.Volume), Tag = OrderTag.ToHex(order.Tag), TagNames = Names(order.Tag), Requester = order.RequesterRestrict.ToString(),
        Workerpool = order.WorkerpoolRestrict.ToString(), Sign = order.Sign, Source = source, Order = order,
        Remaining = published is null ? null : Text(published.Remaining), Status = published?.Status, Signer = published?.Signer?.ToString(),
        PublicationTimestamp = published?.PublicationTimestamp,
    };

    /// <summary>A workerpool order.</summary>
    public static IExecOrder From(WorkerpoolOrder order, string? source, string? hash, PublishedOrder<WorkerpoolOrder>? published = null) => new()
    {
        Kind = "workerpoolorder", OrderHash = hash ?? published?.OrderHash, Resource = order.Workerpool.ToString(), Price = Text(order.WorkerpoolPrice),
        Volume = Text(order.Volume), Tag = OrderTag.ToHex(order.Tag), TagNames = Names(order.Tag), Category = Text(order.Category),
        Requester = order.RequesterRestrict.ToString(), Workerpool = order.Workerpool.ToString(), Sign = order.Sign, Source = source, Order = order,
        Remaining = published is null ? null : Text(published.Remaining), Status = published?.Status, Signer = published?.Signer?.ToString(),
        PublicationTimestamp = published?.PublicationTimestamp,
    };

    /// <summary>A dataset order (the null order for runs without a dataset).</summary>
    public static IExecOrder From(DatasetOrder order, string? source, string? hash, PublishedOrder<DatasetOrder>? published = null) => new()
    {
        Kind = "datasetorder", OrderHash = hash ?? published?.OrderHash, Resource = order.Dataset.ToString(), Price = Text(order.DatasetPrice), Volume = Text(order.Volume),
        Tag = OrderTag.ToHex(order.Tag), TagNames = Names(order.Tag), Requester = order.RequesterRestrict.ToString(), AppRestrict = order.AppRestrict.ToString(),
        Workerpool = order.WorkerpoolRestrict.ToString(), Sign = order.Sign, Source = source, Order = order,
        Remaining = published is null ? null : Text(published.Remaining), Status = published?.Status, Signer = published?.Signer?.ToString(),
        PublicationTimestamp = published?.PublicationTimestamp,
    };

    /// <summary>A request order.</summary>
    public static IExecOrder From(RequestOrder order, string? hash) => new()
    {
        Kind = "requestorder", OrderHash = hash, Resource = order.App.ToString(), Price = Text(order.WorkerpoolMaxPrice), Volume = Text(order.Volume),
        Tag = OrderTag.ToHex(order.Tag), TagNames = Names(order.Tag), Category = Text(order.Category), Requester = order.Requester.ToString(),
        Workerpool = order.Workerpool.ToString(), Params = order.Params, Sign = order.Sign, Source = "Self", Order = order,
    };

    internal static string Names(byte[] tag)
    {
        try
        {
            return string.Join(",", OrderTag.Names(tag));
        }
        catch (IExecException)
        {
            return Hex.Encode(tag);
        }
    }

    private static string Text(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The order hash; an order without one (not yet published) gives its kind and resource.</summary>
    public override string ToString() => OrderHash ?? $"{Kind} {Resource}";
}
