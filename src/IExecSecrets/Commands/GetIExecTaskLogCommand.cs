using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Commands;

/// <summary>Reads the app logs (standard output and error) the workers kept for a task, like iexec task debug --logs.</summary>
/// <remarks>
/// <para>Only the task's requester may read the logs: the connected wallet must be the requester of the task's deal (checked
/// on chain before any request), and it signs the workerpool's login challenge. That challenge must be an EIP-712
/// 'Challenge' with one string member under the 'iExec Core' domain of this chain; any other document is refused with
/// HostileChallenge and nothing is signed.</para>
/// <para>The workerpool API URL is given with -WorkerpoolApiUrl, else the URL pinned for the workerpool with
/// Set-IExecConfiguration -WorkerpoolApiUrl, else asked of the chain's iExec Compass (chain.json 'compass'). A pinned URL
/// wins over Compass, and a Compass answer that differs from the pin fails with WorkerpoolApiPinMismatch before anything
/// is signed. The login challenge is not bound to a host, so a relaying host could replay the signature against the real
/// API: it is signed only for an https (or loopback) API, whatever -AllowInsecureHttp says (InsecureWorkerpoolApiUrl),
/// and the host and where its URL came from are shown in -Verbose, in -WhatIf (nothing is signed or asked then) and
/// -Confirm, and in the WorkerpoolApi property of each log. Workers replace the secret values they provisioned with *** in what they keep. A task not
/// initialised yet fails with TaskNotInitialized; another wallet's task with NotTaskRequester (PermissionDenied).</para>
/// </remarks>
/// <example>
/// <code>Get-IExecTaskLog 0xf95e...9384</code>
/// <para>Shows what the app printed while the worker ran the task.</para>
/// </example>
/// <example>
/// <code>Get-IExecTaskLog 0xf95e...9384 -WhatIf</code>
/// <para>Shows which workerpool API host the log-in would be signed for, and where its URL comes from, without signing.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal $dealId | Get-IExecTaskLog | Select-Object -ExpandProperty StandardError</code>
/// <para>Prints the standard error of every task of the deal, e.g. to see why a run ended FAILED.</para>
/// </example>
/// <input type="System.String">Task ids, or tasks and deals (TaskId/TaskIds properties).</input>
/// <output type="IExecSecrets.Output.IExecTaskLog">One object per replicate: TaskId, Worker, StandardOutput, StandardError.</output>
[Cmdlet(VerbsCommon.Get, "IExecTaskLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecTaskLog.md")]
[OutputType(typeof(IExecTaskLog))]
public sealed class GetIExecTaskLogCommand : ChainCommandBase
{
    private ChainProfile? _chain;
    private TaskLogClient? _client;
    private readonly Dictionary<EthAddress, (Uri Url, string Source)> _apiByWorkerpool = new();

    /// <summary>
    /// The task ids, 0x followed by 64 hex digits; binds TaskId of piped tasks and TaskIds of piped deals (alias TaskIds).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TaskIds")]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>The workerpool's API URL, instead of asking the chain's iExec Compass for it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Uri? WorkerpoolApiUrl { get; set; }

    /// <summary>How many seconds one request to Compass or the workerpool may take, 1 to 3600 (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>Reads the logs of each task; a task that fails is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        var wallet = RequireWallet();

        foreach (var text in TaskId)
        {
            try
            {
                var id = DealWatcher.ParseId(text, ErrorIds.InvalidTaskId, "task id");
                var taskHex = Hex.Encode(id);
                _chain ??= ChainProfile;
                _client ??= new TaskLogClient(AllowInsecureHttp, TimeSpan.FromSeconds(TimeoutSec));
                var watcher = new DealWatcher(Rpc, _chain.Hub!.Value);
                var task = Await(watcher.GetTaskAsync(id, null, CancellationToken));
                if (task.DealId is null || task.Status == Core.PoCo.PoCoTaskStatus.Unset)
                {
                    throw new IExecException(ErrorIds.TaskNotInitialized,
                        $"Task {taskHex} is not initialized on {_chain.Name}: no worker has run it yet, so it has no logs.", taskHex);
                }

                var deal = Await(watcher.GetDealAsync(DealWatcher.ParseId(task.DealId, ErrorIds.InvalidDealId, "deal id"), CancellationToken));
                if (deal.Deal.Requester != wallet.Address)
                {
                    throw new IExecException(ErrorIds.NotTaskRequester,
                        $"Only task requester {deal.Deal.Requester} can access replicates logs; the connected wallet is {wallet.Address}.", taskHex)
                    { RecommendedAction = "Connect the requester's wallet with Connect-IExecWallet." };
                }

                var workerpool = deal.Deal.Workerpool.Pointer;
                if (!_apiByWorkerpool.TryGetValue(workerpool, out var resolved))
                {
                    var (pin, pinScope) = SavedDefaults.Shared.GetWorkerpoolApiPin(workerpool);
                    resolved = WorkerpoolApiUrl is not null ? (WorkerpoolApiUrl, "-WorkerpoolApiUrl")
                        : pin is not null ? (Await(_client.ResolveWorkerpoolApiAsync(_chain, workerpool, pin, CancellationToken)), $"pinned with Set-IExecConfiguration -Scope {pinScope}")
                        : (Await(_client.ResolveWorkerpoolApiAsync(_chain, workerpool, CancellationToken)), $"named by iExec Compass {Core.Net.TransportPolicy.Display(_chain.Compass)}");
                    _apiByWorkerpool[workerpool] = resolved;
                }

                var api = resolved.Url;
                var host = TaskLogClient.DisplayUrl(api);
                // Refused before the user is asked: a plain-http host off this machine never gets the signature.
                TaskLogClient.EnsureLoginHost(api);
                WriteVerbose($"The API of workerpool {workerpool} is {host} ({resolved.Source}); the log-in challenge of task {taskHex} is signed for that host as {wallet.Address}.");
                if (!ShouldProcess($"workerpool API {host} of {workerpool} ({resolved.Source})", $"Sign the iExec Core log-in challenge as {wallet.Address} and read the logs of task {taskHex}"))
                {
                    continue;
                }

                var entries = Await(_client.GetLogsAsync(api, taskHex, _chain.ChainId, wallet.Signer, CancellationToken));
                if (entries.Count == 0)
                {
                    WriteWarning($"The workerpool has no logs for task {taskHex} (no replicate has reported any).");
                }

                foreach (var entry in entries)
                {
                    WriteObject(new IExecTaskLog
                    {
                        TaskId = entry.TaskId,
                        Worker = entry.Worker?.ToString(),
                        StandardOutput = entry.StandardOutput,
                        StandardError = entry.StandardError,
                        WorkerpoolApi = TaskLogClient.DisplayUrl(api),
                        Chain = _chain.Name,
                    });
                }
            }
            catch (IExecException ex)
            {
                WriteError(ToErrorRecord(ex, text));
            }
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _client?.Dispose();
        base.DisposeResources();
    }
}
