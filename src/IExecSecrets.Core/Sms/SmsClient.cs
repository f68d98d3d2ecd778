using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;
using Polly;
using Polly.Retry;

namespace IExecSecrets.Core.Sms;

/// <summary>
/// Talks to an iExec Secret Management Service exactly as iexec-sdk 8.x/9.x does: raw UTF-8 bodies with
/// <c>Content-Type: text/plain</c>, an <c>Authorization</c> header holding the signed challenge, HEAD for existence.
/// </summary>
/// <remarks>
/// <para>Names and sizes are validated before any request. Only the scheme, host and port of the configured URL are
/// used (the SDK resolves every route against the origin); path segments are percent-escaped.</para>
/// <para>Existence checks (HEAD) and web2 updates (PUT) are idempotent and are retried on transient faults (5xx,
/// connection failure, timeout) with jittered exponential backoff. A POST is never repeated blindly: after an ambiguous
/// failure the client asks the SMS whether the secret is now stored, reports success if it is, and only otherwise
/// sends the POST again. A 409 that answers such a repeat means the earlier attempt landed; a 409 on the first attempt
/// is <see cref="ErrorIds.SecretAlreadyExists"/>. So each push is either stored exactly once and reported pushed, or
/// absent and reported failed.</para>
/// <para>Secret values are caller-owned buffers: the client sends them as they are and never copies them into strings,
/// messages or logs, so the caller can zero them once the call returns.</para>
/// </remarks>
public sealed class SmsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SmsClientOptions _options;
    private readonly Uri _origin;
    private readonly ResiliencePipeline _retry;

    /// <summary>
    /// Creates a client for the SMS at <paramref name="smsUrl"/>. Throws <see cref="ErrorIds.InsecureSmsUrl"/> for
    /// <c>http://</c> to a non-loopback host unless <see cref="SmsClientOptions.AllowInsecureHttp"/>, and
    /// <see cref="ErrorIds.InvalidSmsUrl"/> for a relative or non-HTTP URL. Nothing is sent.
    /// </summary>
    public SmsClient(Uri smsUrl, SmsClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(smsUrl);
        _options = options ?? new SmsClientOptions();
        _origin = ValidateAndGetOrigin(smsUrl, _options.AllowInsecureHttp);
        DisplayUrl = _origin.GetLeftPart(UriPartial.Authority);

        if (_options.HttpClient is { } shared)
        {
            _http = shared;
        }
        else
        {
            _http = _options.Handler is { } handler
                ? new HttpClient(handler, disposeHandler: false)
                : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            // Our per-request timeout (a linked token) is the one that counts, so it can be told apart from cancellation.
            _http.Timeout = Timeout.InfiniteTimeSpan;
            _ownsHttp = true;
        }

        _retry = _options.MaxRetries <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IExecException>(IsTransient),
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            }).Build();
    }

    /// <summary>The SMS origin (scheme, host, port) requests go to, as shown in messages; never has credentials or a path.</summary>
    public string DisplayUrl { get; }

    /// <summary>True when the requester secret <paramref name="name"/> of <paramref name="requester"/> is set (HEAD, no signature).</summary>
    public Task<bool> RequesterSecretExistsAsync(EthAddress requester, string name, CancellationToken cancellationToken = default)
    {
        SecretRules.EnsureValidName(name);
        return ExistsAsync(RequesterSecretUri(requester, name), name, cancellationToken);
    }

    /// <summary>
    /// Pushes requester secret <paramref name="name"/> for <paramref name="signer"/>'s address. Like the CLI, it first
    /// checks that the secret is absent (see <see cref="SmsClientOptions.CheckRequesterSecretBeforePush"/>).
    /// Requester secrets are write-once: an existing one gives <see cref="ErrorIds.SecretAlreadyExists"/>.
    /// </summary>
    public async Task<SmsPushResult> PushRequesterSecretAsync(IEthSigner signer, string name, ReadOnlyMemory<byte> valueUtf8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        SecretRules.EnsureValidName(name);
        SecretRules.EnsureValueSize(valueUtf8.Span, name);

        var requester = signer.Address;
        var uri = RequesterSecretUri(requester, name);
        if (_options.CheckRequesterSecretBeforePush && await ExistsAsync(uri, name, cancellationToken).ConfigureAwait(false))
        {
            throw RequesterSecretExists(name, requester);
        }

        var authorization = SmsChallenge.Authorization(signer, SmsChallenge.ForRequesterSecret(requester, name, valueUtf8.Span));
        var outcome = new PushOutcome(SmsSecretKind.Requester, requester, name);
        return await PushAsync(uri, valueUtf8, authorization, outcome, name, ct => ExistsAsync(uri, name, ct), status => status switch
        {
            HttpStatusCode.Conflict => RequesterSecretExists(name, requester),
            HttpStatusCode.Unauthorized => NotAuthorized($"Wallet {requester} is not allowed to set secret \"{name}\" for {requester}", name),
            _ => null,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the app developer secret of <paramref name="app"/> is set (HEAD, no signature).</summary>
    public Task<bool> AppSecretExistsAsync(EthAddress app, CancellationToken cancellationToken = default) =>
        ExistsAsync(AppSecretUri(app), app.ToString(), cancellationToken);

    /// <summary>
    /// Pushes the app developer secret of <paramref name="app"/>, signed by <paramref name="signer"/>, which the SMS
    /// accepts only if it is the app's on-chain owner (else <see cref="ErrorIds.SmsNotAuthorized"/>). No pre-check, as
    /// in the CLI; an existing secret gives <see cref="ErrorIds.SecretAlreadyExists"/>.
    /// </summary>
    public Task<SmsPushResult> PushAppSecretAsync(IEthSigner signer, EthAddress app, ReadOnlyMemory<byte> valueUtf8, CancellationToken cancellationToken = default) =>
        PushOwnedResourceSecretAsync(signer, app, valueUtf8, SmsSecretKind.App, AppSecretUri(app),
            () => SmsChallenge.ForAppSecret(app, valueUtf8.Span), cancellationToken);

    /// <summary>True when web2 secret <paramref name="name"/> of <paramref name="owner"/> is set (names are case-insensitive on the SMS).</summary>
    public Task<bool> Web2SecretExistsAsync(EthAddress owner, string name, CancellationToken cancellationToken = default)
    {
        SecretRules.EnsureValidWeb2Name(name);
        return ExistsAsync(Web2SecretUri(owner, name), name, cancellationToken);
    }

    /// <summary>
    /// Pushes web2 secret <paramref name="name"/> for <paramref name="signer"/>'s address: a POST that fails with
    /// <see cref="ErrorIds.SecretAlreadyExists"/> if it is set, or with <paramref name="update"/> a PUT that replaces
    /// the value and fails with <see cref="ErrorIds.SecretNotFound"/> if it is not set.
    /// </summary>
    public Task<SmsPushResult> PushWeb2SecretAsync(IEthSigner signer, string name, ReadOnlyMemory<byte> valueUtf8, bool update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        SecretRules.EnsureValidWeb2Name(name);
        SecretRules.EnsureValueSize(valueUtf8.Span, name);

        var owner = signer.Address;
        var uri = Web2SecretUri(owner, name);
        var authorization = SmsChallenge.Authorization(signer, SmsChallenge.ForWeb2Secret(owner, name, valueUtf8.Span));
        var outcome = new PushOutcome(SmsSecretKind.Web2, owner, name);
        Func<HttpStatusCode, IExecException?> map = status => status switch
        {
            HttpStatusCode.Conflict => new IExecException(ErrorIds.SecretAlreadyExists, IExecErrorCategory.ResourceExists,
                $"Secret \"{name}\" already exists for {owner}", name)
            { RecommendedAction = "Push it again as an update to replace the value." },
            HttpStatusCode.NotFound when update => new IExecException(ErrorIds.SecretNotFound, IExecErrorCategory.ObjectNotFound,
                $"Secret \"{name}\" does not exist for {owner} and cannot be updated", name),
            HttpStatusCode.Unauthorized => NotAuthorized($"Wallet {owner} is not allowed to set secret \"{name}\" for {owner}", name),
            _ => null,
        };
        return update
            ? UpdateAsync(uri, valueUtf8, authorization, outcome, name, map, cancellationToken)
            : PushAsync(uri, valueUtf8, authorization, outcome, name, ct => ExistsAsync(uri, name, ct), map, cancellationToken);
    }

    /// <summary>True when the web3 secret (dataset key) of <paramref name="address"/> is set.</summary>
    public Task<bool> Web3SecretExistsAsync(EthAddress address, CancellationToken cancellationToken = default) =>
        ExistsAsync(Web3SecretUri(address), address.ToString(), cancellationToken);

    /// <summary>
    /// Pushes the web3 secret (dataset key) of <paramref name="address"/>, which the SMS accepts only from the
    /// contract's on-chain owner. Write-once, like app secrets.
    /// </summary>
    public Task<SmsPushResult> PushWeb3SecretAsync(IEthSigner signer, EthAddress address, ReadOnlyMemory<byte> valueUtf8, CancellationToken cancellationToken = default) =>
        PushOwnedResourceSecretAsync(signer, address, valueUtf8, SmsSecretKind.Web3, Web3SecretUri(address),
            () => SmsChallenge.ForWeb3Secret(address, valueUtf8.Span), cancellationToken);

    // App and dataset (web3) secrets are alike: keyed by a contract address, accepted only from its on-chain owner,
    // write-once. The challenge is built after the size check so an oversized value is refused before any signing.
    private Task<SmsPushResult> PushOwnedResourceSecretAsync(IEthSigner signer, EthAddress resource, ReadOnlyMemory<byte> valueUtf8,
        SmsSecretKind kind, Uri uri, Func<byte[]> challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var target = resource.ToString();
        SecretRules.EnsureValueSize(valueUtf8.Span, target);

        var authorization = SmsChallenge.Authorization(signer, challenge());
        var outcome = new PushOutcome(kind, resource, null);
        return PushAsync(uri, valueUtf8, authorization, outcome, target, ct => ExistsAsync(uri, target, ct), status => status switch
        {
            HttpStatusCode.Conflict => ResourceSecretExists(resource),
            HttpStatusCode.Unauthorized => NotAuthorized($"Wallet {signer.Address} is not allowed to set secret for {resource}", target),
            _ => null,
        }, cancellationToken);
    }

    /// <summary>The TEE framework the SMS serves (<c>SCONE</c>, <c>GRAMINE</c> or <c>TDX</c>), from <c>GET /tee/framework</c>.</summary>
    public Task<string> GetTeeFrameworkAsync(CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, new Uri(_origin, "/tee/framework"), null, null, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) throw MapStatus(response, DisplayUrl, null);
            var text = (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
            // Spring serialises the enum as a JSON string; tolerate a bare word too.
            return text.StartsWith('"') ? JsonSerializer.Deserialize<string>(text) ?? string.Empty : text;
        }, cancellationToken).AsTask();

    /// <summary>Releases the HTTP client if this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    internal Uri RequesterSecretUri(EthAddress requester, string name) =>
        new(_origin, $"/requesters/{requester}/secrets/{Uri.EscapeDataString(name)}");

    internal Uri AppSecretUri(EthAddress app) => new(_origin, $"/apps/{app}/secrets");

    // query-string (the SDK's encoder) sorts keys alphabetically and escapes strictly; EscapeDataString matches that.
    internal Uri Web2SecretUri(EthAddress owner, string name) =>
        new(_origin, $"/secrets/web2?ownerAddress={owner}&secretName={Uri.EscapeDataString(name)}");

    internal Uri Web3SecretUri(EthAddress address) => new(_origin, $"/secrets/web3?secretAddress={address}");

    private static Uri ValidateAndGetOrigin(Uri smsUrl, bool allowInsecureHttp)
    {
        if (!smsUrl.IsAbsoluteUri || (smsUrl.Scheme != Uri.UriSchemeHttp && smsUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new IExecException(ErrorIds.InvalidSmsUrl, IExecErrorCategory.InvalidArgument,
                $"SMS URL {smsUrl.OriginalString} is not an absolute http(s) URL", smsUrl.OriginalString);
        }

        var origin = new UriBuilder(smsUrl.Scheme, smsUrl.Host, smsUrl.Port).Uri;
        if (smsUrl.Scheme == Uri.UriSchemeHttp && !smsUrl.IsLoopback && !allowInsecureHttp)
        {
            throw new IExecException(ErrorIds.InsecureSmsUrl, IExecErrorCategory.SecurityError,
                $"Refusing plain http to {origin.GetLeftPart(UriPartial.Authority)}: secrets and signatures would travel unencrypted",
                origin.GetLeftPart(UriPartial.Authority))
            { RecommendedAction = "Use an https:// SMS URL, or allow insecure HTTP explicitly for a trusted local network." };
        }
        return origin;
    }

    private Task<bool> ExistsAsync(Uri uri, string target, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async ct =>
        {
            using var response = await SendAsync(HttpMethod.Head, uri, null, null, ct).ConfigureAwait(false);
            if (IsSuccess(response.StatusCode)) return true;
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            throw MapStatus(response, target, null);
        }, cancellationToken).AsTask();

    private async Task<SmsPushResult> PushAsync(
        Uri uri,
        ReadOnlyMemory<byte> valueUtf8,
        string authorization,
        PushOutcome outcome,
        string target,
        Func<CancellationToken, Task<bool>> existsAsync,
        Func<HttpStatusCode, IExecException?> mapStatus,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        var ambiguous = false;
        try
        {
            return await _retry.ExecuteAsync(async ct =>
            {
                if (ambiguous && await existsAsync(ct).ConfigureAwait(false)) return outcome.Done(reconciled: true, attempts);

                attempts++;
                HttpResponseMessage response;
                try
                {
                    response = await SendAsync(HttpMethod.Post, uri, valueUtf8, authorization, ct).ConfigureAwait(false);
                }
                catch (IExecException e) when (IsTransient(e))
                {
                    ambiguous = true;
                    throw;
                }

                using (response)
                {
                    if (IsSuccess(response.StatusCode)) return outcome.Done(reconciled: false, attempts);
                    // Our earlier attempt may have been stored before its answer was lost: the conflict is with ourselves.
                    if (response.StatusCode == HttpStatusCode.Conflict && ambiguous) return outcome.Done(reconciled: true, attempts);
                    throw MapStatus(response, target, mapStatus);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException failure) when (IsTransient(failure) && ambiguous)
        {
            // Retries are spent, but the last write may still have landed: the SMS's state decides what to report.
            bool stored;
            try
            {
                stored = await existsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IExecException checkFailure) when (IsTransient(checkFailure))
            {
                throw new IExecException(failure.ErrorId, failure.Category,
                    $"{failure.Message}; whether the secret was stored could not be checked: {checkFailure.Message}", target, failure)
                { RecommendedAction = "Check whether the secret is set before pushing it again." };
            }
            if (stored) return outcome.Done(reconciled: true, attempts);
            throw;
        }
    }

    // A PUT sets the same value however often it lands, so it is retried like a read.
    private Task<SmsPushResult> UpdateAsync(
        Uri uri,
        ReadOnlyMemory<byte> valueUtf8,
        string authorization,
        PushOutcome outcome,
        string target,
        Func<HttpStatusCode, IExecException?> mapStatus,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        return _retry.ExecuteAsync(async ct =>
        {
            attempts++;
            using var response = await SendAsync(HttpMethod.Put, uri, valueUtf8, authorization, ct).ConfigureAwait(false);
            if (IsSuccess(response.StatusCode)) return outcome.Done(reconciled: false, attempts);
            throw MapStatus(response, target, mapStatus);
        }, cancellationToken).AsTask();
    }

    /// <summary>
    /// Sends one request under the per-request timeout. 5xx answers, connection failures and timeouts become transient
    /// <see cref="IExecException"/>s; any other answer is returned for the caller to interpret.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, ReadOnlyMemory<byte>? body, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is { } bytes)
        {
            // ReadOnlyMemoryContent streams the caller's buffer as is: no copy, no string, no charset parameter.
            request.Content = new ReadOnlyMemoryContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        }
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IExecException(ErrorIds.SmsTimeout, IExecErrorCategory.OperationTimeout,
                $"SMS at {DisplayUrl} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s", DisplayUrl, e);
        }
        catch (HttpRequestException e)
        {
            throw new IExecException(ErrorIds.SmsUnreachable, IExecErrorCategory.ConnectionError,
                $"Connection to {DisplayUrl} failed with a network error", DisplayUrl, e);
        }

        if ((int)response.StatusCode >= 500)
        {
            response.Dispose();
            throw new IExecException(ErrorIds.SmsServerError, IExecErrorCategory.ResourceUnavailable,
                $"Server at {DisplayUrl} encountered an internal error", DisplayUrl);
        }
        return response;
    }

    private IExecException MapStatus(HttpResponseMessage response, string target, Func<HttpStatusCode, IExecException?>? specific)
    {
        if (specific?.Invoke(response.StatusCode) is { } mapped) return mapped;
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new IExecException(ErrorIds.SmsBadRequest, IExecErrorCategory.InvalidArgument,
                $"SMS at {DisplayUrl} rejected the request for {target} as invalid ({status})", target),
            HttpStatusCode.RequestEntityTooLarge => new IExecException(ErrorIds.SmsPayloadTooLarge, IExecErrorCategory.LimitsExceeded,
                $"SMS at {DisplayUrl} rejected the secret value for {target} as too large ({status})", target),
            HttpStatusCode.Unauthorized => NotAuthorized($"SMS at {DisplayUrl} refused the signature for {target} ({status})", target),
            _ => new IExecException(ErrorIds.SmsUnexpectedStatus, IExecErrorCategory.ProtocolError,
                $"SMS answered with unexpected status: {status}", target),
        };
    }

    private static IExecException RequesterSecretExists(string name, EthAddress requester) =>
        new(ErrorIds.SecretAlreadyExists, IExecErrorCategory.ResourceExists, $"Secret \"{name}\" already exists for {requester}", name)
        { RecommendedAction = "Requester secrets cannot be changed: push the new value under another name." };

    private static IExecException ResourceSecretExists(EthAddress resource) =>
        new(ErrorIds.SecretAlreadyExists, IExecErrorCategory.ResourceExists, $"Secret already exists for {resource} and can't be updated", resource.ToString());

    private static IExecException NotAuthorized(string message, string target) =>
        new(ErrorIds.SmsNotAuthorized, IExecErrorCategory.PermissionDenied, message, target);

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static bool IsTransient(IExecException e) =>
        e.ErrorId is ErrorIds.SmsServerError or ErrorIds.SmsUnreachable or ErrorIds.SmsTimeout;

    private sealed record PushOutcome(SmsSecretKind Kind, EthAddress Address, string? Name)
    {
        public SmsPushResult Done(bool reconciled, int attempts) => new(Kind, Address, Name, reconciled, attempts);
    }
}
