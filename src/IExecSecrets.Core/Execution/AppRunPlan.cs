using System.Numerics;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The four orders of a run, with where the app, dataset and workerpool orders came from, which market orders were
/// refused and why, and what the run costs (nRLC, price × volume for app, dataset and workerpool).
/// <see cref="AppRunner.PrepareAsync"/> gives it unsigned (market orders carry their owners' signatures, the
/// requester has signed nothing); <see cref="AppRunner.Sign"/> signs the self orders and the request order.
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

    /// <summary>The request order (unsigned until <see cref="AppRunner.Sign"/>).</summary>
    public required RequestOrder RequestOrder { get; init; }

    /// <summary><c>Self</c> or <c>Market</c>.</summary>
    public required string AppOrderSource { get; init; }

    /// <summary><c>Null</c> (no dataset), <c>Self</c> or <c>Market</c>.</summary>
    public string DatasetOrderSource { get; init; } = "Null";

    /// <summary><c>Self</c> or <c>Market</c>.</summary>
    public required string WorkerpoolOrderSource { get; init; }

    /// <summary>Market orders that were offered but failed a check, in the order they were tried, with the reason.</summary>
    public IReadOnlyList<RefusedOrder> RefusedOrders { get; init; } = [];

    /// <summary>
    /// The consumed volume read on chain while the market orders were checked, by lower-case order hash (empty for a
    /// plan of the requester's own orders or a renewed one).
    /// </summary>
    internal IReadOnlyDictionary<string, BigInteger> ConsumedAtVetting { get; init; } = new Dictionary<string, BigInteger>();

    /// <summary>
    /// The gas limit that sufficed for a matchOrders of the same shape moments ago (see
    /// <see cref="Chain.TransactionCall.GasHint"/>), or null to estimate.
    /// </summary>
    internal BigInteger? MatchGasHint { get; init; }

    /// <summary>True once the requester has signed the request order (and the self orders).</summary>
    public bool IsSigned => RequestOrder.Sign != "0x";

    /// <summary>What the run costs the requester in nRLC.</summary>
    public BigInteger Cost => (AppOrder.AppPrice + DatasetOrder.DatasetPrice + WorkerpoolOrder.WorkerpoolPrice) * RequestOrder.Volume;

    /// <summary>The request order hash, lower-case hex; the deal id derives from it.</summary>
    public string RequestOrderHash => Crypto.Hex.Encode(RequestOrder.Hash(Context.Domain));
}
