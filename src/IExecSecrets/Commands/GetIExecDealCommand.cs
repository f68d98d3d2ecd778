using IExecSecrets.Completers;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Commands;

/// <summary>Reads iExec deals from the chain with the current state of their tasks, by id or by requester.</summary>
/// <remarks>
/// <para>Reads viewDeal, computes the task ids (keccak256 of the deal id and the task index) and the final
/// deadline (start time + final_deadline_ratio x the category's work clock), and reads every task. An unknown
/// deal id fails with DealNotFound; a malformed one with InvalidDealId before any network call.</para>
/// <para>What the chain holds is filled in: Cost (the app, dataset and workerpool prices locked per task, times the
/// tasks), RequesterSecrets (slot → SMS name, from the deal's params; names only, never values) and, with -Requester,
/// TxHash (the matchOrders transaction of the OrdersMatched event). A deal read by id leaves TxHash empty: the chain
/// does not index the event by deal.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecDeal 0x7f2e...1ba7</code>
/// <para>Shows the deal, its app, workerpool, params and tasks.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Force | Get-IExecDeal</code>
/// <para>Re-reads the deal just matched, with the current task states.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal -Requester (Get-IExecWallet).Address -FromBlock 1200000 | Select-Object -Last 1</code>
/// <para>Finds the last deal of the connected wallet, e.g. after Ctrl+C stopped Invoke-IExecApp -Watch before it
/// wrote the deal.</para>
/// </example>
/// <input type="System.String">Deal ids, or objects with a DealId property.</input>
/// <output type="IExecSecrets.Output.IExecDeal">The deal with TaskIds and Tasks.</output>
[Cmdlet(VerbsCommon.Get, "IExecDeal", DefaultParameterSetName = RequesterParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecDeal.md")]
[OutputType(typeof(IExecDeal))]
public sealed class GetIExecDealCommand : ChainCommandBase
{
    private const string IdParameterSet = "Id";
    private const string RequesterParameterSet = "Requester";

    /// <summary>The deal ids (0x + 64 hex digits); binds DealId of piped deals and tasks.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] DealId { get; set; } = [];

    /// <summary>
    /// Lists the deals of this requester, found from the hub's OrdersMatched events between -FromBlock and the latest
    /// block, oldest first. Without any id or -Requester, the connected wallet's deals are listed.
    /// </summary>
    [Parameter(ParameterSetName = RequesterParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? Requester { get; set; }

    /// <summary>The first block searched with -Requester (default: the 100,000 blocks before the latest).</summary>
    [Parameter(ParameterSetName = RequesterParameterSet)]
    [ValidateRange(0, long.MaxValue)]
    public long? FromBlock { get; set; }

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>How far back -Requester looks by default.</summary>
    public const long DefaultLookBackBlocks = 100_000;

    /// <summary>Reads one deal per id; a bad or unknown id is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != IdParameterSet)
        {
            return;
        }

        foreach (var dealId in DealId)
        {
            try
            {
                var id = DealWatcher.ParseId(dealId, ErrorIds.InvalidDealId, "deal id");
                var watcher = Watcher();
                WriteVerbose($"Reading deal {dealId} on {ChainProfile.Name} via {Core.Net.TransportPolicy.Display(ChainProfile.Host)}");
                WriteObject(Read(watcher, Await(watcher.GetDealAsync(id, CancellationToken))));
            }
            catch (IExecException ex)
            {
                WriteIExecError(ex);
            }
        }
    }

    /// <summary>With -Requester: searches the OrdersMatched events and writes the requester's deals.</summary>
    protected override void EndProcessing()
    {
        if (ParameterSetName != RequesterParameterSet)
        {
            return;
        }

        try
        {
            var requester = Requester is not null
                ? AddressInput.Parse(Requester, nameof(Requester))
                : WalletSession.Current?.Address ?? throw new IExecException(ErrorIds.RequesterRequired,
                    "No -Requester was given and no wallet is connected.")
                {
                    RecommendedAction = "Pass -Requester 0x… or connect the requester's wallet with Connect-IExecWallet.",
                };
            var watcher = Watcher();
            var latest = Await(Rpc.BlockNumberAsync(CancellationToken));
            var from = FromBlock ?? Math.Max(0, latest - DefaultLookBackBlocks);
            WriteVerbose($"Searching OrdersMatched events of hub {ChainProfile.Hub} in blocks {from}..{latest} on {ChainProfile.Name}");
            var matches = Await(new DealFinder(Rpc, ChainProfile.Hub!.Value).FindMatchesAsync(from, latest, CancellationToken));
            foreach (var (id, txHash) in matches)
            {
                var deal = Await(watcher.GetDealAsync(id, CancellationToken));
                if (deal.Deal.Requester == requester)
                {
                    WriteObject(Read(watcher, deal, txHash));
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private DealWatcher Watcher() => new(Rpc, ChainProfile.Hub!.Value);

    private IExecDeal Read(DealWatcher watcher, DealInfo deal, string? txHash = null)
    {
        var tasks = Await(Task.WhenAll(deal.TaskIds.Select(t => watcher.GetTaskAsync(Hex.Decode(t), deal, CancellationToken))));
        return RunCommandSupport.FromDeal(deal, ChainProfile.Name, tasks, txHash);
    }
}
