namespace IExecSecrets.Output;

/// <summary>
/// One order the market stopped listing after <c>Unpublish-IExecAppOrder</c>, <c>Unpublish-IExecDatasetOrder</c> or
/// <c>Unpublish-IExecWorkerpoolOrder</c>. Its signature stays valid on chain: <c>Revoke-IExecOrder</c> closes it.
/// </summary>
public sealed class IExecOrderUnpublication
{
    /// <summary>apporder, datasetorder or workerpoolorder.</summary>
    public required string Kind { get; init; }

    /// <summary>The order hash the market unpublished.</summary>
    public required string OrderHash { get; init; }

    /// <summary>The app, dataset or workerpool, when the orders were unpublished by resource (-All, or the last one).</summary>
    public string? Resource { get; init; }

    /// <summary>The market, as scheme, host and port.</summary>
    public required string Market { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The order hash.</summary>
    public override string ToString() => OrderHash;
}
