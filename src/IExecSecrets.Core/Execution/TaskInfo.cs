using System.Numerics;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// A task as the SDK shows it: the on-chain status plus <see cref="StatusName"/>, which is <c>TIMEOUT</c> when the
/// task is not final (status &lt; 3) and the final deadline has passed, and the decoded result pointer.
/// </summary>
public sealed record TaskInfo
{
    /// <summary>The task id, lower-case hex.</summary>
    public required string TaskId { get; init; }

    /// <summary>The deal id, lower-case hex (from the deal when the task is not initialised yet).</summary>
    public string? DealId { get; init; }

    /// <summary>The task's index in its deal.</summary>
    public BigInteger Index { get; init; }

    /// <summary>The on-chain status.</summary>
    public PoCoTaskStatus Status { get; init; }

    /// <summary>UNSET, ACTIVE, REVEALING, COMPLETED, FAILED, or TIMEOUT.</summary>
    public string StatusName => TimedOut ? "TIMEOUT" : Status.ToString().ToUpperInvariant();

    /// <summary>True when the task is not final and its final deadline has passed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>When the task must be final, or null when unknown (uninitialised task read without its deal).</summary>
    public DateTimeOffset? FinalDeadline { get; init; }

    /// <summary>True when the task ended: completed, failed or timed out.</summary>
    public bool IsFinal => Status is PoCoTaskStatus.Completed or PoCoTaskStatus.Failed || TimedOut;

    /// <summary>Where the result is stored (<c>ipfs</c>, <c>dropbox</c>, or <c>none</c>).</summary>
    public string ResultStorage { get; init; } = "none";

    /// <summary>The result location, e.g. <c>/ipfs/Qm…</c>, or null.</summary>
    public string? ResultLocation { get; init; }

    /// <summary>The raw <c>results</c> bytes as UTF-8 text (JSON for stored results).</summary>
    public string ResultsText { get; init; } = "";
}
