using System.Text.Json;
using System.Text.Json.Serialization;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// What the devnet worker did with one task, as <c>GET /tasks/&lt;taskid&gt;</c> on the market serves it. It never
/// holds a secret value: app output quoted in <see cref="Reason"/> has every provisioned secret replaced by
/// <c>***</c>.
/// </summary>
/// <param name="TaskId">The task id, lower-case 0x hex.</param>
/// <param name="DealId">The deal id, lower-case 0x hex.</param>
/// <param name="Index">The task index in the deal.</param>
/// <param name="App">The app address.</param>
/// <param name="State"><c>RUNNING</c>, <c>COMPLETED</c> or <c>FAILED</c> (as the worker last left it on chain).</param>
/// <param name="Reason">Why the task failed, or null.</param>
/// <param name="ExitCode">The app's exit code once it ran.</param>
/// <param name="ResultLocation">The result zip's location, <c>/ipfs/&lt;cid&gt;</c>, for a completed task.</param>
/// <param name="ResultDigest">The on-chain result digest (SHA-256 of the deterministic output), 0x hex.</param>
/// <param name="StartedAt">When the worker took the task.</param>
/// <param name="FinishedAt">When the task reached its final on-chain state.</param>
public sealed record WorkerTaskReport(
    string TaskId,
    string DealId,
    long Index,
    string App,
    string State,
    string? Reason,
    int? ExitCode,
    string? ResultLocation,
    string? ResultDigest,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The task is running (initialised, app not finished or not yet settled on chain).</summary>
    public const string Running = "RUNNING";

    /// <summary>contributeAndFinalize succeeded: the task is COMPLETED on chain.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>The task failed and was claimed: FAILED on chain (or could not be settled, see <see cref="Reason"/>).</summary>
    public const string Failed = "FAILED";

    /// <summary>camelCase JSON without nulls, as the status endpoint writes it.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
