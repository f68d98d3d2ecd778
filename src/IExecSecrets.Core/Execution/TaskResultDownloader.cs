using System.IO.Compression;
using System.Net.Http.Headers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;
using IExecSecrets.Core.Net;
using Polly;
using Polly.Retry;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Downloads a completed task's result archive like <c>iexec task show --download</c>: only for COMPLETED tasks
/// stored on IPFS, from <c>new URL(location, ipfsGateway)</c> with <c>Accept: application/zip</c>, retried on
/// transient faults; optionally expanded into a folder.
/// </summary>
/// <remarks>
/// <para>Unlike the SDK it trusts neither the location (written on chain by a worker) nor the archive (served by
/// whoever answers): a location is fetched only from the IPFS gateway's or the result proxy's host unless
/// <see cref="ResultDownloadOptions.AllowedHosts"/> or <see cref="ResultDownloadOptions.AllowAnyHost"/> say
/// otherwise (<see cref="ErrorIds.ResultHostNotAllowed"/>, before any request); every URL follows
/// <see cref="TransportPolicy"/> (no plain http off loopback, no redirects followed); a download over
/// <see cref="ResultDownloadOptions.MaxDownloadBytes"/> is <see cref="ErrorIds.ResultTooLarge"/>; an expansion is
/// checked against the entry-count, per-entry, total and ratio caps, first on the sizes the archive declares and
/// again on the bytes it really inflates to (declared sizes can lie; .NET's entry stream also stops at the declared
/// size, so an archive understating its size writes no more than it declares).</para>
/// <para>Nothing partial is ever left in place: the archive is written to a temporary file next to its target and
/// renamed when whole, an expansion goes to a temporary folder next to its target and is moved into place only when
/// every entry is out, and <see cref="SaveAsync(TaskInfo, string, string?, CancellationToken)"/> moves the archive into place only after its expansion succeeded.</para>
/// </remarks>
public sealed class TaskResultDownloader : IDisposable
{
    private static readonly byte[] ZipMagic = "PK"u8.ToArray();
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _gateway;
    private readonly ResultDownloadOptions _options;
    private readonly ResiliencePipeline _retry;

