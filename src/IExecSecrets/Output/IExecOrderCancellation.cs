namespace IExecSecrets.Output;

/// <summary>
/// One order cancelled by <c>Revoke-IExecOrder</c>: which order, on which chain, and the transaction that closed it
/// (none when PoCo already counted it closed or used up).
/// </summary>
public sealed class IExecOrderCancellation
{
    /// <summary>apporder, datasetorder, workerpoolorder or requestorder.</summary>
    public required string Kind { get; init; }

    /// <summary>The EIP-712 order hash under the chain's hub domain.</summary>
    public required string OrderHash { get; init; }

    /// <summary>The app, dataset or workerpool the order is for (the app of a request order).</summary>
    public required string Resource { get; init; }

    /// <summary>The owner who cancelled it (the connected wallet).</summary>
    public required string Owner { get; init; }

    /// <summary>The order's volume.</summary>
    public required string Volume { get; init; }

    /// <summary>Cancelled (a transaction closed it now) or AlreadyClosed (nothing was left to use).</summary>
    public required string Status { get; init; }

    /// <summary>The manage*Order transaction, or null when none was needed.</summary>
    public string? TxHash { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The order hash.</summary>
    public override string ToString() => OrderHash;
}
