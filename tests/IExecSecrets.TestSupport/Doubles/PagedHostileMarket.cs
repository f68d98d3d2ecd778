using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IExecSecrets.DevNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>
/// A lying market API on 127.0.0.1 whose order books are raw JSON entries served page by page, as iexec-market-api
/// pages them (<c>pageIndex</c>, <c>pageSize</c>, <c>nextPage</c> as an offset while entries follow): a test can put
/// anything in an entry (a 64-hex address, a negative or 2^256-sized volume, a fractional price, a string where an
/// object belongs) and an honest order after twenty bad ones. Every request is recorded; writes (POST/PUT) are
/// counted and answered as accepted, so a test can prove nothing was published.
/// </summary>
public sealed class PagedHostileMarket : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private int _writes;

    private PagedHostileMarket(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The market's base URL (<c>http://127.0.0.1:port</c>), for chain.json's <c>iexecGateway</c>.</summary>
    public Uri Url { get; }

    /// <summary>The app order book: each entry as the market answers it (<c>{orderHash, order, remaining, …}</c>, or anything).</summary>
    public List<JsonNode> AppOrders { get; } = [];

    /// <summary>The workerpool order book.</summary>
    public List<JsonNode> WorkerpoolOrders { get; } = [];

    /// <summary>The dataset order book.</summary>
    public List<JsonNode> DatasetOrders { get; } = [];

    /// <summary>Every request, <c>GET /apporders?…</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many POST or PUT requests arrived.</summary>
    public int WriteCount => Volatile.Read(ref _writes);

    /// <summary>Starts the market on a free loopback port.</summary>
    public static async Task<PagedHostileMarket> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebHost.Build(0, 1024 * 1024);
        PagedHostileMarket? market = null;
        app.Run(context => market!.HandleAsync(context));
        var url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        market = new PagedHostileMarket(app, url);
        return market;
    }

    /// <summary>An entry wrapping <paramref name="order"/> (any JSON) with an order hash, as the market lists orders.</summary>
    public static JsonObject Entry(JsonNode? order, string orderHash, long remaining = 1) => new()
    {
        ["orderHash"] = orderHash,
        ["order"] = order,
        ["chainId"] = 134,
        ["remaining"] = remaining,
        ["status"] = "open",
        ["publicationTimestamp"] = "2026-12-01T00:00:00.000Z",
    };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        context.Response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            Interlocked.Increment(ref _writes);
            await context.Response.WriteAsync("{\"ok\":true}").ConfigureAwait(false);
            return;
        }

        var path = request.Path.Value ?? "/";
        await context.Response.WriteAsync(OrderBookPage.Answer(request, path, AppOrders, WorkerpoolOrders, DatasetOrders)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
