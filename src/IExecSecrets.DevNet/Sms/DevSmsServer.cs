using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IExecSecrets.DevNet.Sms;

/// <summary>
/// A local Secret Management Service that answers the routes iexec-sdk calls the way iexec-sms does: the same
/// statuses, JSON error bodies on the requester/app routes and empty bodies on web2/web3, the same signature check
/// (EIP-191 over the recomputed challenge, v 27/28, addresses compared case-insensitively), app and dataset ownership
/// read on chain through <see cref="DevSmsOptions.ResolveOwnerAsync"/>, the 4096-byte limit and write-once secrets.
/// Check order: requester POST signature, name, size, existence; app POST signature, size, existence; web2/web3 POST
/// size, signature, existence (as iexec-sms's <c>SecretController</c>); web2 PUT signature, size, existence (404).
/// It listens on 127.0.0.1 only, can inject faults (<see cref="DevSmsOptions.Faults"/>), and offers the devnet worker
/// an in-process read API (<see cref="GetRequesterSecretAsync"/>, <see cref="GetAppSecretAsync"/>).
/// </summary>
public sealed class DevSmsServer : IAsyncDisposable
{
    private const string InvalidAuthorization = "Invalid authorization";
    private const string InvalidKey = "Secret key should contain at most 64 characters from [0-9A-Za-z-_]";
    private const string TooLarge = "Secret size should not exceed 4 Kb";
    private const string AlreadyExists = "Secret already exists";
    private const string NotFound = "Secret not found";
    private const int MaxBodyBytes = 1 << 20;

    private readonly WebApplication _app;
    private readonly DevSmsStore _store;
    private readonly DevSmsOptions _options;
    private readonly FaultInjector? _faults;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<DevSmsRequest> _requests = new();
    private long _requestCount;
    private long _faultCount;
    private long _redirectTargetHits;

    private DevSmsServer(WebApplication app, DevSmsStore store, DevSmsOptions options)
    {
        _app = app;
        _store = store;
        _options = options;
        _faults = options.Faults is { Rate: > 0 } faults ? new FaultInjector(faults) : null;
        Url = null!;
    }

    /// <summary>The base URL the server listens on, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Url { get; private set; }

    /// <summary>How many requests have been received (faulted ones included).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>How many requests were failed on purpose.</summary>
    public long InjectedFaultCount => Interlocked.Read(ref _faultCount);

    /// <summary>The page a <see cref="DevSmsFaultKind.Redirect"/> fault sends clients to; it answers 200 with HTML.</summary>
    public const string RedirectTargetPath = "/proxy/login";

    /// <summary>How many requests reached <see cref="RedirectTargetPath"/>, i.e. how often a client followed a redirect.</summary>
    public long RedirectTargetHits => Interlocked.Read(ref _redirectTargetHits);

    /// <summary>Every request received so far, in arrival order, without values or signatures.</summary>
    public IReadOnlyList<DevSmsRequest> Requests => _requests.ToArray();

