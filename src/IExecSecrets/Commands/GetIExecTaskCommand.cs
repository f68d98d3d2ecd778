using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Commands;

/// <summary>Reads an iExec task from the chain: status, deadline and result location.</summary>
/// <remarks>
/// Reads viewTask. StatusName is UNSET, ACTIVE, REVEALING, COMPLETED or FAILED, or TIMEOUT when the task is not final
/// after its final deadline, as the SDK shows it. A task not yet initialised has no deadline on chain; pass -DealId to
/// compute it from the deal.
/// </remarks>
/// <example>
/// <code>Get-IExecTask 0xf95e...9384</code>
/// <para>Shows the task status and, once completed, its result location.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal $dealId | Get-IExecTask</code>
/// <para>Reads every task of the deal (binds TaskIds and DealId).</para>
/// </example>
/// <input type="System.String">Task ids, or objects with TaskId/TaskIds properties.</input>
/// <output type="IExecSecrets.Output.IExecTask">One object per task.</output>
[Cmdlet(VerbsCommon.Get, "IExecTask", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecTask.md")]
[OutputType(typeof(IExecTask))]
public sealed class GetIExecTaskCommand : ChainCommandBase
{
    /// <summary>The task ids, 0x followed by 64 hex digits; also binds TaskIds of piped deals.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TaskIds")]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <summary>The task's deal, to give an uninitialised task its deadline.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? DealId { get; set; }

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>Reads each task; a bad id is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        foreach (var text in TaskId)
        {
            try
            {
                var id = DealWatcher.ParseId(text, ErrorIds.InvalidTaskId, "task id");
                var dealId = string.IsNullOrEmpty(DealId) ? null : DealWatcher.ParseId(DealId, ErrorIds.InvalidDealId, "deal id");
                var chain = ChainProfile;
                var watcher = new DealWatcher(Rpc, chain.Hub!.Value);
                var deal = dealId is null ? null : Await(watcher.GetDealAsync(dealId, CancellationToken));
                WriteObject(IExecTask.From(Await(watcher.GetTaskAsync(id, deal, CancellationToken)), chain.Name));
            }
            catch (IExecException ex)
            {
                WriteIExecError(ex);
            }
        }
    }
}
