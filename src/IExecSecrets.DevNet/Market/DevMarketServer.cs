using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;
using IExecSecrets.DevNet.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IExecSecrets.DevNet.Market;

/// <summary>
/// The subset of iexec-market-api the iexec CLI and the module use, over an in-memory orderbook:
/// <list type="bullet">
/// <item><c>GET /apporders</c>, <c>/datasetorders</c>, <c>/workerpoolorders</c>, <c>/requestorders</c> with the
/// market's query parameters (see <see cref="MarketQuery"/>), answering
/// <c>{ok,count,nextPage?,orders:[{orderHash,order,chainId,remaining,status,publicationTimestamp,signer}]}</c>: only
/// open orders (remaining = volume − <c>viewConsumed</c> read on chain at query time, above 0), sorted by price
/// (ascending; request orders by workerpoolmaxprice descending), then publication time, then order hash; numbers are
/// JSON numbers; <c>nextPage</c> (the offset of the next page) only when more orders follow;</item>
/// <item><c>GET /&lt;kind&gt;s/&lt;orderHash&gt;</c>: one order with <c>ok</c>, 404 <c>{ok:false}</c> when unknown;</item>
/// <item><c>GET /challenge?chainId=&amp;address=</c>: iexec-market-api's login challenge, <c>{ok,data}</c> with data the
/// EIP-712 typed data <c>{types:{EIP712Domain:[name,version,chainId],Challenge:[challenge string]},
/// domain:{name:"iExec Gateway",version:"1",chainId:"134"},primaryType:"Challenge",message:{challenge:"Sign this
/// message to log into iExec Gateway: …"}}</c>; the same challenge is answered for an address until it is used;</item>
/// <item>every write (<c>POST</c> publish, <c>PUT</c> unpublish) first checks the <c>authorization</c> header
/// <c>hash_signature_address</c> like the market's <c>checkAuthorization</c>: the hash must be the one stored for
/// that address, the signature over it must recover to that address, and the challenge is then deleted (one use).
/// Any failure is 403 <c>{ok:false,error:"invalid authorization"}</c> and nothing is written;</item>
/// <item><c>POST /&lt;kind&gt;s</c> with <c>{"order":{…}}</c> (chainId in the query or the body): the EIP-712 hash is
/// computed with the hub's <c>domain()</c>, the <c>owner()</c> of the app, dataset or workerpool read on chain (the
/// requester itself for request orders) must be the authorized address (else 403 <c>only order signer … can publish
/// an order</c>), the signature must recover to it, a duplicate and a consumed order are refused; answers
/// <c>{ok:true,published:{…}}</c>;</item>
/// <item><c>PUT /&lt;kind&gt;s</c> with <c>{target,orderHash}</c> or <c>{target,&lt;resource&gt;}</c> (targets
/// <c>unpublish_orderHash</c> (default), <c>unpublish_last</c>, <c>unpublish_all</c>): cancels open orders signed by the
/// authorized address; answers <c>{ok:true,unpublished:[orderHash…]}</c>;</item>
/// <item><c>GET /tasks/&lt;taskid&gt;</c>: the devnet worker's report (<see cref="DevMarketOptions.TaskReports"/>).</item>
/// </list>
/// Refusals are 400 <c>{ok:false,error:"…"}</c>. Listens on 127.0.0.1 only.
/// </summary>
public sealed partial class DevMarketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DevMarketOptions _options;
    private readonly PoCoHub _hub;
    private readonly byte[] _domainSeparator;
    private readonly List<MarketOrder> _orders = [];
    private readonly Dictionary<EthAddress, (string Value, string Hash)> _challenges = [];
    private readonly Lock _lock = new();
    private int _writeRequests;
    private int _refusedAuthorizations;

    private DevMarketServer(WebApplication app, DevMarketOptions options, PoCoHub hub, byte[] domainSeparator)
    {
        _app = app;
        _options = options;
        _hub = hub;
        _domainSeparator = domainSeparator;
        Url = null!;
    }

    /// <summary>The market base URL (the chain's <c>iexecGateway</c>), e.g. <c>http://127.0.0.1:41236</c> (no trailing slash).</summary>
    public Uri Url { get; private set; }

    /// <summary>How many writes (publish or unpublish) were attempted over HTTP, accepted or not.</summary>
    public int WriteRequestCount => Volatile.Read(ref _writeRequests);

    /// <summary>How many writes were refused because their authorization failed.</summary>
    public int RefusedAuthorizationCount => Volatile.Read(ref _refusedAuthorizations);

    /// <summary>How many orders have been published (open or not).</summary>
    public int PublishedCount
    {
        get
        {
            lock (_lock) return _orders.Count;
        }
    }

    /// <summary>Reads the hub's EIP-712 domain and starts the market on 127.0.0.1.</summary>
    public static async Task<DevMarketServer> StartAsync(DevMarketOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hub = new PoCoHub(options.Rpc, options.Hub);
        var domain = await hub.DomainAsync(cancellationToken).ConfigureAwait(false);
        var separator = TypedDataHasher.DomainSeparator(domain.Name, domain.Version, domain.ChainId, domain.VerifyingContract);

        var app = LoopbackWebHost.Build(options.Port, 1 << 20);
        var server = new DevMarketServer(app, options, hub, separator);
        foreach (var kind in MarketOrderKind.All)
        {
            app.MapGet("/" + kind.Route, server.Handler((context, token) => server.ListAsync(kind, context.Request.Query, token)));
            app.MapGet("/" + kind.Route + "/{orderHash}", server.Handler((context, token) => server.GetOneAsync(kind, (string)context.Request.RouteValues["orderHash"]!, token)));
            app.MapPost("/" + kind.Route, server.Handler((context, token) => server.PublishFromRequestAsync(kind, context.Request, token)));
            app.MapPut("/" + kind.Route, server.Handler((context, token) => server.UnpublishFromRequestAsync(kind, context.Request, token)));
        }
        app.MapGet("/challenge", server.Handler((context, _) => Task.FromResult(server.Challenge(context.Request.Query))));
        app.MapGet("/tasks/{taskId}", server.Handler((context, _) => Task.FromResult(server.TaskReport((string)context.Request.RouteValues["taskId"]!))));
        server.Url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Publishes a signed app order through the same checks as <c>POST /apporders</c>; returns its order hash.</summary>
    public Task<string> PublishAsync(AppOrder order, CancellationToken cancellationToken = default) =>
        PublishTupleAsync(MarketOrderKind.App, order.ToMatchOrdersTuple(), cancellationToken);

    /// <summary>Publishes a signed workerpool order through the same checks as <c>POST /workerpoolorders</c>; returns its order hash.</summary>
    public Task<string> PublishAsync(WorkerpoolOrder order, CancellationToken cancellationToken = default) =>
        PublishTupleAsync(MarketOrderKind.Workerpool, order.ToMatchOrdersTuple(), cancellationToken);

    /// <summary>Stops listening; the orderbook is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<string> PublishTupleAsync(MarketOrderKind kind, object?[] tuple, CancellationToken cancellationToken)
    {
        var json = new JsonObject();
        for (var i = 0; i < kind.Type.Fields.Count; i++)
        {
            json[kind.Type.Fields[i].Name] = tuple[i] switch
            {
                EthAddress address => address.ToString(),
                BigInteger number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                byte[] bytes => Hex.Encode(bytes),
                var other => JsonValue.Create(other?.ToString()),
            };
        }
        json["sign"] = Hex.Encode((byte[])tuple[^1]!);
        try
        {
            return (await PublishAsync(kind, json, cancellationToken).ConfigureAwait(false)).OrderHash;
        }
        catch (MarketRequestException refused)
        {
            throw new InvalidOperationException($"The market refused the {kind.Name}: {refused.Message}", refused);
        }
    }

    private async Task<string> PublishFromRequestAsync(MarketOrderKind kind, HttpRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writeRequests);
        // As in the market, the authorization is checked (and the challenge spent) before the body is even read.
        var authorized = Authenticate(request);
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var chainText = request.Query.TryGetValue("chainId", out var fromQuery) && fromQuery.Count > 0 ? fromQuery[0]
            : body["chainId"]?.ToJsonString().Trim('"');
        if (chainText is null) throw new MarketRequestException("chainId is a required field");
        if (chainText != _options.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new MarketRequestException($"chainId {chainText} is not supported");
        if (body["order"] is not JsonObject order) throw new MarketRequestException("order is a required field");

        var published = await PublishAsync(kind, order, cancellationToken, authorized).ConfigureAwait(false);
        var remaining = await RemainingAsync(published, cancellationToken).ConfigureAwait(false);
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WritePropertyName("published");
            published.WriteTo(writer, _options.ChainId, remaining);
        });
    }

    private async Task<MarketOrder> PublishAsync(MarketOrderKind kind, JsonObject json, CancellationToken cancellationToken, EthAddress? authorized = null)
    {
        var (values, sign) = MarketOrder.Parse(kind, json);
        var hash = TypedDataHasher.Digest(_domainSeparator, TypedDataHasher.HashStruct(kind.Type, values));
        var hashHex = Hex.Encode(hash);

        var resource = (EthAddress)values[kind.IndexOf(kind.ResourceField)]!;
        var owner = kind.SignedByResourceItself ? resource
            : await AppContract.TryReadOwnerAsync(_options.Rpc, resource, cancellationToken).ConfigureAwait(false)
              ?? throw new MarketRequestException($"{kind.ResourceField} {resource} is not deployed");
        if (authorized is { } login && login != owner)
            throw new MarketRequestException($"only order signer {owner} can publish an order", StatusCodes.Status403Forbidden);
        EthAddress recovered;
        try
        {
            recovered = Secp256k1.RecoverAddress(hash, Signature.FromBytes(Hex.Decode(sign)));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Core.Errors.IExecException)
        {
            throw new MarketRequestException("invalid sign");
        }
        if (recovered != owner) throw new MarketRequestException("invalid sign");

        var order = new MarketOrder(kind, values, sign, hashHex, owner, DateTimeOffset.UtcNow);
        var remaining = await RemainingAsync(order, cancellationToken).ConfigureAwait(false);
        if (remaining <= 0) throw new MarketRequestException("order already consumed");
        lock (_lock)
        {
            if (_orders.Any(o => o.OrderHash == hashHex)) throw new MarketRequestException("order already published");
            _orders.Add(order);
        }
        return order;
    }

    private async Task<string> ListAsync(MarketOrderKind kind, IQueryCollection query, CancellationToken cancellationToken)
    {
        var parsed = MarketQuery.Parse(kind, query, _options.ChainId);
        MarketOrder[] candidates;
        lock (_lock) candidates = _orders.Where(o => o.Kind == kind && !o.Canceled && parsed.Matches(o)).ToArray();
        var open = new List<(MarketOrder Order, BigInteger Remaining)>();
        foreach (var candidate in candidates)
        {
            var remaining = await RemainingAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (remaining > 0 && (parsed.MinVolume is not { } minimum || remaining >= minimum)) open.Add((candidate, remaining));
        }
        var sorted = (kind.PriceDescending ? open.OrderByDescending(o => o.Order.Price) : open.OrderBy(o => o.Order.Price))
            .ThenBy(o => o.Order.PublicationTimestamp)
            .ThenBy(o => o.Order.OrderHash, StringComparer.Ordinal)
            .ToList();
        var page = sorted.Skip(parsed.Skip).Take(parsed.PageSize).ToList();
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteNumber("count", sorted.Count);
            if ((long)parsed.Skip + page.Count < sorted.Count) writer.WriteNumber("nextPage", (long)parsed.Skip + parsed.PageSize);
            writer.WriteStartArray("orders");
            foreach (var (order, remaining) in page) order.WriteTo(writer, _options.ChainId, remaining);
            writer.WriteEndArray();
        });
    }

    private async Task<string> GetOneAsync(MarketOrderKind kind, string orderHash, CancellationToken cancellationToken)
    {
        if (!Hex.IsHex(orderHash, 32)) throw new MarketRequestException("orderHash must be a bytes32 hex string");
        MarketOrder? order;
        lock (_lock) order = _orders.FirstOrDefault(o => o.Kind == kind && o.OrderHash == orderHash.ToLowerInvariant());
        if (order is null) throw new MarketRequestException($"{kind.Name} not found", StatusCodes.Status404NotFound);
        var remaining = await RemainingAsync(order, cancellationToken).ConfigureAwait(false);
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            order.WriteFieldsTo(writer, _options.ChainId, remaining);
        });
    }

    // A write's body: a JSON object, or the market's "invalid body" refusal.
    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw new MarketRequestException("invalid body: a JSON object is expected");
        }
        catch (JsonException)
        {
            throw new MarketRequestException("invalid body: a JSON object is expected");
        }
    }

    // PUT /<kind>s: the market's unpublishOrders for the three targets, limited to the authorized signer's open orders.
    private async Task<string> UnpublishFromRequestAsync(MarketOrderKind kind, HttpRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writeRequests);
        var signer = Authenticate(request);
        var chainText = request.Query.TryGetValue("chainId", out var fromQuery) && fromQuery.Count > 0 ? fromQuery[0] : null;
        if (chainText is null) throw new MarketRequestException("chainId is a required field");
        if (chainText != ChainText) throw new MarketRequestException($"chainId {chainText} is not supported");
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var target = body["target"] is JsonValue t && t.TryGetValue<string>(out var targetText) ? targetText : "unpublish_orderHash";
        var unpublished = new List<string>();
        lock (_lock)
        {
            switch (target)
            {
                case "unpublish_orderHash":
                {
                    var hash = body["orderHash"] is JsonValue h && h.TryGetValue<string>(out var hashText) && Hex.IsHex(hashText, 32) ? hashText.ToLowerInvariant()
                        : throw new MarketRequestException("orderHash must be a bytes32 hex string");
                    var order = _orders.FirstOrDefault(o => o.Kind == kind && o.OrderHash == hash && !o.Canceled)
                        ?? throw new MarketRequestException($"{kind.Name} with orderHash {hash} is not published", StatusCodes.Status403Forbidden);
                    if (order.Signer != signer)
                        throw new MarketRequestException($"only order signer {order.Signer} can unpublish an order", StatusCodes.Status403Forbidden);
                    order.Canceled = true;
                    unpublished.Add(order.OrderHash);
                    break;
                }
                case "unpublish_last":
                case "unpublish_all":
                {
                    var resource = body[kind.ResourceField] is JsonValue r && r.TryGetValue<string>(out var resourceText) && EthAddress.TryParse(resourceText, out var parsed)
                        ? parsed : throw new MarketRequestException($"{kind.ResourceField} is a required field");
                    var open = _orders.Where(o => o.Kind == kind && !o.Canceled && o.Signer == signer && o.Address(kind.ResourceField) == resource)
                        .OrderByDescending(o => o.PublicationTimestamp).ToList();
                    if (open.Count == 0)
                        throw new MarketRequestException($"no open {kind.Name} published by signer {signer} for {kind.ResourceField} {resource}", StatusCodes.Status403Forbidden);
                    foreach (var order in target == "unpublish_last" ? open.Take(1) : open)
                    {
                        order.Canceled = true;
                        unpublished.Add(order.OrderHash);
                    }
                    break;
                }
                default:
                    throw new MarketRequestException("target must be one of the following values: unpublish_orderHash, unpublish_last, unpublish_all");
            }
        }
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteStartArray("unpublished");
            foreach (var hash in unpublished) writer.WriteStringValue(hash);
            writer.WriteEndArray();
        });
    }

    private string ChainText => _options.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string TaskReport(string taskId)
    {
        var report = Hex.IsHex(taskId, 32) ? _options.TaskReports?.Invoke(taskId.ToLowerInvariant()) : null;
        if (report is null) throw new MarketRequestException("task not found", StatusCodes.Status404NotFound);
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WritePropertyName("task");
            JsonSerializer.Serialize(writer, report, WorkerTaskReport.JsonOptions);
        });
    }

    private async Task<BigInteger> RemainingAsync(MarketOrder order, CancellationToken cancellationToken) =>
        order.Number("volume") - await _hub.ViewConsumedAsync(Hex.Decode(order.OrderHash), cancellationToken).ConfigureAwait(false);

    private static string Write(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private RequestDelegate Handler(Func<HttpContext, CancellationToken, Task<string>> operation) => context => AnswerAsync(context, operation);

    private static async Task AnswerAsync(HttpContext context, Func<HttpContext, CancellationToken, Task<string>> operation)
    {
        string body;
        var status = StatusCodes.Status200OK;
        try
        {
            body = await operation(context, context.RequestAborted).ConfigureAwait(false);
        }
        catch (MarketRequestException refused)
        {
            status = refused.StatusCode;
            body = JsonSerializer.Serialize(new { ok = false, error = refused.Message });
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
