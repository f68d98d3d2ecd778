using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Reads a task's app logs from its workerpool's API, the way <c>iexec task debug --logs</c> does (SDK
/// <c>execution/debug.js fetchAllReplicatesLogs</c>): the workerpool API URL comes from iExec Compass
/// (<c>GET {compass}/{chainId}/workerpools/{pool}</c> → <c>{apiUrl}</c>) or is given; the requester logs in with the
/// iexec-core challenge (<c>GET /tasks/logs/challenge?chainId=&amp;address=</c>, EIP-712 domain <c>iExec Core</c>,
/// see <see cref="ChallengeTypedData"/>); the logs are <c>GET /tasks/{taskid}/logs</c> with the
/// <c>Authorization</c> header, answered as <c>{computeLogsList:[{walletAddress, stdout, stderr}]}</c>.
/// </summary>
/// <remarks>
/// Only the task's requester may read the logs (the SDK refuses others before any request; so does this class). Every
/// URL must be https or loopback http unless insecure http is allowed, redirects are never followed, and answers
/// are capped at <see cref="MaxAnswerBytes"/>: the workerpool is a remote party that may lie or flood.
/// The login itself is stricter: iexec-core's challenge is not bound to a host, so whoever receives the signed
/// authorization can replay it against the real API and read the requester's logs. It is therefore signed only for an
/// https or loopback API, whatever insecure http allows (<see cref="ErrorIds.InsecureWorkerpoolApiUrl"/>), and the
/// caller shows the host before signing; a workerpool's API URL can be pinned so that Compass cannot name another one
/// (<see cref="ResolveWorkerpoolApiAsync(ChainProfile, EthAddress, Uri?, CancellationToken)"/>).
/// </remarks>
public sealed class TaskLogClient : IDisposable
{
    /// <summary>The most a compass or workerpool answer may weigh; app logs are capped by workers far below this.</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    /// <summary>The EIP-712 domain name iexec-core signs its log challenges under.</summary>
    public const string CoreChallengeDomain = "iExec Core";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly bool _allowInsecureHttp;

    /// <summary>Creates a client; a given <paramref name="httpClient"/> is not disposed and must not follow redirects.</summary>
    public TaskLogClient(bool allowInsecureHttp = false, TimeSpan? timeout = null, HttpClient? httpClient = null)
    {
        _allowInsecureHttp = allowInsecureHttp;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? Net.TransportPolicy.CreateHttpClient(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The API URL of <paramref name="workerpool"/> on <paramref name="chain"/>, asked of the chain's Compass. Fails with
    /// <see cref="ErrorIds.WorkerpoolApiNotFound"/> when the chain has no Compass or Compass knows no URL.
    /// </summary>
    public async Task<Uri> ResolveWorkerpoolApiAsync(ChainProfile chain, EthAddress workerpool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (string.IsNullOrEmpty(chain.Compass))
        {
            throw new IExecException(ErrorIds.WorkerpoolApiNotFound,
                $"Impossible to resolve API url for workerpool {workerpool}: chain {chain.Name} has no iExec Compass.", workerpool.ToString())
            { RecommendedAction = "Give the workerpool's API URL with -WorkerpoolApiUrl, or add \"compass\" to the chain's entry in chain.json." };
        }

        var compass = CheckUrl(chain.Compass, "iExec Compass");
        using var document = await GetJsonAsync(new Uri(compass, $"{chain.ChainId.ToString(CultureInfo.InvariantCulture)}/workerpools/{workerpool}"), null, "iExec Compass", cancellationToken).ConfigureAwait(false);
        var apiUrl = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("apiUrl", out var url) && url.ValueKind == JsonValueKind.String
            ? url.GetString()
            : null;
        if (string.IsNullOrEmpty(apiUrl))
        {
            throw new IExecException(ErrorIds.WorkerpoolApiNotFound,
                $"Impossible to resolve API url for workerpool {workerpool}", workerpool.ToString());
        }

        return CheckUrl(apiUrl, $"the API of workerpool {workerpool}");
    }

    /// <summary>
    /// The API URL of <paramref name="workerpool"/> when the user pinned <paramref name="pinned"/>: the pin wins, and
    /// Compass, when the chain has one and it answers, must name the same URL (scheme, host, port and path), else
    /// <see cref="ErrorIds.WorkerpoolApiPinMismatch"/> (SecurityError): Compass or the pin is wrong, and nothing is
    /// signed until the user decides. A Compass that cannot answer leaves the pin in force. Without a pin, Compass decides
    /// (<see cref="ResolveWorkerpoolApiAsync(ChainProfile, EthAddress, CancellationToken)"/>).
    /// </summary>
    public async Task<Uri> ResolveWorkerpoolApiAsync(ChainProfile chain, EthAddress workerpool, Uri? pinned, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (pinned is null) return await ResolveWorkerpoolApiAsync(chain, workerpool, cancellationToken).ConfigureAwait(false);
        var pin = CheckUrl(pinned.ToString(), $"the pinned API of workerpool {workerpool}");
        if (string.IsNullOrEmpty(chain.Compass)) return pin;
        Uri named;
        try
        {
            named = await ResolveWorkerpoolApiAsync(chain, workerpool, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException e) when (e.ErrorId is ErrorIds.WorkerpoolApiNotFound or ErrorIds.WorkerpoolApiError or ErrorIds.ResponseTooLarge
            or ErrorIds.InvalidWorkerpoolApiUrl or ErrorIds.InsecureWorkerpoolApiUrl)
        {
            return pin;
        }

        if (SameApi(named, pin)) return pin;
        throw new IExecException(ErrorIds.WorkerpoolApiPinMismatch,
            $"iExec Compass names {DisplayUrl(named)} as the API of workerpool {workerpool}, but its API is pinned to {DisplayUrl(pin)}; nothing was signed.",
            workerpool.ToString())
        {
            RecommendedAction = "If the workerpool really moved, pin its new URL with Set-IExecConfiguration -WorkerpoolApiUrl; otherwise the Compass answer is not to be trusted.",
        };
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are the same API: scheme, host and port alike, paths equal but for a trailing slash.</summary>
    public static bool SameApi(Uri a, Uri b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port
            && string.Equals(a.AbsolutePath.TrimEnd('/'), b.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.InsecureWorkerpoolApiUrl"/> unless <paramref name="api"/> is https, or http to a
    /// loopback host: the login authorization is not bound to a host, so it is never sent where it can be read or
    /// relayed on the way, whatever insecure http allows elsewhere.
    /// </summary>
    public static void EnsureLoginHost(Uri api)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (api.Scheme == Uri.UriSchemeHttps || (api.Scheme == Uri.UriSchemeHttp && api.IsLoopback)) return;
        var display = DisplayUrl(api);
        throw new IExecException(ErrorIds.InsecureWorkerpoolApiUrl,
            $"Refusing to sign the task-log login for {display}: it is not https, and the signed authorization is valid on any host that relays it to the real API.",
            display)
        {
            RecommendedAction = "Use the workerpool's https API URL (-WorkerpoolApiUrl, or pin it with Set-IExecConfiguration -WorkerpoolApiUrl).",
        };
    }

    /// <summary>
    /// Logs in to the workerpool API at <paramref name="workerpoolApi"/> as <paramref name="requester"/> and returns
    /// the logs of every replicate of <paramref name="taskId"/>. The API must be https or loopback
    /// (<see cref="EnsureLoginHost"/>), checked before any request.
    /// </summary>
    public async Task<IReadOnlyList<TaskLogEntry>> GetLogsAsync(Uri workerpoolApi, string taskId, ulong chainId, IEthSigner requester, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workerpoolApi);
        ArgumentNullException.ThrowIfNull(requester);
        var api = CheckUrl(workerpoolApi.ToString(), "the workerpool API");
        EnsureLoginHost(api);
        var service = DisplayUrl(api);
        string authorization;
        using (var challenge = await GetJsonAsync(
            new Uri(api, $"tasks/logs/challenge?chainId={chainId.ToString(CultureInfo.InvariantCulture)}&address={requester.Address}"), null, service, cancellationToken).ConfigureAwait(false))
        {
            authorization = ChallengeTypedData.Parse(challenge.RootElement, CoreChallengeDomain, chainId, service).Authorize(requester);
        }

        using var logs = await GetJsonAsync(new Uri(api, $"tasks/{taskId}/logs"), authorization, service, cancellationToken).ConfigureAwait(false);
        var entries = new List<TaskLogEntry>();
        if (logs.RootElement.ValueKind == JsonValueKind.Object && logs.RootElement.TryGetProperty("computeLogsList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                entries.Add(new TaskLogEntry(
                    taskId,
                    Text(item, "walletAddress") is { } worker && EthAddress.TryParse(worker, out var address) ? address : null,
                    // App output relayed by a remote party: kept as lines, with no terminal control character.
                    ForeignText.CleanLines(Text(item, "stdout")),
                    ForeignText.CleanLines(Text(item, "stderr"))));
            }
        }

        return entries;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    /// <summary>Scheme, host and port of <paramref name="url"/>: what messages show (never userinfo, path or query).</summary>
    public static string DisplayUrl(Uri url) => Net.TransportPolicy.Display(url);

    private Uri CheckUrl(string text, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new IExecException(ErrorIds.InvalidWorkerpoolApiUrl, $"The URL of {what} is not an absolute http(s) URL.", what);
        }

        Net.TransportPolicy.EnsureSecure(url, Net.EndpointKind.WorkerpoolApi, _allowInsecureHttp);
        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    private async Task<JsonDocument> GetJsonAsync(Uri url, string? authorization, string service, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new IExecException(ErrorIds.WorkerpoolApiUnreachable, $"Connection to {service} failed with a network error", service, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IExecException(ErrorIds.WorkerpoolApiTimeout, $"{service} did not answer in time", service, e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw new IExecException(ErrorIds.WorkerpoolApiError,
                    $"{service} answered with a redirect ({status}); redirects are not followed.", service);
            }

            if (status >= 500)
            {
                throw new IExecException(ErrorIds.WorkerpoolApiError, $"Server at {service} encountered an internal error", service);
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new IExecException(ErrorIds.WorkerpoolApiRefused,
                    $"{service} refused the log request ({status}): only the task's requester may read its logs.", service);
            }

            var length = response.Content.Headers.ContentLength;
            if (length > MaxAnswerBytes)
            {
                throw new IExecException(ErrorIds.ResponseTooLarge,
                    $"{service} announced a {length}-byte answer; at most {MaxAnswerBytes} bytes are read.", service);
            }

            var bytes = await ReadCappedAsync(response.Content, service, cancellationToken).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            JsonDocument? document = null;
            if (mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    document = JsonDocument.Parse(bytes);
                }
                catch (JsonException)
                {
                    document = null;
                }
            }

            if (document is null)
            {
                throw new IExecException(ErrorIds.WorkerpoolApiError, $"The http response of {service} is not of JSON type", service);
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = document.RootElement.ValueKind == JsonValueKind.Object && Text(document.RootElement, "error") is { } text ? text : $"{status} {ForeignText.ReasonPhrase(response)}";
                document.Dispose();
                throw new IExecException(ErrorIds.WorkerpoolApiError, $"API error: {error}", service);
            }

            return document;
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, string service, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new IExecException(ErrorIds.ResponseTooLarge,
                    $"{service} sent more than {MaxAnswerBytes} bytes; the answer was dropped.", service);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The app output one worker recorded for one task (one replicate).</summary>
/// <param name="TaskId">The task id, 0x hex.</param>
/// <param name="Worker">The worker's wallet address, when the workerpool gave a valid one.</param>
/// <param name="StandardOutput">The app's standard output as the worker kept it.</param>
/// <param name="StandardError">The app's standard error as the worker kept it.</param>
public sealed record TaskLogEntry(string TaskId, EthAddress? Worker, string StandardOutput, string StandardError);
