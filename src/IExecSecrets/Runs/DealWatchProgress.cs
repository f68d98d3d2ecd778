using System.Collections.Concurrent;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Execution;

namespace IExecSecrets;

/// <summary>
/// Watches every deal of a run at once (Core's <see cref="DealWatcher"/>) and shows one progress bar over all their
/// tasks on the calling cmdlet, on the pipeline thread; a poll hiccup is a warning. Ctrl+C stops watching and leaves
/// the deals running on chain.
/// </summary>
internal sealed class DealWatchProgress(IExecCmdlet cmdlet, int activityId, CancellationToken cancellationToken)
{
    /// <summary>The final tasks of each deal, in the order given.</summary>
    public IReadOnlyList<IReadOnlyList<TaskInfo>> Watch(DealWatcher watcher, IReadOnlyList<(byte[] DealId, int TaskCount)> deals, TimeSpan pollInterval)
    {
        using var updates = new BlockingCollection<(int Deal, DealProgress Progress)>();
        var watches = deals.Select((d, i) => watcher.WatchAsync(d.DealId, pollInterval, new QueueProgress(p => updates.Add((i, p))), cancellationToken)).ToArray();
        var taskCount = deals.Sum(d => d.TaskCount);
        var finalByDeal = new int[deals.Count];
        var activity = deals.Count == 1 ? $"Watching deal {Hex.Encode(deals[0].DealId)}" : $"Watching {deals.Count} deals";
        var status = $"0/{taskCount} tasks final";
        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, status));
        try
        {
            var all = Task.WhenAll(watches);
            while (!all.IsCompleted)
            {
                try
                {
                    if (updates.TryTake(out var update, 100, cancellationToken)) status = Show(activity, status, update.Progress, update.Deal, finalByDeal, taskCount);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (updates.TryTake(out var last)) status = Show(activity, status, last.Progress, last.Deal, finalByDeal, taskCount);
            try
            {
                all.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            return watches.Select(w => w.Result).ToArray();
        }
        finally
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, status) { RecordType = ProgressRecordType.Completed });
        }
    }

    private string Show(string activity, string status, DealProgress update, int deal, int[] finalByDeal, int taskCount)
    {
        if (update.Hiccup is not null)
        {
            cmdlet.WriteWarning(update.Hiccup);
            return status;
        }
        finalByDeal[deal] = update.FinalCount;
        var final = finalByDeal.Sum();
        var statuses = string.Join(", ", update.Tasks.GroupBy(t => t.StatusName).Select(g => $"{g.Count()} {g.Key}"));
        status = finalByDeal.Length == 1 ? $"{final}/{taskCount} tasks final: {statuses}" : $"{final}/{taskCount} tasks final";
        // A fresh record per update: hosts may keep the records they were given.
        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, status) { PercentComplete = taskCount == 0 ? 100 : final * 100 / taskCount });
        return status;
    }

    // Progress<T> would post to a captured context; the pipeline thread drains this queue itself.
    private sealed class QueueProgress(Action<DealProgress> add) : IProgress<DealProgress>
    {
        public void Report(DealProgress value)
        {
            try
            {
                add(value);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The watch outlived the cmdlet's queue; nobody is listening anymore.
            }
        }
    }
}
