using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Results;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Downloads a completed task's result archive from the chain's IPFS gateway, optionally expanding it.
/// </summary>
/// <remarks>
/// Reads the task, requires it to be COMPLETED (TaskNotCompleted otherwise) with a result stored on IPFS (NoTaskResult,
/// ResultStorageUnsupported), downloads location from the chain's ipfsGateway with Accept: application/zip, and writes
/// it through a temporary file so a partial download never looks complete. -Expand also unzips it, into a temporary
/// folder moved into place only when every entry is out; with -Expand the archive itself appears only if the expansion
/// succeeded.
/// The location is written on chain by a worker and the archive by whoever serves it, so neither is trusted: a
/// location on a host other than the chain's ipfsGateway or resultProxy fails with ResultHostNotAllowed unless
/// -AllowResultHost names it; redirects are never followed (UnexpectedRedirect); an answer that is not a zip archive
/// fails with ResultArchiveInvalid; a download over 1 GiB fails with ResultTooLarge; an archive with more than 10,000
/// entries (ResultArchiveTooManyEntries), an entry over 1 GiB (ResultArchiveEntryTooLarge), more than 4 GiB in all
/// (ResultArchiveTooLarge) or expanding past 16 MiB to more than 100 times its size (ResultArchiveRatioTooHigh, a zip
/// bomb) is not expanded; an archive entry that is a symbolic link or special file fails with ResultArchiveLinkEntry.
/// Every such failure leaves neither the zip nor the folder behind. Files land only where -Path says: a path that is,
/// or passes through, a symbolic link below the current location (a cloned folder's "result -> ~"), or a link inside
/// an existing expansion folder, fails with SymbolicLinkRefused (SecurityError) naming the link, before anything is
/// downloaded or moved. URLs are shown as scheme, host and port only.
/// <para>Encrypted results (a run with Invoke-IExecApp -EncryptResult): the archive the enclave published holds only
/// aes-key.rsa and iexec_out.zip.aes. Without -Decrypt it is saved as it is, not expanded, and the output's IsEncrypted
/// says so (with a warning). With -Decrypt the beneficiary's private key is read once, before any download, from the
/// vault secret -VaultSecretName (New-IExecResultEncryptionKey stored it there; default vault: the one saved with
/// Set-IExecConfiguration) or from -DecryptionKey (the PEM text of a key made by iexec result
/// generate-encryption-keypair), its bytes zeroed as soon as the key is imported; each archive is decrypted as
/// iexec result decrypt does (AES-256-CBC under an RSA-encrypted key, or the legacy form), checked to be a sound zip
/// (every entry's CRC-32) and only then written: the plain result is saved as the task's zip (and expanded with
/// -Expand), the encrypted one is not kept. A key that does not open the archive, or an archive changed on its way, fails
/// ResultDecryptionFailed with nothing written; a key that is no RSA private key fails InvalidDecryptionKey before any
/// request.</para>
/// </remarks>
/// <example>
/// <code>Save-IExecTaskResult 0xf95e...9384 -Expand; Get-Content ./0xf95e...9384/result.txt</code>
/// <para>Saves and expands the result, then shows the app's result.txt.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal $dealId | Get-IExecTask | Where-Object StatusName -eq COMPLETED | Save-IExecTaskResult -Path ./results</code>
/// <para>Saves the result of every completed task of a deal into ./results.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -EncryptResult -Watch -Force | Save-IExecTaskResult -Decrypt -Vault MyVault -VaultSecretName result-key -Expand</code>
/// <para>Runs with an encrypted result, then decrypts it with the private key kept in MyVault and expands the plain result.</para>
/// </example>
/// <example>
/// <code>Save-IExecTaskResult $taskId -Decrypt -DecryptionKey (Get-Content -Raw ./.secrets/beneficiary/0xAbC..._key | ConvertTo-SecureString -AsPlainText -Force)</code>
/// <para>Decrypts with a key made by iexec result generate-encryption-keypair.</para>
/// </example>
/// <input type="System.String">Task ids, or objects with a TaskId property.</input>
/// <output type="IExecSecrets.Output.IExecTaskResult">The saved zip path, its size and the expanded folder.</output>
[Cmdlet(VerbsData.Save, "IExecTaskResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PlainSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Save-IExecTaskResult.md")]
[OutputType(typeof(IExecTaskResult))]
public sealed class SaveIExecTaskResultCommand : ChainCommandBase
{
    private const string PlainSet = "Plain";
    private const string VaultKeySet = "DecryptFromVault";
    private const string SecureKeySet = "DecryptWithKey";
    private ChainProfile? _chain;
    private TaskResultDownloader? _downloader;
    private ResultDecryptionKey? _key;

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

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>
    /// Hosts (host or host:port) a task's result location may point at besides the chain's IPFS gateway and result
    /// proxy; '*' allows any host, as the iexec CLI does. A location elsewhere fails with ResultHostNotAllowed
    /// before any request, since the location is written on chain by a worker.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowResultHost { get; set; }

    /// <summary>
    /// Decrypts encrypted results (Invoke-IExecApp -EncryptResult) with the beneficiary's private key, from
    /// -VaultSecretName or -DecryptionKey, and saves the plain result.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultKeySet)]
    [Parameter(Mandatory = true, ParameterSetName = SecureKeySet)]
    public SwitchParameter Decrypt { get; set; }