    /// <summary>Starts the server on 127.0.0.1 and returns once it accepts connections.</summary>
    public static async Task<DevSmsServer> StartAsync(DevSmsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = LoopbackWebHost.Build(options.Port, MaxBodyBytes);
        var store = new DevSmsStore(options.DatabasePath);
        var server = new DevSmsServer(app, store, options);
        server.MapRoutes();
        try
        {
            server.Url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>The value of requester secret <paramref name="name"/> of <paramref name="requester"/>, or null. The caller should zero it after use.</summary>
    public Task<byte[]?> GetRequesterSecretAsync(EthAddress requester, string name, CancellationToken cancellationToken = default) =>
        _store.GetAsync(SmsSecretKind.Requester, requester.ToLowerHex(), name, cancellationToken);

    /// <summary>The app developer secret of <paramref name="app"/>, or null. The caller should zero it after use.</summary>
    public Task<byte[]?> GetAppSecretAsync(EthAddress app, CancellationToken cancellationToken = default) =>
        _store.GetAsync(SmsSecretKind.App, app.ToLowerHex(), SmsChallenge.AppDeveloperSecretIndex, cancellationToken);

    /// <summary>The web2 secret <paramref name="name"/> (case-insensitive) of <paramref name="owner"/>, or null.</summary>
    public Task<byte[]?> GetWeb2SecretAsync(EthAddress owner, string name, CancellationToken cancellationToken = default) =>
        _store.GetAsync(SmsSecretKind.Web2, owner.ToLowerHex(), name.ToLowerInvariant(), cancellationToken);

    /// <summary>The web3 secret (dataset key) of <paramref name="address"/>, or null.</summary>
    public Task<byte[]?> GetWeb3SecretAsync(EthAddress address, CancellationToken cancellationToken = default) =>
        _store.GetAsync(SmsSecretKind.Web3, address.ToLowerHex(), string.Empty, cancellationToken);

    /// <summary>How many secrets of <paramref name="kind"/> are stored.</summary>
    public Task<int> CountSecretsAsync(SmsSecretKind kind, CancellationToken cancellationToken = default) =>
        _store.CountAsync(kind, cancellationToken);

    /// <summary>Stops listening (held faulty requests are dropped) and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        _stopping.Dispose();
    }

    private void MapRoutes()
    {
        Map("/requesters/{address}/secrets/{name}", "POST", isWrite: true, PushRequesterSecretAsync);
        Map("/requesters/{address}/secrets/{name}", "HEAD", isWrite: false, RequesterSecretExistsAsync);
        Map("/apps/{address}/secrets", "POST", isWrite: true, PushAppSecretAsync);
        Map("/apps/{address}/secrets", "HEAD", isWrite: false, AppSecretExistsAsync);
        Map("/secrets/web2", "POST", isWrite: true, request => PushWeb2SecretAsync(request, update: false));
        Map("/secrets/web2", "PUT", isWrite: true, request => PushWeb2SecretAsync(request, update: true));
        Map("/secrets/web2", "HEAD", isWrite: false, Web2SecretExistsAsync);
        Map("/secrets/web3", "POST", isWrite: true, PushWeb3SecretAsync);
        Map("/secrets/web3", "HEAD", isWrite: false, Web3SecretExistsAsync);
        Map("/tee/framework", "GET", isWrite: false, _ => Task.FromResult(new Answer(StatusCodes.Status200OK, Json: JsonSerializer.Serialize(_options.TeeFramework))));
        Map("/version", "GET", isWrite: false, _ => Task.FromResult(new Answer(StatusCodes.Status200OK, Text: "8.7.0-devsms")));
        _app.MapMethods(RedirectTargetPath, ["GET", "POST", "HEAD", "PUT"], async context =>
        {
            Interlocked.Increment(ref _redirectTargetHits);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.WriteAsync(HtmlPage).ConfigureAwait(false);
        });
    }

    private void Map(string pattern, string method, bool isWrite, Func<Request, Task<Answer>> operation) =>
        _app.MapMethods(pattern, [method], context => HandleAsync(context, isWrite, operation));

    /// <summary>Counts and records the request, adds latency, runs the operation and answers, or fails it on purpose.</summary>
    private async Task HandleAsync(HttpContext context, bool isWrite, Func<Request, Task<Answer>> operation)
    {
        Interlocked.Increment(ref _requestCount);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = aborted.Token;
        byte[] body = [];
        try
        {
            if (_options.AddedLatency > TimeSpan.Zero) await Task.Delay(_options.AddedLatency, ct).ConfigureAwait(false);
            body = await ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
            _requests.Enqueue(new DevSmsRequest(
                context.Request.Method,
                context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
                context.Request.ContentType,
                context.Request.Headers.Authorization.Count > 0,
                body.Length));

            var fault = _faults?.Next(isWrite);
            if (fault is { Kind: DevSmsFaultKind.Redirect or DevSmsFaultKind.ProxyHtmlPage })
            {
                // Something in front of the SMS answers; the SMS itself never sees the request.
                await AnswerInsteadOfSmsAsync(context, fault.Kind).ConfigureAwait(false);
                return;
            }
            if (fault is { AfterWrite: false, Kind: not DevSmsFaultKind.ExistingThenServerError })
            {
                await FailAsync(context, fault.Kind, ct).ConfigureAwait(false);
                return;
            }

            var answer = await operation(new Request(context, body, ct)).ConfigureAwait(false);
            if (fault is { Kind: DevSmsFaultKind.ExistingThenServerError })
            {
                if (answer.Status == StatusCodes.Status409Conflict) await FailAsync(context, DevSmsFaultKind.ServerError, ct).ConfigureAwait(false);
                else await WriteAsync(context, answer).ConfigureAwait(false);
                return;
            }
            if (fault is not null)
            {
                await FailAsync(context, fault.Kind, ct).ConfigureAwait(false);
                return;
            }
            await WriteAsync(context, answer).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Abort();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    private async Task FailAsync(HttpContext context, DevSmsFaultKind kind, CancellationToken ct)
    {
        Interlocked.Increment(ref _faultCount);
        switch (kind)
        {
            case DevSmsFaultKind.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            case DevSmsFaultKind.ConnectionReset:
                context.Abort();
                break;
            case DevSmsFaultKind.Delay:
                await Task.Delay(_options.Faults!.Delay, ct).ConfigureAwait(false);
                context.Abort();
                break;
        }
    }

    private const string HtmlPage = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method=\"post\">Proxy login</form></body></html>";

    private async Task AnswerInsteadOfSmsAsync(HttpContext context, DevSmsFaultKind kind)
    {
        Interlocked.Increment(ref _faultCount);
        if (kind == DevSmsFaultKind.Redirect)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(Url, RedirectTargetPath).ToString();
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html";
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.WriteAsync(HtmlPage).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, Answer answer)
    {
        context.Response.StatusCode = answer.Status;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        if (answer.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Json).ConfigureAwait(false);
        }
        else if (answer.Text is not null)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(answer.Text).ConfigureAwait(false);
        }
    }

    private async Task<Answer> PushRequesterSecretAsync(Request request)
    {
        var address = RouteValue(request, "address").ToLowerInvariant();
        var name = RouteValue(request, "name");
        if (request.Authorization is not { } authorization) return MissingAuthorization();
        if (TryParseAddress(address) is not { } requester
            || !IsSignedBy(SmsChallenge.ForRequesterSecret(requester, name, request.Body), authorization, address))
        {
            return Error(StatusCodes.Status401Unauthorized, InvalidAuthorization);
        }
        if (!SecretRules.IsValidName(name)) return Error(StatusCodes.Status400BadRequest, InvalidKey);
        if (request.Body.Length > SecretRules.MaxValueBytes) return Error(StatusCodes.Status400BadRequest, TooLarge);
        return await _store.TryAddAsync(SmsSecretKind.Requester, address, name, request.Body, request.Aborted).ConfigureAwait(false)
            ? NoContent()
            : Error(StatusCodes.Status409Conflict, AlreadyExists);
    }

    private async Task<Answer> RequesterSecretExistsAsync(Request request)
    {
        var address = RouteValue(request, "address").ToLowerInvariant();
        var name = RouteValue(request, "name");
        if (!SecretRules.IsValidName(name)) return Error(StatusCodes.Status400BadRequest, InvalidKey);
        return await _store.ExistsAsync(SmsSecretKind.Requester, address, name, request.Aborted).ConfigureAwait(false)
            ? NoContent()
            : Error(StatusCodes.Status404NotFound, NotFound);
    }

    private async Task<Answer> PushAppSecretAsync(Request request)
    {
        var address = RouteValue(request, "address").ToLowerInvariant();
        if (request.Authorization is not { } authorization) return MissingAuthorization();
        if (TryParseAddress(address) is not { } app
            || !await IsSignedByOwnerAsync(SmsChallenge.ForAppSecret(app, request.Body), authorization, app, request.Aborted).ConfigureAwait(false))
        {
            return Error(StatusCodes.Status401Unauthorized, InvalidAuthorization);
        }
        if (request.Body.Length > SecretRules.MaxValueBytes) return Error(StatusCodes.Status413PayloadTooLarge, TooLarge);
        return await _store.TryAddAsync(SmsSecretKind.App, address, SmsChallenge.AppDeveloperSecretIndex, request.Body, request.Aborted).ConfigureAwait(false)
            ? NoContent()
            : Error(StatusCodes.Status409Conflict, AlreadyExists);
    }

    private async Task<Answer> AppSecretExistsAsync(Request request)
    {
        var address = RouteValue(request, "address").ToLowerInvariant();
        return await _store.ExistsAsync(SmsSecretKind.App, address, SmsChallenge.AppDeveloperSecretIndex, request.Aborted).ConfigureAwait(false)
            ? NoContent()
            : Error(StatusCodes.Status404NotFound, NotFound);
    }

    private async Task<Answer> PushWeb2SecretAsync(Request request, bool update)
    {
        if (Query(request, "ownerAddress") is not { } ownerText || Query(request, "secretName") is not { } name) return Empty(StatusCodes.Status400BadRequest);
        if (request.Authorization is not { } authorization) return Empty(StatusCodes.Status400BadRequest);
        var owner = ownerText.ToLowerInvariant();
        if (!update && request.Body.Length > SecretRules.MaxValueBytes) return Empty(StatusCodes.Status413PayloadTooLarge);
        if (TryParseAddress(owner) is not { } ownerAddress
            || !IsSignedBy(SmsChallenge.ForWeb2Secret(ownerAddress, name, request.Body), authorization, owner))
        {
            return Empty(StatusCodes.Status401Unauthorized);
        }
        if (update && request.Body.Length > SecretRules.MaxValueBytes) return Empty(StatusCodes.Status413PayloadTooLarge);

        var storedName = name.ToLowerInvariant();
        if (update)
        {
            return await _store.TryUpdateAsync(SmsSecretKind.Web2, owner, storedName, request.Body, request.Aborted).ConfigureAwait(false)
                ? Empty(StatusCodes.Status204NoContent)
                : Empty(StatusCodes.Status404NotFound);
        }
        return await _store.TryAddAsync(SmsSecretKind.Web2, owner, storedName, request.Body, request.Aborted).ConfigureAwait(false)
            ? Empty(StatusCodes.Status204NoContent)
            : Empty(StatusCodes.Status409Conflict);
    }

    private async Task<Answer> Web2SecretExistsAsync(Request request)
    {
        if (Query(request, "ownerAddress") is not { } owner || Query(request, "secretName") is not { } name) return Empty(StatusCodes.Status400BadRequest);
        return await _store.ExistsAsync(SmsSecretKind.Web2, owner.ToLowerInvariant(), name.ToLowerInvariant(), request.Aborted).ConfigureAwait(false)
            ? Empty(StatusCodes.Status204NoContent)
            : Empty(StatusCodes.Status404NotFound);
    }

    private async Task<Answer> PushWeb3SecretAsync(Request request)
    {
        if (Query(request, "secretAddress") is not { } addressText) return Empty(StatusCodes.Status400BadRequest);
        if (request.Authorization is not { } authorization) return Empty(StatusCodes.Status400BadRequest);
        if (request.Body.Length > SecretRules.MaxValueBytes) return Empty(StatusCodes.Status413PayloadTooLarge);
        if (TryParseAddress(addressText) is not { } address
            || !await IsSignedByOwnerAsync(SmsChallenge.ForWeb3Secret(address, request.Body), authorization, address, request.Aborted).ConfigureAwait(false))
        {
            return Empty(StatusCodes.Status401Unauthorized);
        }
        return await _store.TryAddAsync(SmsSecretKind.Web3, address.ToLowerHex(), string.Empty, request.Body, request.Aborted).ConfigureAwait(false)
            ? Empty(StatusCodes.Status204NoContent)
            : Empty(StatusCodes.Status409Conflict);
    }

    private async Task<Answer> Web3SecretExistsAsync(Request request)
    {
        if (Query(request, "secretAddress") is not { } address) return Empty(StatusCodes.Status400BadRequest);
        return await _store.ExistsAsync(SmsSecretKind.Web3, address.ToLowerInvariant(), string.Empty, request.Aborted).ConfigureAwait(false)
            ? Empty(StatusCodes.Status204NoContent)
            : Empty(StatusCodes.Status404NotFound);
    }

    private async Task<bool> IsSignedByOwnerAsync(byte[] challenge, string authorization, EthAddress resource, CancellationToken ct)
    {
        if (_options.ResolveOwnerAsync is null) return false;
        var owner = await _options.ResolveOwnerAsync(resource, ct).ConfigureAwait(false);
        return owner is { } known && IsSignedBy(challenge, authorization, known.ToLowerHex());
    }

    /// <summary>
    /// True when <paramref name="authorization"/> is a 65-byte signature with v 27 or 28 whose EIP-191 signer over the
    /// challenge is <paramref name="expectedLowerHex"/>. Malformed signatures are refused rather than failing with 500.
    /// </summary>
    private static bool IsSignedBy(byte[] challenge, string authorization, string expectedLowerHex)
    {
        if (!Hex.IsHex(authorization, 65)) return false;
        var bytes = Hex.Decode(authorization);
        if (bytes[64] is not (27 or 28)) return false;
        try
        {
            var signer = PersonalMessage.Recover(challenge, Signature.FromBytes(bytes));
            return string.Equals(signer.ToLowerHex(), expectedLowerHex, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static EthAddress? TryParseAddress(string text) => EthAddress.TryParse(text, out var address) ? address : null;

    private static string RouteValue(Request request, string key) => request.Context.Request.RouteValues[key] as string ?? string.Empty;

    private static string? Query(Request request, string key) =>
        request.Context.Request.Query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || HttpMethods.IsHead(request.Method) || HttpMethods.IsGet(request.Method)) return [];
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var body = buffer.ToArray();
        // The stream's internal buffer held the value too.
        CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        return body;
    }

    // Spring answers a missing @RequestHeader with 400 and its own error body.
    private static Answer MissingAuthorization() => Error(StatusCodes.Status400BadRequest, "Required header 'Authorization' is not present.");

    private static Answer NoContent() => new(StatusCodes.Status204NoContent);

    private static Answer Empty(int status) => new(status);

    private static Answer Error(int status, string message) =>
        new(status, Json: JsonSerializer.Serialize(new { error = new[] { message } }));

    private sealed record Answer(int Status, string? Json = null, string? Text = null);

    private sealed record Request(HttpContext Context, byte[] Body, CancellationToken Aborted)
    {
        public string? Authorization => Context.Request.Headers.Authorization.Count > 0 ? Context.Request.Headers.Authorization[0] : null;
    }

    private sealed record Fault(DevSmsFaultKind Kind, bool AfterWrite);

    /// <summary>Draws faults from one seeded generator; the lock keeps the sequence deterministic per arrival order.</summary>
    private sealed class FaultInjector(DevSmsFaults faults)
    {
        private readonly Random _random = new(faults.Seed);
        private readonly Lock _gate = new();

        public Fault? Next(bool isWrite)
        {
            if (!isWrite && !faults.IncludeReads) return null;
            lock (_gate)
            {
                if (_random.NextDouble() >= faults.Rate || faults.Kinds.Count == 0) return null;
                var kind = faults.Kinds[_random.Next(faults.Kinds.Count)];
                var afterWrite = isWrite && _random.NextDouble() < faults.AfterWriteShare;
                return new Fault(kind, afterWrite);
            }
        }
    }
}
