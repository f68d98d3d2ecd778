using IExecSecrets.Core.Execution;

namespace IExecSecrets.Output;

/// <summary>
/// An iExec task as <c>Get-IExecTask</c>, <c>Wait-IExecTask</c> and <c>Invoke-IExecApp -Watch</c> report it. Pipe
/// it to <c>Save-IExecTaskResult</c> (binds <see cref="TaskId"/>) or <c>Wait-IExecTask</c>.
/// </summary>
public sealed class IExecTask
{
    /// <summary>The task id, 0x + 64 hex digits.</summary>
    public required string TaskId { get; init; }

    /// <summary>The deal the task belongs to, when known.</summary>
    public string? DealId { get; init; }

    /// <summary>The task's index in its deal.</summary>
    public required long Index { get; init; }

    /// <summary>
    /// The status as the SDK names it: UNSET, ACTIVE, REVEALING, COMPLETED, FAILED, or TIMEOUT when not final after the
    /// final deadline. An enum that prints and compares by name: <c>$task.Status -eq 'COMPLETED'</c>.
    /// </summary>
    public required IExecTaskStatus Status { get; init; }

    /// <summary>The on-chain status (UNSET, ACTIVE, REVEALING, COMPLETED or FAILED; never TIMEOUT).</summary>
    public required IExecTaskStatus ChainStatus { get; init; }

    /// <summary>The SDK's status name as text, the same as <see cref="Status"/>; kept for runbooks that filter on it.</summary>
    public required string StatusName { get; init; }

    /// <summary>True when the task is not final and its final deadline has passed.</summary>
    public required bool TimedOut { get; init; }

    /// <summary>True when the task is COMPLETED, FAILED or timed out.</summary>
    public required bool IsFinal { get; init; }

    /// <summary>When the task must be final (UTC), or null when unknown.</summary>
    public DateTimeOffset? FinalDeadline { get; init; }

    /// <summary>Where the result is stored: ipfs, dropbox or none.</summary>
    public required string ResultStorage { get; init; }

    /// <summary>The result location, e.g. /ipfs/Qm…, or null.</summary>
    public string? ResultLocation { get; init; }

    /// <summary>The raw results text as finalised on chain (JSON for stored results).</summary>
    public required string Results { get; init; }

    /// <summary>The chain name the task was read on; Save-IExecTaskResult and Wait-IExecTask bind it.</summary>
    public string? Chain { get; init; }

    /// <summary>Converts a Core task.</summary>
    public static IExecTask From(TaskInfo task, string? chain) => new()
    {
        TaskId = task.TaskId,
        DealId = task.DealId,
        Index = (long)task.Index,
        Status = task.TimedOut ? IExecTaskStatus.TIMEOUT : (IExecTaskStatus)(int)task.Status,
        ChainStatus = (IExecTaskStatus)(int)task.Status,
        StatusName = task.StatusName,
        TimedOut = task.TimedOut,
        IsFinal = task.IsFinal,
        FinalDeadline = task.FinalDeadline,
        ResultStorage = task.ResultStorage,
        // Written on chain by a worker: shown without terminal control characters (Core resolves the raw text as a URL).
        ResultLocation = task.ResultLocation is null ? null : Core.Text.ForeignText.Clean(task.ResultLocation),
        Results = task.ResultsText,
        Chain = chain,
    };

    /// <summary>The task id, so "$task" is the id in strings and logs.</summary>
    public override string ToString() => TaskId;
}
