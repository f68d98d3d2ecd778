using IExecSecrets.Completers;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Commands;

/// <summary>
/// Waits until the tasks of a deal, or the given tasks, are COMPLETED, FAILED or timed out, with a progress bar.
/// </summary>
/// <remarks>
/// Polls every task at -PollIntervalSeconds (5 s like the SDK) and shows a progress bar. A poll the RPC node does not
/// answer writes a warning and the wait goes on. Ctrl+C stops waiting; nothing on chain is cancelled and the deal keeps
/// running. The final tasks are written when all are final.
/// </remarks>
/// <example>
/// <code>Wait-IExecTask -DealId 0x7f2e...1ba7</code>
/// <para>Waits for every task of the deal and writes them once final.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Force | Wait-IExecTask -PollIntervalSeconds 2 | Save-IExecTaskResult</code>
/// <para>Runs the app, waits for its tasks polling every 2 seconds, then saves each result.</para>
/// </example>
/// <input type="System.String">Objects with a DealId or TaskId property.</input>
/// <output type="IExecSecrets.Output.IExecTask">The final state of each task.</output>
[Cmdlet(VerbsLifecycle.Wait, "IExecTask", DefaultParameterSetName = DealParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Wait-IExecTask.md")]
[OutputType(typeof(IExecTask))]
public sealed class WaitIExecTaskCommand : ChainCommandBase
{
    private const string DealParameterSet = "Deal";
    private const string TaskParameterSet = "Task";
    private const int ProgressActivityId = 4;
    private readonly List<(string Id, string? Chain)> _items = new();

    /// <summary>The deal whose tasks to wait for.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DealParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DealId { get; set; } = string.Empty;

    /// <summary>The tasks to wait for.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TaskParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <summary>Seconds between polls; 5 by default.</summary>
    [Parameter]
    [ValidateRange(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// The longest time to wait, in seconds (default 0: until every task is final). Past it the command writes the
    /// tasks' last known states and ends with an error: RpcUnreachable when the node failed (refused the connection,
    /// answered 5xx, timed out) and has not answered since, else WaitTimeout, also when the deadline cut short a poll
    /// the node was still answering. A node that is down without -TimeoutSec is reported by a warning at each poll.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>Validates and collects the ids; waiting starts once input ends.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == DealParameterSet)
            {
                DealWatcher.ParseId(DealId, ErrorIds.InvalidDealId, "deal id");
                _items.Add((DealId, Chain));
            }
            else
            {
                foreach (var id in TaskId)
                {
                    DealWatcher.ParseId(id, ErrorIds.InvalidTaskId, "task id");
                    _items.Add((id, Chain));
                }
            }
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <summary>Polls until every task is final and writes the final tasks; Ctrl+C stops waiting and changes nothing on chain.</summary>
    protected override void EndProcessing()
    {
        if (_items.Count == 0) return;
        try
        {
            var chain = ChainFor(_items[0].Chain);
            var rpc = Rpc;
            var watcher = new DealWatcher(rpc, chain.Hub!.Value);
            var tasks = new List<(byte[] Id, DealInfo? Deal)>();
            foreach (var (id, _) in _items)
            {
                if (ParameterSetName == DealParameterSet)
                {
                    var deal = Await(watcher.GetDealAsync(Hex.Decode(id), CancellationToken));
                    tasks.AddRange(deal.TaskIds.Select(t => (Hex.Decode(t), (DealInfo?)deal)));
                }
                else
                {
                    tasks.Add((Hex.Decode(id), null));
                }
            }

            var record = new ProgressRecord(ProgressActivityId, "Waiting for iExec tasks", $"0/{tasks.Count} tasks final");
            IReadOnlyList<TaskInfo> latest = [];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IExecException? lastFault = null;
            try
            {
                while (true)
                {
                    if (TimeoutSec > 0 && clock.Elapsed >= TimeSpan.FromSeconds(TimeoutSec))
                    {
                        foreach (var task in latest) WriteObject(IExecTask.From(task, chain.Name));
                        WriteIExecError(TimedOut(lastFault, latest.Count == 0 ? tasks.Count : latest.Count(t => !t.IsFinal), tasks.Count));
                        return;
                    }

                    // The latest poll that saw the node answer or fail decides between RpcUnreachable and WaitTimeout.
                    // lastFault is not cleared here: a poll the deadline cuts before it sees anything (one started a
                    // moment before the deadline, or held by the node) says nothing new, so it must not erase what the
                    // polls before it saw. Only an answer clears it.
                    var failuresBefore = rpc.TransientFailureCount;
                    try
                    {
                        // A poll against a dead node retries inside the RPC client; the deadline cuts it short.
                        using var poll = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
                        if (TimeoutSec > 0) poll.CancelAfter(TimeSpan.FromSeconds(TimeoutSec) - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
                        latest = Await(Task.WhenAll(tasks.Select(t => watcher.GetTaskAsync(t.Id, t.Deal, poll.Token))));
                        lastFault = null;
                        var final = latest.Count(t => t.IsFinal);
                        // A fresh record per update: hosts may keep the records they were given.
                        record = new ProgressRecord(ProgressActivityId, record.Activity, $"{final}/{tasks.Count} tasks final: " + string.Join(", ", latest.GroupBy(t => t.StatusName).Select(g => $"{g.Count()} {g.Key}")))
                        {
                            PercentComplete = final * 100 / tasks.Count,
                        };
                        WriteProgress(record);
                        if (final == tasks.Count) break;
                    }
                    catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
                    {
                        // The deadline passed during the poll; the check at the top of the loop reports it. A node seen
                        // failing (refused, 5xx, timed out) during this poll is RpcUnreachable; one that was only slow
                        // keeps the verdict of the polls before: WaitTimeout if it last answered (or never failed),
                        // RpcUnreachable if it last failed and has not answered since.
                        if (rpc.TransientFailureCount > failuresBefore)
                        {
                            lastFault = new IExecException(ErrorIds.RpcUnreachable,
                                $"the node at {rpc.DisplayUrl} failed and was still being retried at the deadline", rpc.DisplayUrl);
                        }

                        continue;
                    }
                    catch (IExecException e) when (e.ErrorId is ErrorIds.RpcUnreachable or ErrorIds.RpcError)
                    {
                        lastFault = e;
                        WriteWarning($"The RPC node did not answer ({e.Message}); still waiting.");
                    }
                    var delay = TimeSpan.FromSeconds(PollIntervalSeconds);
                    if (TimeoutSec > 0)
                    {
                        // Never sleep past the deadline: the timeout is reported when it is reached, not a poll later.
                        var left = TimeSpan.FromSeconds(TimeoutSec) - clock.Elapsed;
                        delay = left < delay ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : delay;
                    }
                    Await(Task.Delay(delay, CancellationToken));
                }
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, record.Activity, record.StatusDescription) { RecordType = ProgressRecordType.Completed });
            }
            foreach (var task in latest) WriteObject(IExecTask.From(task, chain.Name));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private IExecException TimedOut(IExecException? lastFault, int pending, int total) =>
        lastFault is not null
            ? new IExecException(lastFault.ErrorId,
                $"Stopped waiting after {TimeoutSec} s: the RPC node did not answer ({lastFault.Message}); {pending} of {total} tasks not known to be final.", lastFault.Target, lastFault)
            {
                RecommendedAction = "Check the node (chain.json \"host\"), then run Wait-IExecTask again: nothing on chain was changed.",
            }
            : new IExecException(ErrorIds.WaitTimeout,
                $"Stopped waiting after {TimeoutSec} s: {pending} of {total} tasks are not final yet.", _items[0].Id)
            {
                RecommendedAction = "Run Wait-IExecTask again with a longer -TimeoutSec; the tasks go on running.",
            };
}
