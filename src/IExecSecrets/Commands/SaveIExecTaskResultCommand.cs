using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Downloads a completed task's result archive from the chain's IPFS gateway, optionally expanding it.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "IExecTaskResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IExecTaskResult))]
public sealed class SaveIExecTaskResultCommand : IExecCmdlet
{
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;
    private TaskResultDownloader? _downloader;

    /// <summary>
    /// The task ids; binds TaskId of piped tasks (Get-IExecTask, Wait-IExecTask) and TaskIds of piped deals
    /// (Invoke-IExecApp -Watch, Get-IExecDeal), so a deal saves the result of each of its tasks.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TaskIds")]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <summary>
    /// Where to save: a path ending in .zip is the archive file itself (one task only); any other path is a folder
    /// (created when missing) that receives &lt;taskid&gt;.zip per task, the PowerShell convention for a destination.
    /// Default: the current folder.
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Also expands each archive: next to &lt;taskid&gt;.zip into the folder &lt;taskid&gt;, or for a .zip path into the
    /// folder named after the file without .zip.
    /// </summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    /// <summary>The chain: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>Reads each task, checks it is completed with an IPFS result, downloads and saves it.</summary>
    protected override void ProcessRecord()
    {
        if (TaskId.Length > 1 && IsZipPath(Path))
        {
            // Several results cannot share one archive path; refused before anything is downloaded.
            WriteIExecError(new IExecException(ErrorIds.ResultWriteFailed, IExecErrorCategory.InvalidArgument,
                $"{TaskId.Length} task results cannot all be saved as {Path}.", Path)
            {
                RecommendedAction = "Give a folder as -Path (each result is saved there as <taskid>.zip).",
            });
            return;
        }

        foreach (var taskId in TaskId)
        {
            try
            {
                SaveOne(taskId);
            }
            catch (IExecException ex)
            {
                WriteIExecError(ex);
            }
        }
    }

    private static bool IsZipPath(string? path) => path is not null && path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    private void SaveOne(string taskId)
    {
        var id = DealWatcher.ParseId(taskId, ErrorIds.InvalidTaskId, "task id");
        var current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        _chain ??= ChainResolver.FromDirectory(current).Resolve(string.IsNullOrEmpty(Chain) ? null : Chain);
        var gateway = RunCommandSupport.RequireIpfsGateway(_chain);
        _rpc ??= ChainRpc.Connect(_chain);
        _downloader ??= new TaskResultDownloader(gateway);
        var task = Await(new DealWatcher(_rpc, _chain.Hub!.Value).GetTaskAsync(id, null, CancellationToken));
        var url = _downloader.ResultUrl(task);

        var target = Path is null ? current : GetUnresolvedProviderPathFromPSPath(Path);
        var isFile = IsZipPath(Path) && !Directory.Exists(target);
        var folder = isFile ? System.IO.Path.GetDirectoryName(target)! : target;
        var zipPath = isFile ? target : System.IO.Path.Combine(folder, task.TaskId + ".zip");
        var expanded = Expand
            ? System.IO.Path.Combine(folder, System.IO.Path.GetFileNameWithoutExtension(zipPath))
            : null;
        if (!ShouldProcess(zipPath, $"Save result of task {task.TaskId} from {url}")) return;
        try
        {
            if (File.Exists(folder))
            {
                throw new IExecException(ErrorIds.ResultWriteFailed, IExecErrorCategory.ResourceExists,
                    $"{folder} is a file, so the result cannot be saved in it.", folder)
                {
                    RecommendedAction = "Give a folder that does not exist yet or an existing folder, or a path ending in .zip.",
                };
            }

            Directory.CreateDirectory(folder);
            if (expanded is not null && File.Exists(expanded))
            {
                throw new IExecException(ErrorIds.ResultWriteFailed, IExecErrorCategory.ResourceExists,
                    $"{expanded} is a file, so the result cannot be expanded there.", expanded);
            }

            WriteVerbose($"Downloading {url} to {zipPath}");
            var length = Await(_downloader.DownloadAsync(task, zipPath, CancellationToken));
            if (expanded is not null)
            {
                TaskResultDownloader.Expand(zipPath, expanded);
            }

            WriteObject(new IExecTaskResult { TaskId = task.TaskId, Path = zipPath, Length = length, ExpandedPath = expanded, SourceUrl = url.ToString() });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk, a read-only folder or a name taken by a folder: the file system's refusal with its own id.
            throw new IExecException(ErrorIds.ResultWriteFailed, ex is UnauthorizedAccessException ? IExecErrorCategory.PermissionDenied : IExecErrorCategory.InvalidOperation,
                $"The result of task {task.TaskId} could not be written to {zipPath}: {ex.Message}", zipPath, ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _downloader?.Dispose();
        _rpc?.Dispose();
    }
}
