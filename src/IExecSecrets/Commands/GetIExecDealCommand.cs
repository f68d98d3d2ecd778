using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>Reads an iExec deal from the chain with the current state of its tasks.</summary>
/// <remarks>
/// Reads viewDeal, computes the task ids (keccak256 of the deal id and the task index) and the final deadline (start
/// time + final_deadline_ratio x the category's work clock), and reads every task. An unknown deal id fails with
/// DealNotFound; a malformed one with InvalidDealId before any network call.
/// </remarks>
/// <example>
/// <code>Get-IExecDeal 0x7f2e...1ba7</code>
/// <para>Shows the deal, its app, workerpool, params and tasks.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Force | Get-IExecDeal</code>
/// <para>Re-reads the deal just matched, with the current task states.</para>
/// </example>
/// <input type="System.String">Deal ids, or objects with a DealId property.</input>
/// <output type="IExecSecrets.Output.IExecDeal">The deal with TaskIds and Tasks.</output>
[Cmdlet(VerbsCommon.Get, "IExecDeal")]
[OutputType(typeof(IExecDeal))]
public sealed class GetIExecDealCommand : IExecCmdlet
{
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;

    /// <summary>The deal id, 0x followed by 64 hex digits.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DealId { get; set; } = string.Empty;

    /// <summary>
    /// The chain: a chain.json name or a built-in name. Default: the "default" chain of chain.json in the current
    /// folder. Binds the Chain property of piped tasks and deals.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the chain's RPC node; without it such a URL fails with InsecureRpcUrl before anything is sent, since requests and answers would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>Reads one deal per id; a bad or unknown id is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var id = DealWatcher.ParseId(DealId, ErrorIds.InvalidDealId, "deal id");
            _chain ??= ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(string.IsNullOrEmpty(Chain) ? null : Chain);
            _rpc ??= ChainRpc.Connect(_chain, AllowInsecureHttp);
            var watcher = new DealWatcher(_rpc, _chain.Hub!.Value);
            WriteVerbose($"Reading deal {DealId} on {_chain.Name} via {Core.Net.TransportPolicy.Display(_chain.Host)}");
            var deal = Await(watcher.GetDealAsync(id, CancellationToken));
            var tasks = Await(Task.WhenAll(deal.TaskIds.Select(t => watcher.GetTaskAsync(Hex.Decode(t), deal, CancellationToken))));
            WriteObject(RunCommandSupport.FromDeal(deal, _chain.Name, tasks));
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources() => _rpc?.Dispose();
}
