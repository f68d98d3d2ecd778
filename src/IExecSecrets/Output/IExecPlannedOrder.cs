using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Output;

/// <summary>
/// One order of a run plan shown by <c>Invoke-IExecApp -WhatIf</c>: what it is for, its price, volume, tag and
/// restrictions, and where it came from. It has no signature member: -WhatIf signs nothing, and a market order's
/// signature is not shown either, so the plan can be read, logged or shared without handing out a usable order.
/// </summary>
public sealed class IExecPlannedOrder
{
    /// <summary>apporder, datasetorder, workerpoolorder or requestorder.</summary>
    public required string Kind { get; init; }

    /// <summary>The EIP-712 order hash under the hub's domain (null for the null dataset order).</summary>
    public string? OrderHash { get; init; }

    /// <summary>The resource: app, dataset or workerpool address (the app for request orders).</summary>
    public required string Resource { get; init; }

    /// <summary>The price per task in nRLC; for the request order, the workerpool max price.</summary>
    public required string Price { get; init; }

    /// <summary>The request order's app max price in nRLC (request orders only).</summary>
    public string? AppMaxPrice { get; init; }

    /// <summary>The request order's dataset max price in nRLC (request orders only).</summary>
    public string? DatasetMaxPrice { get; init; }

    /// <summary>The request order's dataset (request orders only; the zero address for none).</summary>
    public string? Dataset { get; init; }

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

    /// <summary>The workerpool restriction (or the pinned workerpool of a request order).</summary>
    public string? Workerpool { get; init; }

    /// <summary>The params of a request order.</summary>
    public string? Params { get; init; }

    /// <summary>Self (the requester's own, to be signed when the run goes ahead), Market (checked), or Null.</summary>
    public string? Source { get; init; }

    /// <summary>An app order of the plan.</summary>
    public static IExecPlannedOrder From(AppOrder order, string source, string hash) => new()
    {
        Kind = "apporder", OrderHash = hash, Resource = order.App.ToString(), Price = Text(order.AppPrice), Volume = Text(order.Volume),
        Tag = OrderTag.ToHex(order.Tag), TagNames = IExecOrder.Names(order.Tag), Requester = order.RequesterRestrict.ToString(),
        Workerpool = order.WorkerpoolRestrict.ToString(), Source = source,
    };

    /// <summary>The dataset order of the plan (the null order for runs without a dataset).</summary>
    public static IExecPlannedOrder From(DatasetOrder order, string source) => new()
    {
        Kind = "datasetorder", Resource = order.Dataset.ToString(), Price = Text(order.DatasetPrice), Volume = Text(order.Volume),
        Tag = OrderTag.ToHex(order.Tag), TagNames = IExecOrder.Names(order.Tag), Requester = order.RequesterRestrict.ToString(),
        Workerpool = order.WorkerpoolRestrict.ToString(), Source = source,
    };

    /// <summary>The workerpool order of the plan.</summary>
    public static IExecPlannedOrder From(WorkerpoolOrder order, string source, string hash) => new()
    {
        Kind = "workerpoolorder", OrderHash = hash, Resource = order.Workerpool.ToString(), Price = Text(order.WorkerpoolPrice),
        Volume = Text(order.Volume), Tag = OrderTag.ToHex(order.Tag), TagNames = IExecOrder.Names(order.Tag), Category = Text(order.Category),
        Requester = order.RequesterRestrict.ToString(), Workerpool = order.Workerpool.ToString(), Source = source,
    };

    /// <summary>The (unsigned) request order of the plan.</summary>
    public static IExecPlannedOrder From(RequestOrder order, string hash) => new()
    {
        Kind = "requestorder", OrderHash = hash, Resource = order.App.ToString(), Price = Text(order.WorkerpoolMaxPrice),
        AppMaxPrice = Text(order.AppMaxPrice), DatasetMaxPrice = Text(order.DatasetMaxPrice), Dataset = order.Dataset.ToString(),
        Volume = Text(order.Volume), Tag = OrderTag.ToHex(order.Tag), TagNames = IExecOrder.Names(order.Tag), Category = Text(order.Category),
        Requester = order.Requester.ToString(), Workerpool = order.Workerpool.ToString(), Params = order.Params, Source = "Self",
    };

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The order as readable text (kind, resource, price), so a plan shown without its view (Select-Object *, a log of
    /// <c>$plan.AppOrder</c>) reads "apporder 0x… 0 nRLC" and not the type name.
    /// </summary>
    public override string ToString() => $"{Kind} {Resource} {Price} nRLC";
}
