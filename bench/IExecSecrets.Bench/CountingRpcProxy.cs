using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IExecSecrets.Bench;

/// <summary>
/// A JSON-RPC pass-through on 127.0.0.1 (Kestrel, a free port) in front of the devnet's anvil: every POST body goes
/// to the node unchanged and its answer comes back unchanged. It counts HTTP requests and the JSON-RPC calls they
/// carry (a batch counts as its entries, per method too), so a client's RPC traffic can be measured from outside
/// without touching the client. <see cref="Reset"/> starts a new measurement.
/// </summary>
internal sealed class CountingRpcProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<string, int> _methods = new(StringComparer.Ordinal);
    private int _httpRequests;
    private int _calls;

    private CountingRpcProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    /// <summary>The proxy's own URL, to put in chain.json's <c>host</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>HTTP requests received since the last <see cref="Reset"/>.</summary>
    public int HttpRequests => Volatile.Read(ref _httpRequests);

    /// <summary>JSON-RPC calls received since the last <see cref="Reset"/>; each entry of a batch is one call.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls per JSON-RPC method since the last <see cref="Reset"/>, most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Methods =>
        _methods.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToArray();

    /// <summary>Starts forwarding to <paramref name="node"/> on a free loopback port.</summary>
    public static async Task<CountingRpcProxy> StartAsync(Uri node)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        // One pooled connection set to the node, like any long-lived client; no proxy settings from the environment.
        var upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = node,
        };
        var proxy = new CountingRpcProxy(app, upstream);
        app.MapPost("/{**path}", proxy.ForwardAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return proxy;
    }

    /// <summary>Zeroes the counters.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _httpRequests, 0);
        Interlocked.Exchange(ref _calls, 0);
        _methods.Clear();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        Interlocked.Increment(ref _httpRequests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        Count(body);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        using var forward = new HttpRequestMessage(HttpMethod.Post, "") { Content = new ByteArrayContent(body) };
        forward.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var answer = await _upstream.SendAsync(forward, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
        var payload = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentLength = payload.Length;
        await context.Response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
        if (Trace) Console.Error.WriteLine($"rpc {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:F2} ms {Describe(body)}");
    }

    // IEXEC_BENCH_TRACE=1 prints each request (method, callee, selector) and its round trip through the node, to see
    // where a run's time and calls go.
    private static readonly bool Trace = Environment.GetEnvironmentVariable("IEXEC_BENCH_TRACE") == "1";

    private static string Describe(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var calls = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToArray() : [document.RootElement];
            return string.Join(" + ", calls.Select(call =>
            {
                var method = call.TryGetProperty("method", out var name) ? name.GetString() : "?";
                if (method == "eth_call" && call.TryGetProperty("params", out var p) && p.GetArrayLength() > 0)
                {
                    var first = p[0];
                    var to = first.TryGetProperty("to", out var t) ? t.GetString() : "?";
                    var data = first.TryGetProperty("data", out var d) ? d.GetString() : first.TryGetProperty("input", out var i) ? i.GetString() : "";
                    return $"eth_call {to?[..8]} {data?[..Math.Min(10, data.Length)]}";
                }
                return method;
            }));
        }
        catch (JsonException) { return "(not json)"; }
    }

    private void Count(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var calls = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().ToArray()
                : [document.RootElement];
            Interlocked.Add(ref _calls, calls.Length);
            foreach (var call in calls)
            {
                var method = call.TryGetProperty("method", out var name) ? name.GetString() ?? "?" : "?";
                _methods.AddOrUpdate(method, 1, (_, count) => count + 1);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the node will answer it with an error; it still was one call on the wire.
            Interlocked.Increment(ref _calls);
            _methods.AddOrUpdate("(not json)", 1, (_, count) => count + 1);
        }
    }

    /// <summary>Stops listening and closes the connections to the node.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
    }
}
