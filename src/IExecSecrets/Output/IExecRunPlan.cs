namespace IExecSecrets.Output;

/// <summary>
/// What <c>Invoke-IExecApp -WhatIf</c> would match: the four orders (the request order signed locally, nothing
/// sent), the cost and the preflight outcome. Nothing of it is on chain.
/// </summary>
public sealed class IExecRunPlan
{
    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>What the run would cost in nRLC.</summary>
    public required string Cost { get; init; }

    /// <summary>The app order.</summary>
    public required IExecOrder AppOrder { get; init; }

    /// <summary>The dataset order (the null order without a dataset).</summary>
    public required IExecOrder DatasetOrder { get; init; }

    /// <summary>The workerpool order.</summary>
    public required IExecOrder WorkerpoolOrder { get; init; }

    /// <summary>The request order.</summary>
    public required IExecOrder RequestOrder { get; init; }

    /// <summary>The deal id the match would create (keccak256 of the request order hash and 0).</summary>
    public required string PredictedDealId { get; init; }

    /// <summary>Requester secrets missing on the SMS that a real run would push from -Vault first.</summary>
    public string[] SecretsToPush { get; init; } = [];
}
