namespace IExecSecrets.Output;

/// <summary>
/// What <c>Invoke-IExecApp -WhatIf</c> would match: the four orders, unsigned (the requester signs nothing under
/// -WhatIf, and market orders are shown without their signatures), the cost, the market orders refused and why, and
/// the secrets a real run would push first. Nothing of it is on chain or sent anywhere.
/// </summary>
public sealed class IExecRunPlan
{
    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>
    /// What a real run would sign, in the words of the -Confirm/-WhatIf text: app, dataset and workerpool with the
    /// order prices and the max prices of the request order, category, tag and the total.
    /// </summary>
    public required string Description { get; init; }

    /// <summary>What the run would cost in nRLC.</summary>
    public required string Cost { get; init; }

    /// <summary>The app order.</summary>
    public required IExecPlannedOrder AppOrder { get; init; }

    /// <summary>The dataset order (the null order without a dataset).</summary>
    public required IExecPlannedOrder DatasetOrder { get; init; }

    /// <summary>The workerpool order.</summary>
    public required IExecPlannedOrder WorkerpoolOrder { get; init; }

    /// <summary>The request order (unsigned).</summary>
    public required IExecPlannedOrder RequestOrder { get; init; }

    /// <summary>The deal id the match would create (keccak256 of the request order hash and 0).</summary>
    public required string PredictedDealId { get; init; }

    /// <summary>Requester secrets missing on the SMS that a real run would push from -Vault just before signing.</summary>
    public string[] SecretsToPush { get; init; } = [];

    /// <summary>
    /// The names the -SecretValue values would be pushed under. A run draws new ones; -WhatIf pushes nothing.
    /// </summary>
    public string[] OneShotSecretNames { get; init; } = [];

    /// <summary>Market orders that failed a check and were skipped, each with the reason.</summary>
    public string[] RefusedOrders { get; init; } = [];

    /// <summary>The id the deal will have once matched.</summary>
    public override string ToString() => PredictedDealId;

    /// <summary>The plan of <paramref name="run"/> on <paramref name="chain"/>, as -WhatIf shows it.</summary>
    internal static IExecRunPlan From(Core.Execution.PlannedRun run, Core.Config.ChainProfile chain)
    {
        var plan = run.Plan;
        var requestHash = run.RequestHash;
        var domain = plan.Context.Domain;
        return new IExecRunPlan
        {
            Chain = chain.Name,
            Description = RunPlanText.Describe(run, chain),
            Cost = RunCommandSupport.Text(plan.Cost),
            AppOrder = IExecPlannedOrder.From(plan.AppOrder, plan.AppOrderSource, Core.Crypto.Hex.Encode(plan.AppOrder.Hash(domain))),
            DatasetOrder = IExecPlannedOrder.From(plan.DatasetOrder, plan.DatasetOrderSource),
            WorkerpoolOrder = IExecPlannedOrder.From(plan.WorkerpoolOrder, plan.WorkerpoolOrderSource, Core.Crypto.Hex.Encode(plan.WorkerpoolOrder.Hash(domain))),
            RequestOrder = IExecPlannedOrder.From(plan.RequestOrder, Core.Crypto.Hex.Encode(requestHash)),
            PredictedDealId = Core.Crypto.Hex.Encode(Core.Orders.ExecutionIds.DealId(requestHash, System.Numerics.BigInteger.Zero)),
            SecretsToPush = run.MissingSecrets.ToArray(),
            OneShotSecretNames = run.Checked.OneShots.Select(o => o.Name).ToArray(),
            RefusedOrders = plan.RefusedOrders.Select(r => r.ToString()).ToArray(),
        };
    }
}