    /// <summary>
    /// The SecretManagement vault holding the private key. Default: the vault saved with Set-IExecConfiguration -Vault,
    /// else SecretManagement's registered default vault (named in the verbose stream).
    /// </summary>
    [Parameter(ParameterSetName = VaultKeySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>The vault secret holding the private key PEM (what New-IExecResultEncryptionKey -VaultSecretName stored).</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultKeySet)]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>The private key PEM as a SecureString (for a key made by iexec result generate-encryption-keypair).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SecureKeySet)]
    public SecureString? DecryptionKey { get; set; }

    /// <summary>Reads the decryption key once, before any download, and zeroes its bytes once imported.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!Decrypt) return;
        try
        {
            if (DecryptionKey is not null)
            {
                _key = SecureStrings.UseUtf8Bytes(DecryptionKey, bytes => ResultDecryptionKey.FromPem(bytes, nameof(DecryptionKey)));
                return;
            }
            var reader = new VaultSecretReader(InvokeCommand);
            var vault = Vault ?? Saved.Vault ?? reader.RegisteredDefaultVault() ?? throw new IExecException(ErrorIds.VaultNotFound,
                $"No vault was given for the decryption key {VaultSecretName}.", VaultSecretName)
            { RecommendedAction = "Pass -Vault, save a default with Set-IExecConfiguration -Vault, or register a SecretManagement default vault." };
            WriteVerbose($"Reading the decryption key {VaultSecretName} from vault '{vault}'.");
            var pem = reader.ReadBytes(VaultSecretName, vault);
            try
            {
                _key = ResultDecryptionKey.FromPem(pem, $"{vault}/{VaultSecretName}");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pem);
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>Reads each task, checks it is completed with an IPFS result, downloads and saves it.</summary>
    protected override void ProcessRecord()
    {
        if (TaskId.Length > 1 && IsZipPath(Path))
        {
            // Several results cannot share one archive path; refused before anything is downloaded.
            WriteIExecError(new IExecException(ErrorIds.ResultWriteFailed,
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
        _chain ??= ChainProfile;
        var gateway = RunCommandSupport.RequireIpfsGateway(_chain, AllowInsecureHttp);
        _downloader ??= new TaskResultDownloader(gateway, options: new ResultDownloadOptions
        {
            ResultProxy = Uri.TryCreate(_chain.ResultProxy, UriKind.Absolute, out var proxy) ? proxy : null,
            AllowedHosts = AllowResultHost?.Where(h => h != "*").ToArray() ?? [],
            AllowAnyHost = AllowResultHost?.Contains("*") ?? false,
            AllowInsecureHttp = AllowInsecureHttp,
            TrustedFolder = current,
        });
        var task = Await(new DealWatcher(Rpc, _chain.Hub!.Value).GetTaskAsync(id, null, CancellationToken));
        var url = _downloader.ResultUrl(task);

        var target = Path is null ? current : GetUnresolvedProviderPathFromPSPath(Path);
        var isFile = IsZipPath(Path) && !Directory.Exists(target);
        var folder = isFile ? System.IO.Path.GetDirectoryName(target)! : target;
        var zipPath = isFile ? target : System.IO.Path.Combine(folder, task.TaskId + ".zip");
        var expanded = Expand
            ? System.IO.Path.Combine(folder, System.IO.Path.GetFileNameWithoutExtension(zipPath))
            : null;
        var source = Core.Net.TransportPolicy.Display(url);
        // Before anything is created or downloaded: no component of the archive path or the expansion folder below the
        // current location may be a symbolic link (a cloned folder's "result -> ~").
        TaskResultDownloader.EnsureNoLink(zipPath, current, task.TaskId);
        if (expanded is not null) TaskResultDownloader.EnsureNoLink(expanded, current, task.TaskId);
        if (!ShouldProcess(zipPath, $"Save result of task {task.TaskId} from {source}")) return;
        try
        {
            if (File.Exists(folder))
            {
                throw new IExecException(ErrorIds.ResultWriteFailed,
                    $"{folder} is a file, so the result cannot be saved in it.", folder)
                {
                    RecommendedAction = "Give a folder that does not exist yet or an existing folder, or a path ending in .zip.",
                };
            }

            Directory.CreateDirectory(folder);
            if (expanded is not null && File.Exists(expanded))
            {
                throw new IExecException(ErrorIds.ResultWriteFailed,
                    $"{expanded} is a file, so the result cannot be expanded there.", expanded);
            }

            WriteVerbose($"Downloading the result of task {task.TaskId} from {source} to {zipPath}");
            // Core downloads and expands through temporary siblings: neither the zip nor the folder appears unless whole.
            var saved = Await(_downloader.SaveAsync(task, zipPath, expanded, _key, CancellationToken));
            if (saved.Encrypted && !saved.Decrypted)
            {
                WriteWarning($"The result of task {task.TaskId} is encrypted for its beneficiary: {zipPath} holds aes-key.rsa and iexec_out.zip.aes"
                    + $"{(expanded is null ? "" : " and was not expanded")}. Save it with -Decrypt and the beneficiary's private key to get the result.");
            }
            else if (Decrypt && !saved.Encrypted)
            {
                WriteWarning($"The result of task {task.TaskId} was not encrypted (the run did not ask -EncryptResult): it was saved as published, in clear.");
            }
            WriteObject(new IExecTaskResult
            {
                TaskId = task.TaskId, Path = zipPath, Length = saved.Length, ExpandedPath = saved.Expanded ? expanded : null, SourceUrl = source,
                IsEncrypted = saved.Encrypted, Decrypted = saved.Decrypted,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk, a read-only folder or a name taken by a folder: the file system's refusal with its own id.
            throw new IExecException(ErrorIds.ResultWriteFailed,
                $"The result of task {task.TaskId} could not be written to {zipPath}: {ex.Message}", zipPath, ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _key?.Dispose();
        _downloader?.Dispose();
        base.DisposeResources();
    }
}
