using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// Downloads a completed task's result archive from the chain's IPFS gateway, optionally expanding it.
/// </summary>
/// <remarks>
/// Reads the task, requires it to be COMPLETED (TaskNotCompleted otherwise) with a result stored on IPFS (NoTaskResult,
/// ResultStorageUnsupported), downloads location from the chain's ipfsGateway with Accept: application/zip, and writes
/// it through a temporary file so a partial download never looks complete. -Expand also unzips it.
/// </remarks>
/// <example>
/// <code>Save-IExecTaskResult 0xf95e...9384 -Expand; Get-Content ./0xf95e...9384/result.txt</code>
/// <para>Saves and expands the result, then shows the app's result.txt.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal $dealId | Get-IExecTask | Where-Object StatusName -eq COMPLETED | Save-IExecTaskResult -Path ./results</code>
/// <para>Saves the result of every completed task of a deal into ./results.</para>
/// </example>
/// <input type="System.String">Task ids, or objects with a TaskId property.</input>
/// <output type="IExecSecrets.Output.IExecTaskResult">The saved zip path, its size and the expanded folder.</output>
[Cmdlet(VerbsData.Save, "IExecTaskResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IExecTaskResult))]
public sealed class SaveIExecTaskResultCommand : IExecCmdlet
{
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;
    private TaskResultDownloader? _downloader;

    /// <summary>The task id; binds TaskId of piped tasks.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string TaskId { get; set; } = string.Empty;

    /// <summary>
    /// The zip file to write, or an existing folder to write &lt;taskid&gt;.zip into. Default: &lt;taskid&gt;.zip in
    /// the current folder.
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Also expands the archive into a folder named after the zip file.</summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    /// <summary>
    /// The chain: a chain.json name or a built-in name. Default: the "default" chain of chain.json in the current
    /// folder. Binds the Chain property of piped tasks and deals.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the chain's RPC node and IPFS gateway; without it such a URL fails with InsecureRpcUrl or InsecureGatewayUrl before anything is sent, since requests and answers would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>
    /// Hosts (host or host:port) a task's result location may point at besides the chain's IPFS gateway and result
    /// proxy; '*' allows any host, as the iexec CLI does. A location elsewhere fails with ResultHostNotAllowed
    /// before any request, since the location is written on chain by a worker.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowResultHost { get; set; }

    /// <summary>Reads the task, checks it is completed with an IPFS result, downloads and saves it.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var id = DealWatcher.ParseId(TaskId, ErrorIds.InvalidTaskId, "task id");
            var current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            _chain ??= ChainResolver.FromDirectory(current).Resolve(string.IsNullOrEmpty(Chain) ? null : Chain);
            var gateway = RunCommandSupport.RequireIpfsGateway(_chain, AllowInsecureHttp);
            _rpc ??= ChainRpc.Connect(_chain, AllowInsecureHttp);
            _downloader ??= new TaskResultDownloader(gateway, options: new ResultDownloadOptions
            {
                ResultProxy = Uri.TryCreate(_chain.ResultProxy, UriKind.Absolute, out var proxy) ? proxy : null,
                AllowedHosts = AllowResultHost?.Where(h => h != "*").ToArray() ?? [],
                AllowAnyHost = AllowResultHost?.Contains("*") ?? false,
                AllowInsecureHttp = AllowInsecureHttp,
            });
            var task = Await(new DealWatcher(_rpc, _chain.Hub!.Value).GetTaskAsync(id, null, CancellationToken));
            var url = _downloader.ResultUrl(task);

            var target = Path is null ? current : GetUnresolvedProviderPathFromPSPath(Path);
            var zipPath = Directory.Exists(target) ? System.IO.Path.Combine(target, task.TaskId + ".zip") : target;
            var source = Core.Net.TransportPolicy.Display(url);
            if (!ShouldProcess(zipPath, $"Save result of task {task.TaskId} from {source}")) return;
            WriteVerbose($"Downloading the result of task {task.TaskId} from {source} to {zipPath}");
            var expanded = Expand
                ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(zipPath)!, System.IO.Path.GetFileNameWithoutExtension(zipPath))
                : null;
            // Core downloads and expands through temporary siblings: neither the zip nor the folder appears unless whole.
            var length = Await(_downloader.SaveAsync(task, zipPath, expanded, CancellationToken));
            WriteObject(new IExecTaskResult { TaskId = task.TaskId, Path = zipPath, Length = length, ExpandedPath = expanded, SourceUrl = source });
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _downloader?.Dispose();
        _rpc?.Dispose();
    }
}
