namespace IExecSecrets.Core.Execution;

/// <summary>One observation while watching a deal: the tasks' current states, or an RPC hiccup that was ridden out.</summary>
/// <param name="Tasks">The latest known state of every task (empty before the first successful poll).</param>
/// <param name="Hiccup">A message when the last poll failed and watching goes on; null otherwise.</param>
public sealed record DealProgress(IReadOnlyList<TaskInfo> Tasks, string? Hiccup = null)
{
    /// <summary>How many tasks are final.</summary>
    public int FinalCount => Tasks.Count(t => t.IsFinal);
}