    /// <summary>
    /// Creates a downloader for the IPFS gateway at <paramref name="ipfsGateway"/>. Plain http to a non-loopback
    /// gateway is <see cref="ErrorIds.InsecureGatewayUrl"/> unless <see cref="ResultDownloadOptions.AllowInsecureHttp"/>.
    /// </summary>
    public TaskResultDownloader(Uri ipfsGateway, HttpClient? httpClient = null, int maxRetries = 3, ResultDownloadOptions? options = null)
    {
        _gateway = ipfsGateway ?? throw new ArgumentNullException(nameof(ipfsGateway));
        _options = options ?? new ResultDownloadOptions();
        TransportPolicy.EnsureSecure(_gateway, EndpointKind.ResultGateway, _options.AllowInsecureHttp);
        if (_options.ResultProxy is { } proxy) TransportPolicy.EnsureSecure(proxy, EndpointKind.ResultGateway, _options.AllowInsecureHttp);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? TransportPolicy.CreateHttpClient(TimeSpan.FromMinutes(5));
        _retry = maxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
            MaxRetryAttempts = maxRetries,
            Delay = TimeSpan.FromMilliseconds(300),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }).Build();
    }

    /// <summary>
    /// The URL the result of <paramref name="task"/> is fetched from, after the same checks as the download: the
    /// task is completed with an IPFS result, and the location resolves to an allowed host over an allowed scheme.
    /// </summary>
    public Uri ResultUrl(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Status != PoCo.PoCoTaskStatus.Completed)
            throw new IExecException(ErrorIds.TaskNotCompleted, "Task is not completed", task.TaskId)
            { RecommendedAction = "Wait for it with Wait-IExecTask, then save the result." };
        if (task.ResultStorage == "none" || task.ResultLocation is null)
            throw new IExecException(ErrorIds.NoTaskResult, "No result uploaded for this task", task.TaskId);
        if (task.ResultStorage != "ipfs")
            throw new IExecException(ErrorIds.ResultStorageUnsupported, $"Task result stored on {task.ResultStorage}, download not supported", task.TaskId);

        if (!Uri.TryCreate(_gateway, task.ResultLocation, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new IExecException(ErrorIds.ResultHostNotAllowed,
                $"The result location of task {task.TaskId} is not an http(s) location; it is not fetched", task.TaskId);
        }
        if (!IsAllowedHost(url))
        {
            throw new IExecException(ErrorIds.ResultHostNotAllowed,
                $"The result location of task {task.TaskId} points at {TransportPolicy.Display(url)}, which is neither the chain's IPFS gateway ({TransportPolicy.Display(_gateway)}) nor its result proxy; it is not fetched",
                task.TaskId)
            {
                RecommendedAction = "If you trust that host, allow it explicitly (Save-IExecTaskResult -AllowResultHost <host>).",
            };
        }
        TransportPolicy.EnsureSecure(url, EndpointKind.ResultGateway, _options.AllowInsecureHttp);
        return url;
    }

    /// <summary>Downloads the archive of <paramref name="task"/> to <paramref name="zipPath"/> (replaced if present) and returns its size.</summary>
    public Task<long> DownloadAsync(TaskInfo task, string zipPath, CancellationToken cancellationToken = default) =>
        SaveAsync(task, zipPath, null, cancellationToken);

    /// <summary>
    /// Downloads the archive of <paramref name="task"/> and, when <paramref name="expandTo"/> is given, expands it
    /// there (see <see cref="Expand(string, string, ResultDownloadOptions?)"/>); the archive reaches
    /// <paramref name="zipPath"/> only when the download is whole and the expansion, if asked, succeeded, so a refused
    /// archive leaves neither file nor folder behind. Returns the archive size.
    /// </summary>
    public async Task<long> SaveAsync(TaskInfo task, string zipPath, string? expandTo, CancellationToken cancellationToken = default) =>
        (await SaveAsync(task, zipPath, expandTo, null, cancellationToken).ConfigureAwait(false)).Length;

    /// <summary>
    /// Like <see cref="SaveAsync(TaskInfo, string, string?, CancellationToken)"/>, for results that may be encrypted for
    /// the beneficiary (<see cref="Results.ResultEncryption"/>). An encrypted archive is decrypted with
    /// <paramref name="decryptionKey"/> into a temporary sibling, checked as a sound zip, expanded when asked, and only
    /// then moved to <paramref name="zipPath"/>: the plain result, never the encrypted one, and nothing when the key does
    /// not open it (<see cref="ErrorIds.ResultDecryptionFailed"/>). Without a key an encrypted archive is saved as it is
    /// and not expanded. <see cref="SavedResult"/> says which happened.
    /// </summary>
    public async Task<SavedResult> SaveAsync(TaskInfo task, string zipPath, string? expandTo, Results.ResultDecryptionKey? decryptionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        var url = ResultUrl(task);
        // Before any request: files land only where the caller said, never through a link a cloned folder holds.
        EnsureNoLink(zipPath, _options.TrustedFolder, task.TaskId);
        if (expandTo is not null) EnsureNoLink(expandTo, _options.TrustedFolder, task.TaskId);
        var display = TransportPolicy.Display(url);
        var partial = TemporarySibling(zipPath);
        string? plain = null;
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/zip"));
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500) throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
                if (TransportPolicy.IsRedirect(response.StatusCode)) throw TransportPolicy.Redirect(response, "The result gateway", display, task.TaskId);
                if (!response.IsSuccessStatusCode)
                {
                    throw new IExecException(ErrorIds.ResultDownloadFailed,
                        $"API error: {(int)response.StatusCode} {ForeignText.ReasonPhrase(response)}", task.TaskId);
                }
                if (response.Content.Headers.ContentLength is { } announced && announced > _options.MaxDownloadBytes) throw DownloadTooLarge(task, display);
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None);
                await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > _options.MaxDownloadBytes) throw DownloadTooLarge(task, display);
                    await file.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);

            EnsureZip(partial, task.TaskId);
            var encrypted = Results.ResultEncryption.IsEncryptedArchive(partial);
            var saved = partial;
            if (encrypted && decryptionKey is not null)
            {
                plain = TemporarySibling(zipPath);
                Results.ResultEncryption.Decrypt(partial, decryptionKey, plain, _options, task.TaskId);
                saved = plain;
            }
            var expanded = expandTo is not null && (!encrypted || decryptionKey is not null);
            if (expanded) ExpandCore(saved, expandTo!, _options, task.TaskId);
            EnsureNoLink(zipPath, _options.TrustedFolder, task.TaskId);
            File.Move(saved, zipPath, overwrite: true);
            return new SavedResult(new FileInfo(zipPath).Length, encrypted, encrypted && decryptionKey is not null, expanded);
        }
        catch (HttpRequestException e)
        {
            throw new IExecException(ErrorIds.ResultDownloadFailed,
                $"The result gateway {display} did not serve the result: {e.Message.Replace(url.AbsoluteUri, display, StringComparison.Ordinal)}", task.TaskId, e);
        }
        finally
        {
            TryDelete(partial);
            if (plain is not null) TryDelete(plain);
        }
    }

    /// <summary>
    /// Expands <paramref name="zipPath"/> into <paramref name="folder"/>, replacing files of the same name; entries
    /// cannot escape the folder. The archive is checked against the caps of <paramref name="options"/> (defaults of
    /// <see cref="ResultDownloadOptions"/>), expanded into a temporary folder next to <paramref name="folder"/>, and
    /// moved into place only when whole: a refused or broken archive leaves <paramref name="folder"/> as it was.
    /// </summary>
    public static void Expand(string zipPath, string folder, ResultDownloadOptions? options = null) =>
        ExpandCore(zipPath, folder, options ?? new ResultDownloadOptions(), zipPath);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private bool IsAllowedHost(Uri url)
    {
        if (_options.AllowAnyHost || SameOrigin(url, _gateway) || (_options.ResultProxy is { } proxy && SameOrigin(url, proxy))) return true;
        return _options.AllowedHosts.Any(allowed =>
            string.Equals(allowed, url.Host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(allowed, url.Authority, StringComparison.OrdinalIgnoreCase)
            || string.Equals(allowed, url.IdnHost, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private IExecException DownloadTooLarge(TaskInfo task, string display) =>
        new(ErrorIds.ResultTooLarge,
            $"The result of task {task.TaskId} served by {display} is larger than {ArchiveCheck.Mib(_options.MaxDownloadBytes)}; the download was stopped and nothing was saved",
            task.TaskId);

    private static void EnsureZip(string path, object target)
    {
        Span<byte> head = stackalloc byte[2];
        using var file = File.OpenRead(path);
        if (file.ReadAtLeast(head, 2, throwOnEndOfStream: false) < 2 || !head.SequenceEqual(ZipMagic))
        {
            throw new IExecException(ErrorIds.ResultArchiveInvalid,
                "The result gateway answered with something that is not a zip archive (an error page?); nothing was saved", target);
        }
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.SymbolicLinkRefused"/> (SecurityError, naming the link and its target) when
    /// <paramref name="path"/> is, or passes through, a symbolic link (or another reparse point) that exists now. The
    /// components of <paramref name="trustedFolder"/> itself (the user's current location and its parents) are not
    /// checked; every component below it is, and every component of a path elsewhere when it is null or the path is
    /// not under it.
    /// </summary>
    /// <remarks>
    /// Why: a folder the user cloned may hold <c>result -&gt; ~</c> or <c>out -&gt; /etc</c>; writing "into ./result"
    /// would then put files wherever the link's author chose. The user named a place, not a link.
    /// </remarks>
    public static void EnsureNoLink(string path, string? trustedFolder, object? target = null) =>
        Config.LinkGuard.EnsureNoLink(path, trustedFolder, target, "the result");

    private static void ExpandCore(string zipPath, string folder, ResultDownloadOptions options, object target)
    {
        var destination = Path.GetFullPath(folder);
        EnsureNoLink(destination, options.TrustedFolder, target);
        var staging = TemporarySibling(destination);
        try
        {
            var archiveBytes = new FileInfo(zipPath).Length;
            using (var archive = OpenArchive(zipPath, target))
            {
                // The declared sizes first: a bomb that announces itself is refused before a byte is written.
                ArchiveCheck.CheckDirectory(archive, archiveBytes, options, target);

                var root = Path.GetFullPath(staging + Path.DirectorySeparatorChar);
                Directory.CreateDirectory(staging);
                long written = 0;
                var buffer = new byte[81920];
                foreach (var entry in archive.Entries)
                {
                    // Zip entry names use '/' (the zip format's separator); GetFullPath turns them into the platform's
                    // separators (and resolves '..') before the containment check.
                    var path = Path.GetFullPath(Path.Combine(staging, entry.FullName));
                    if (!path.StartsWith(root, StringComparison.Ordinal))
                    {
                        throw new IExecException(ErrorIds.ResultArchiveInvalid,
                            "The result archive has an entry that would land outside the folder; it was not expanded", target);
                    }
                    if (ArchiveCheck.IsFolder(entry))
                    {
                        Directory.CreateDirectory(path);
                        continue;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using var source = entry.Open();
                    using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
                    long entryBytes = 0;
                    int read;
                    // The real sizes again: the directory's sizes are the archive's word, the inflated bytes are not.
                    while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        entryBytes += read;
                        written += read;
                        if (entryBytes > options.MaxEntryBytes) throw ArchiveCheck.EntryTooLarge(entry.FullName, options, target);
                        ArchiveCheck.CheckTotals(written, archiveBytes, options, target);
                        output.Write(buffer, 0, read);
                    }
                }
            }

            MoveIntoPlace(staging, destination);
        }
        catch (InvalidDataException e)
        {
            throw new IExecException(ErrorIds.ResultArchiveInvalid, $"The result archive is not a valid zip archive: {e.Message}", target, e);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                try
                {
                    Directory.Delete(staging, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover hidden staging folder is harmless; hiding the real error behind this one would not be.
                }
            }
        }
    }

    private static ZipArchive OpenArchive(string zipPath, object target)
    {
        try
        {
            return ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new IExecException(ErrorIds.ResultArchiveInvalid, $"The result archive is not a zip archive: {e.Message}", target, e);
        }
    }

    // A complete staging folder becomes the destination in one rename when there is none; otherwise its files replace
    // those of the same name, as ZipFile.ExtractToDirectory(overwriteFiles: true) did, once all are out.
    private static void MoveIntoPlace(string staging, string destination)
    {
        // Inside an existing folder, every path written must be a real folder or file: a link there (a subfolder
        // pointing at ~) would carry the result out. All are checked before anything moves, so nothing is half done.
        if (Directory.Exists(destination))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(staging, "*", SearchOption.AllDirectories))
            {
                EnsureNoLink(Path.Combine(destination, Path.GetRelativePath(staging, entry)), destination, destination);
            }
        }

        if (!Directory.Exists(destination))
        {
            var parent = Path.GetDirectoryName(destination);
            if (!string.IsNullOrEmpty(parent)) Directory.CreateDirectory(parent);
            Directory.Move(staging, destination);
            return;
        }
        foreach (var directory in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(staging, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            File.Move(file, Path.Combine(destination, Path.GetRelativePath(staging, file)), overwrite: true);
        }
    }

    private static string TemporarySibling(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full) ?? ".";
        return Path.Combine(parent, $".{Path.GetFileName(full)}.partial-{Guid.NewGuid():N}");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Already gone or held open by a scanner: it is a hidden temporary file, never the result.
        }
    }

}

/// <summary>What <see cref="TaskResultDownloader.SaveAsync(TaskInfo, string, string?, Results.ResultDecryptionKey?, CancellationToken)"/> saved.</summary>
/// <param name="Length">The saved archive's size in bytes.</param>
/// <param name="Encrypted">True when the task's result was published encrypted for the beneficiary.</param>
/// <param name="Decrypted">True when it was decrypted: the saved archive is the plain result.</param>
/// <param name="Expanded">True when the archive was expanded (never for an encrypted result saved as it is).</param>
public sealed record SavedResult(long Length, bool Encrypted, bool Decrypted, bool Expanded);
