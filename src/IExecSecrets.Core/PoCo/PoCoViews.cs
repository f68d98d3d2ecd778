using System.Numerics;

namespace IExecSecrets.Core.PoCo;

/// <summary>The hub's EIP-712 domain as <c>domain()</c> returns it (name "iExecODB", version "5.0.0").</summary>
public sealed record PoCoDomain(string Name, string Version, BigInteger ChainId, EthAddress VerifyingContract);

/// <summary>A requester's escrow account from <c>viewAccount</c>: free <see cref="Stake"/> and <see cref="Locked"/> nRLC.</summary>
public sealed record PoCoAccount(BigInteger Stake, BigInteger Locked);

/// <summary>A work category from <c>viewCategory</c>; <see cref="WorkClockTimeRef"/> is in seconds.</summary>
public sealed record PoCoCategory(string Name, string Description, BigInteger WorkClockTimeRef);

/// <summary>A resource of a deal: the app, dataset or workerpool contract, its owner and the agreed price.</summary>
public sealed record DealResource(EthAddress Pointer, EthAddress Owner, BigInteger Price);

/// <summary>A deal from <c>viewDeal</c>. A deal id the hub does not know reads as all zeroes (<see cref="Exists"/> false).</summary>
public sealed record PoCoDeal(
    DealResource App,
    DealResource Dataset,
    DealResource Workerpool,
    BigInteger Trust,
    BigInteger Category,
    byte[] Tag,
    EthAddress Requester,
    EthAddress Beneficiary,
    EthAddress Callback,
    string Params,
    BigInteger StartTime,
    BigInteger BotFirst,
    BigInteger BotSize,
    BigInteger WorkerStake,
    BigInteger SchedulerRewardRatio,
    EthAddress Sponsor)
{
    /// <summary>False for the zero struct the hub returns for an unknown deal id.</summary>
    public bool Exists => !App.Pointer.IsZero;
}

/// <summary>A task from <c>viewTask</c>; <see cref="Status"/> 0 UNSET, 1 ACTIVE, 2 REVEALING, 3 COMPLETED, 4 FAILED.</summary>
public sealed record PoCoTask(
    PoCoTaskStatus Status,
    byte[] DealId,
    BigInteger Index,
    BigInteger TimeRef,
    BigInteger ContributionDeadline,
    BigInteger RevealDeadline,
    BigInteger FinalDeadline,
    byte[] ConsensusValue,
    BigInteger RevealCounter,
    BigInteger WinnerCounter,
    IReadOnlyList<EthAddress> Contributors,
    byte[] ResultDigest,
    byte[] Results,
    BigInteger ResultsTimestamp,
    byte[] ResultsCallback);

/// <summary>PoCo task statuses (<c>IexecLibCore_v5.TaskStatusEnum</c>).</summary>
public enum PoCoTaskStatus
{
    /// <summary>Not initialised yet.</summary>
    Unset = 0,
    /// <summary>Initialised, accepting contributions.</summary>
    Active = 1,
    /// <summary>Consensus reached, reveals expected.</summary>
    Revealing = 2,
    /// <summary>Finalised with a result.</summary>
    Completed = 3,
    /// <summary>Claimed after the final deadline.</summary>
    Failed = 4,
}
