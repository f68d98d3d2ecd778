using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Reads iExec deals from the chain with the current state of their tasks, by id or by requester.</para>
/// </summary>
/// <remarks>
/// By requester, the deals are found from the hub's OrdersMatched events in a bounded block range and each is read to
/// keep the requester's own: a deal matched by <c>Invoke-IExecApp -Watch</c> stopped with Ctrl+C is found this way.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "IExecDeal", DefaultParameterSetName = RequesterParameterSet)]
[OutputType(typeof(IExecDeal))]
public sealed class GetIExecDealCommand : IExecCmdlet
{
    private const string IdParameterSet = "Id";
    private const string RequesterParameterSet = "Requester";
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;

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

    /// <summary>The chain: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

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
                WriteVerbose($"Reading deal {dealId} on {_chain!.Name} via {_chain.Host}");
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
                : WalletSession.Current?.Address ?? throw new IExecException(ErrorIds.RequesterRequired, IExecErrorCategory.InvalidArgument,
                    "No -Requester was given and no wallet is connected.")
                {
                    RecommendedAction = "Pass -Requester 0x… or connect the requester's wallet with Connect-IExecWallet.",
                };
            var watcher = Watcher();
            var latest = Await(_rpc!.BlockNumberAsync(CancellationToken));
            var from = FromBlock ?? Math.Max(0, latest - DefaultLookBackBlocks);
            WriteVerbose($"Searching OrdersMatched events of hub {_chain!.Hub} in blocks {from}..{latest} on {_chain.Name}");
            var ids = Await(new DealFinder(_rpc, _chain.Hub!.Value).FindDealIdsAsync(from, latest, CancellationToken));
            foreach (var id in ids)
            {
                var deal = Await(watcher.GetDealAsync(id, CancellationToken));
                if (deal.Deal.Requester == requester)
                {
                    WriteObject(Read(watcher, deal));
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources() => _rpc?.Dispose();

    private DealWatcher Watcher()
    {
        _chain ??= ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(string.IsNullOrEmpty(Chain) ? null : Chain);
        _rpc ??= ChainRpc.Connect(_chain);
        return new DealWatcher(_rpc, _chain.Hub!.Value);
    }

    private IExecDeal Read(DealWatcher watcher, DealInfo deal)
    {
        var tasks = Await(Task.WhenAll(deal.TaskIds.Select(t => watcher.GetTaskAsync(Hex.Decode(t), deal, CancellationToken))));
        return RunCommandSupport.FromDeal(deal, _chain!.Name, tasks);
    }
}
