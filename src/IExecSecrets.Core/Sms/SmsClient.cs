using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;
using IExecSecrets.Core.Net;
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
/// <para>Every POST (requester, app, web2, web3) is preceded by a HEAD: a secret that is already set fails with
/// <see cref="ErrorIds.SecretAlreadyExists"/> without the value being sent (the CLI does this for requester secrets
/// only; for the others it is stricter, the POST itself is byte for byte the CLI's). That first answer, "absent", is
/// what makes reconciliation sound: after an ambiguous failure (5xx, reset, timeout after sending) the client asks
/// the SMS again and counts "now stored" as this push's success, since the secret was absent just before it. A 409
/// that answers a repeat means the earlier attempt landed; a 409 on the first attempt is
/// <see cref="ErrorIds.SecretAlreadyExists"/>. So each push is either stored by this push and reported pushed, or
/// reported failed; an existing secret plus a 5xx is never reported pushed.</para>
/// <para>Existence checks (HEAD) and web2 updates (PUT) are idempotent and are retried on transient faults with
/// jittered exponential backoff. Only the statuses iexec-sms really answers are accepted (its controllers build every
/// success with <c>ResponseEntity.noContent()</c>): 204 for a stored/updated secret and for "exists", 404 for
/// "absent". Any other status, a 200 from a proxy or a login page included, is
/// <see cref="ErrorIds.SmsUnexpectedStatus"/>. Redirects are never followed: a 3xx is
/// <see cref="ErrorIds.UnexpectedRedirect"/> and its target is never called.</para>
/// <para>Secret values are caller-owned buffers: the client sends them as they are and never copies them into strings,
/// messages or logs, so the caller can zero them once the call returns.</para>
/// </remarks>
public sealed partial class SmsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SmsClientOptions _options;
    private readonly Uri _origin;
    private readonly ResiliencePipeline _retry;
    private int _disposed;

    /// <summary>
    /// Creates a client for the SMS at <paramref name="smsUrl"/>. Throws <see cref="ErrorIds.InsecureSmsUrl"/> for
    /// <c>http://</c> to a non-loopback host unless <see cref="SmsClientOptions.AllowInsecureHttp"/> (the rule of
    /// <see cref="TransportPolicy"/>), and <see cref="ErrorIds.InvalidSmsUrl"/> for a relative or non-HTTP URL.
    /// Nothing is sent. A client it creates itself never follows redirects.
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
                : new HttpClient(TransportPolicy.CreateHandler(), disposeHandler: true);
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
    /// checks that the secret is absent (HEAD). Requester secrets are write-once: an existing one gives
    /// <see cref="ErrorIds.SecretAlreadyExists"/> and the value is not sent.
    /// </summary>
    public async Task<SmsPushResult> PushRequesterSecretAsync(IEthSigner signer, string name, ReadOnlyMemory<byte> valueUtf8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        SecretRules.EnsureValidName(name);
        SecretRules.EnsureValueSize(valueUtf8.Span, name);

        var requester = signer.Address;
        var uri = RequesterSecretUri(requester, name);
        // The signature is computed while the HEAD is on the wire; it is sent only once the secret is known absent.
        var absent = EnsureAbsentAsync(uri, name, () => RequesterSecretExists(name, requester), cancellationToken);
        var authorization = SignBeside(absent, () => SmsChallenge.Authorization(signer, SmsChallenge.ForRequesterSecret(requester, name, valueUtf8.Span)));
        await absent.ConfigureAwait(false);
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
    /// accepts only if it is the app's on-chain owner (else <see cref="ErrorIds.SmsNotAuthorized"/>). Unlike the CLI it
    /// checks first (HEAD) that no secret is set: an existing one gives <see cref="ErrorIds.SecretAlreadyExists"/>
    /// without the value being sent, and the "absent" answer is what makes a later reconciliation trustworthy.
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
    /// Pushes web2 secret <paramref name="name"/> for <paramref name="signer"/>'s address: a HEAD then a POST that fail
    /// with <see cref="ErrorIds.SecretAlreadyExists"/> if it is set, or with <paramref name="update"/> a PUT that
    /// replaces the value and fails with <see cref="ErrorIds.SecretNotFound"/> if it is not set.
    /// </summary>
    public async Task<SmsPushResult> PushWeb2SecretAsync(IEthSigner signer, string name, ReadOnlyMemory<byte> valueUtf8, bool update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        SecretRules.EnsureValidWeb2Name(name);
        SecretRules.EnsureValueSize(valueUtf8.Span, name);

        var owner = signer.Address;
        var uri = Web2SecretUri(owner, name);
        if (!update) await EnsureAbsentAsync(uri, name, () => Web2SecretExists(name, owner), cancellationToken).ConfigureAwait(false);
        var authorization = SmsChallenge.Authorization(signer, SmsChallenge.ForWeb2Secret(owner, name, valueUtf8.Span));
        var outcome = new PushOutcome(SmsSecretKind.Web2, owner, name);
        Func<HttpStatusCode, IExecException?> map = status => status switch
        {
            HttpStatusCode.Conflict => Web2SecretExists(name, owner),
            HttpStatusCode.NotFound when update => new IExecException(ErrorIds.SecretNotFound,
                $"Secret \"{name}\" does not exist for {owner} and cannot be updated", name),
            HttpStatusCode.Unauthorized => NotAuthorized($"Wallet {owner} is not allowed to set secret \"{name}\" for {owner}", name),
            _ => null,
        };
        return update
            ? await UpdateAsync(uri, valueUtf8, authorization, outcome, name, map, cancellationToken).ConfigureAwait(false)
            : await PushAsync(uri, valueUtf8, authorization, outcome, name, ct => ExistsAsync(uri, name, ct), map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the web3 secret (dataset key) of <paramref name="address"/> is set.</summary>
    public Task<bool> Web3SecretExistsAsync(EthAddress address, CancellationToken cancellationToken = default) =>
        ExistsAsync(Web3SecretUri(address), address.ToString(), cancellationToken);

    /// <summary>
    /// Pushes the web3 secret (dataset key) of <paramref name="address"/>, which the SMS accepts only from the
    /// contract's on-chain owner. Write-once, like app secrets, and checked first (HEAD) the same way.
    /// </summary>
    public Task<SmsPushResult> PushWeb3SecretAsync(IEthSigner signer, EthAddress address, ReadOnlyMemory<byte> valueUtf8, CancellationToken cancellationToken = default) =>
        PushOwnedResourceSecretAsync(signer, address, valueUtf8, SmsSecretKind.Web3, Web3SecretUri(address),
            () => SmsChallenge.ForWeb3Secret(address, valueUtf8.Span), cancellationToken);

    // Signs while the absence check runs; if signing fails, the check's own outcome is observed (never left unobserved)
    // and the signing error is the one reported.
    private static string SignBeside(Task absent, Func<string> sign)
    {
        try
        {
            return sign();
        }
        catch
        {
            _ = absent.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    // App and dataset (web3) secrets are alike: keyed by a contract address, accepted only from its on-chain owner,
    // write-once. The challenge is built after the size check so an oversized value is refused before any signing.
    private async Task<SmsPushResult> PushOwnedResourceSecretAsync(IEthSigner signer, EthAddress resource, ReadOnlyMemory<byte> valueUtf8,
        SmsSecretKind kind, Uri uri, Func<byte[]> challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var target = resource.ToString();
        SecretRules.EnsureValueSize(valueUtf8.Span, target);

        var absent = EnsureAbsentAsync(uri, target, () => ResourceSecretExists(resource), cancellationToken);
        var authorization = SignBeside(absent, () => SmsChallenge.Authorization(signer, challenge()));
        await absent.ConfigureAwait(false);
        var outcome = new PushOutcome(kind, resource, null);
        return await PushAsync(uri, valueUtf8, authorization, outcome, target, ct => ExistsAsync(uri, target, ct), status => status switch
        {
            HttpStatusCode.Conflict => ResourceSecretExists(resource),
            HttpStatusCode.Unauthorized => NotAuthorized($"Wallet {signer.Address} is not allowed to set secret for {resource}", target),
            _ => null,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The TEE framework the SMS serves (<c>SCONE</c>, <c>GRAMINE</c> or <c>TDX</c>), from <c>GET /tee/framework</c>.</summary>
    public Task<string> GetTeeFrameworkAsync(CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, new Uri(_origin, "/tee/framework"), null, null, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) throw MapStatus(response, DisplayUrl, null);
            var text = (await TransportPolicy.ReadCappedStringAsync(response.Content, 1024, "SMS", DisplayUrl, ct).ConfigureAwait(false)).Trim();
            // Spring serialises the enum as a JSON string; tolerate a bare word too. Anything else (an HTML page from a
            // proxy) is not an SMS answer.
            string? word;
            try
            {
                word = text.StartsWith('"') ? JsonSerializer.Deserialize<string>(text) : text;
            }
            catch (JsonException)
            {
                word = null;
            }
            if (word is null || word.Length is 0 or > 32 || !word.All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            {
                throw new IExecException(ErrorIds.SmsUnexpectedStatus,
                    $"SMS at {DisplayUrl} answered /tee/framework with something that is not a TEE framework name", DisplayUrl);
            }
            return word;
        }, cancellationToken).AsTask();

    /// <summary>True once <see cref="Dispose"/> has run; a disposed client is never handed out by <see cref="SmsClientCache"/>.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Releases the HTTP client if this instance created it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
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
            throw new IExecException(ErrorIds.InvalidSmsUrl,
                $"SMS URL {TransportPolicy.Display(smsUrl.OriginalString)} is not an absolute http(s) URL", TransportPolicy.Display(smsUrl.OriginalString));
        }

        TransportPolicy.EnsureSecure(smsUrl, EndpointKind.Sms, allowInsecureHttp);
        return new UriBuilder(smsUrl.Scheme, smsUrl.Host, smsUrl.Port).Uri;
    }
}
