namespace IExecSecrets.Output;

/// <summary>
/// The app output one worker kept for one task, as <c>Get-IExecTaskLog</c> reads it from the workerpool (like
/// <c>iexec task debug --logs</c>). Workers redact the secrets they provisioned; the text is the app's own output.
/// </summary>
public sealed class IExecTaskLog
{
    /// <summary>The task id, 0x + 64 hex digits.</summary>
    public required string TaskId { get; init; }

    /// <summary>The worker that ran this replicate, or null when the workerpool did not say.</summary>
    public string? Worker { get; init; }

    /// <summary>The app's standard output.</summary>
    public required string StandardOutput { get; init; }

    /// <summary>The app's standard error.</summary>
    public required string StandardError { get; init; }

    /// <summary>The workerpool API the logs were read from (scheme, host and port only).</summary>
    public required string WorkerpoolApi { get; init; }

    /// <summary>The chain name the task was read on.</summary>
    public required string Chain { get; init; }

    /// <summary>The last non-empty line the app printed, as the table view shows it (a property, so it can be filtered on).</summary>
    public string? LastOutput => StandardOutput.Split('\n').Select(line => line.TrimEnd('\r')).LastOrDefault(line => line.Length > 0);

    /// <summary>The task id, so <c>"$log"</c> names the task.</summary>
    public override string ToString() => TaskId;
}
