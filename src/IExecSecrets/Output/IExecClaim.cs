using System.Numerics;

namespace IExecSecrets.Output;

/// <summary>
/// A claim <c>Invoke-IExecClaim</c> made: the task or the deal's tasks claimed back after their final deadline, the
/// transactions, and what the hub unlocked back to the sponsor's stake.
/// </summary>
public sealed class IExecClaim
{
    /// <summary>Task (iexec task claim) or Deal (iexec deal claim).</summary>
    public required string Kind { get; init; }

    /// <summary>The deal.</summary>
    public required string DealId { get; init; }

    /// <summary>The tasks claimed, now FAILED on chain.</summary>
    public required string[] TaskIds { get; init; }

    /// <summary>Who paid the deal (the requester, unless a sponsor did): the refund went to this account's stake.</summary>
    public required string Sponsor { get; init; }

    /// <summary>nRLC unlocked back to the sponsor's free stake, read from the hub's Unlock events in the receipts.</summary>
    public required BigInteger Refunded { get; init; }

    /// <summary>The final deadline that had passed (chain time).</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>The claim transactions, in order (claim, claimArray or initializeAndClaimArray).</summary>
    public required string[] TxHashes { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The deal id.</summary>
    public override string ToString() => DealId;
}
