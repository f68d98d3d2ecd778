using System.Numerics;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The four signed orders of a run, ready for <c>matchOrders</c>, with where the app and workerpool orders came from
/// and what the run costs (nRLC, price × volume for app, dataset and workerpool).
/// </summary>
public sealed record AppRunPlan
{
    /// <summary>The chain state the plan was built from.</summary>
    public required AppRunContext Context { get; init; }

    /// <summary>The app order (self-signed when the requester owns the app, else from the market).</summary>
    public required AppOrder AppOrder { get; init; }

    /// <summary>The dataset order (the null order without a dataset).</summary>
    public required DatasetOrder DatasetOrder { get; init; }

    /// <summary>The workerpool order (self-signed when the requester owns the pool, else from the market).</summary>
    public required WorkerpoolOrder WorkerpoolOrder { get; init; }

    /// <summary>The signed request order.</summary>
    public required RequestOrder RequestOrder { get; init; }

    /// <summary><c>Self</c> or <c>Market</c>.</summary>
    public required string AppOrderSource { get; init; }

    /// <summary><c>Null</c> (no dataset), <c>Self</c> or <c>Market</c>.</summary>
    public string DatasetOrderSource { get; init; } = "Null";

    /// <summary><c>Self</c> or <c>Market</c>.</summary>
    public required string WorkerpoolOrderSource { get; init; }

    /// <summary>What the run costs the requester in nRLC.</summary>
    public BigInteger Cost => (AppOrder.AppPrice + DatasetOrder.DatasetPrice + WorkerpoolOrder.WorkerpoolPrice) * RequestOrder.Volume;

    /// <summary>The request order hash, lower-case hex; the deal id derives from it.</summary>
    public string RequestOrderHash => Crypto.Hex.Encode(RequestOrder.Hash(Context.Domain));
}
