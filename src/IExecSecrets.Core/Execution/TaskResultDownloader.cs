using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using IExecSecrets.Core.Errors;
using Polly;
using Polly.Retry;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Downloads a completed task's result archive like <c>iexec task show --download</c>: only for COMPLETED tasks
/// stored on IPFS, from <c>new URL(location, ipfsGateway)</c> with <c>Accept: application/zip</c>, retried on
/// transient faults, written through a temporary file so a partial download never looks complete; optionally
/// expanded into a folder.
/// </summary>
public sealed class TaskResultDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _gateway;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates a downloader for the IPFS gateway at <paramref name="ipfsGateway"/>.</summary>
    public TaskResultDownloader(Uri ipfsGateway, HttpClient? httpClient = null, int maxRetries = 3)
    {
        _gateway = ipfsGateway ?? throw new ArgumentNullException(nameof(ipfsGateway));
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        _retry = maxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
            MaxRetryAttempts = maxRetries,
            Delay = TimeSpan.FromMilliseconds(300),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }).Build();
    }

    /// <summary>The URL the result of <paramref name="task"/> is fetched from, after the same checks as the download.</summary>
    public Uri ResultUrl(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Status != Poco.PocoTaskStatus.Completed)
            throw new IExecException(ErrorIds.TaskNotCompleted, IExecErrorCategory.InvalidOperation, "Task is not completed", task.TaskId)
            { RecommendedAction = "Wait for it with Wait-IExecTask, then save the result." };
        if (task.ResultStorage == "none" || task.ResultLocation is null)
            throw new IExecException(ErrorIds.NoTaskResult, IExecErrorCategory.ObjectNotFound, "No result uploaded for this task", task.TaskId);
        if (task.ResultStorage != "ipfs")
            throw new IExecException(ErrorIds.ResultStorageUnsupported, IExecErrorCategory.InvalidOperation, $"Task result stored on {task.ResultStorage}, download not supported", task.TaskId);
        return new Uri(_gateway, task.ResultLocation);
    }

    /// <summary>Downloads the archive of <paramref name="task"/> to <paramref name="zipPath"/> (replaced if present) and returns its size.</summary>
    public async Task<long> DownloadAsync(TaskInfo task, string zipPath, CancellationToken cancellationToken = default)
    {
        var url = ResultUrl(task);
        var partial = zipPath + ".partial";
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/zip"));
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500) throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
                if (!response.IsSuccessStatusCode)
                {
                    throw new IExecException(ErrorIds.ResultDownloadFailed, IExecErrorCategory.ResourceUnavailable,
                        $"API error: {(int)response.StatusCode} {response.ReasonPhrase}", url.ToString());
                }
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None);
                await response.Content.CopyToAsync(file, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            File.Delete(partial);
            throw new IExecException(ErrorIds.ResultDownloadFailed, IExecErrorCategory.ConnectionError,
                $"The IPFS gateway {_gateway.GetLeftPart(UriPartial.Authority)} did not serve the result: {e.Message}", url.ToString(), e);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        File.Move(partial, zipPath, overwrite: true);
        return new FileInfo(zipPath).Length;
    }

    /// <summary>Expands <paramref name="zipPath"/> into <paramref name="folder"/>, replacing files; entries cannot escape the folder.</summary>
    public static void Expand(string zipPath, string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            ZipFile.ExtractToDirectory(zipPath, folder, overwriteFiles: true);
        }
        catch (InvalidDataException e)
        {
            throw new IExecException(ErrorIds.ResultDownloadFailed, IExecErrorCategory.InvalidData, $"The result {zipPath} is not a zip archive: {e.Message}", zipPath, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
