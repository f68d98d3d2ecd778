using System.Collections.Concurrent;
using System.Text;
using IExecSecrets.DevNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>One request as <see cref="ScriptedHttpServer"/> received it.</summary>
public sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, string ConnectionId)
{
    /// <summary>The path of <see cref="Target"/>, without the query.</summary>
    public string Path => Target.Split('?')[0];

    /// <summary>A header's value (several joined by a comma), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A scriptable HTTP server on 127.0.0.1 (Kestrel through <see cref="LoopbackWebHost"/>): the double of any remote
/// party that speaks plain HTTP — an SMS answering a status it never gives for valid input, a Compass or workerpool
/// API, an IPFS gateway or result proxy that redirects, floods or lies about its length, a registry, a market that
/// fails. A path can have its own answer (<see cref="Route"/>, <see cref="Bytes"/>, <see cref="Flood"/>,
/// <see cref="Announce"/>, <see cref="Redirect"/>); every other request gets the next scripted <see cref="Answer"/>
/// (the last one repeats; 404 when none was scripted). Extra headers go out as given: a 3xx with a <c>Location</c> to a
/// live, counting target is what a redirect attack needs. Every request and connection is recorded, so a test can
/// prove what was (not) sent.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedAnswer> _answers = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);
    private ScriptedAnswer _last = new(404, "text/plain", "not scripted", []);

    /// <summary>Starts listening on a free loopback port.</summary>
    public ScriptedHttpServer()
    {
        _app = LoopbackWebHost.Build(0, 16 * 1024 * 1024);
        _app.Run(HandleAsync);
        Url = LoopbackWebHost.StartAsync(_app, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The base URL (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Url { get; }

    /// <summary>The base URL as a user types it, without the trailing slash.</summary>
    public string Address => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>The port listened on.</summary>
    public int Port => Url.Port;

    /// <summary>Every request line, <c>GET /path?query</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every request in full (method, target, headers, body), in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Received { get; } = new();

    /// <summary>Each request's <c>Accept</c> header ("" when absent).</summary>
    public ConcurrentQueue<string> AcceptHeaders { get; } = new();

    /// <summary>Each request's <c>Authorization</c> header ("" when absent).</summary>
    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>Requests per path.</summary>
    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Answers a request from what it is (its method, path, headers, body) before routes and the queue: return null to
    /// leave it to them.
    /// </summary>
    public Func<RecordedRequest, (int Status, string Body)?>? Reply { get; set; }

    /// <summary>How many connections carried at least one request.</summary>
    public int Connections => _connections.Count;

    /// <summary>How many requests arrived.</summary>
    public int RequestCount => Requests.Count;

    /// <summary>How many requests arrived for <paramref name="path"/>.</summary>
    public int HitsOn(string path) => Hits.TryGetValue(path, out var n) ? n : 0;

    /// <summary>Queues an answer for the next unrouted request; the last one repeats.</summary>
    public ScriptedHttpServer Answer(int status, string body, string contentType = "application/json; charset=utf-8", params (string Name, string Value)[] headers)
    {
        _answers.Enqueue(new ScriptedAnswer(status, contentType, body, headers));
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with <paramref name="answer"/>, which writes the whole response.</summary>
    public ScriptedHttpServer Route(string path, Func<HttpContext, Task> answer)
    {
        _routes[path] = answer;
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with these bytes and an honest Content-Length.</summary>
    public ScriptedHttpServer Bytes(string path, byte[] body, string contentType = "application/zip", int status = 200) =>
        Route(path, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });

    /// <summary>Answers <paramref name="path"/> with this text.</summary>
    public ScriptedHttpServer Text(string path, string body, string contentType, int status = 200) =>
        Bytes(path, Encoding.UTF8.GetBytes(body), contentType, status);

    /// <summary>Sends <paramref name="total"/> bytes of <paramref name="fill"/> in chunks, without announcing a length: only counting what arrives can stop it.</summary>
    public ScriptedHttpServer Flood(string path, long total, byte fill = (byte)' ', string contentType = "application/json") =>
        Route(path, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = contentType;
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, fill);
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)), context.RequestAborted);
            }
        });

    /// <summary>
    /// Announces a huge Content-Length but sends two bytes, then waits for the client to hang up (at most 30 s, then it
    /// hangs up itself): a client that trusts the header refuses before reading.
    /// </summary>
    public ScriptedHttpServer Announce(string path, long length) =>
        Route(path, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/zip";
            context.Response.ContentLength = length;
            await context.Response.Body.WriteAsync("PK"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Hanging up at once could reset the connection before the client has read the headers.
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            finally
            {
                context.Abort();
            }
        });

    /// <summary>Redirects <paramref name="path"/> to <paramref name="location"/> (point it at a live, counting server).</summary>
    public ScriptedHttpServer Redirect(string path, string location, int status = 302) =>
        Route(path, context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = $"{request.Path}{request.QueryString}";
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _connections.TryAdd(context.Connection.Id, 0);
        var recorded = new RecordedRequest(request.Method, target, headers, body.ToArray(), context.Connection.Id);
        Received.Enqueue(recorded);
        Requests.Enqueue($"{request.Method} {target}");
        AcceptHeaders.Enqueue(request.Headers.Accept.ToString());
        AuthorizationHeaders.Enqueue(request.Headers.Authorization.ToString());
        Hits.AddOrUpdate(request.Path.Value ?? "/", 1, (_, n) => n + 1);
        try
        {
            if (Reply?.Invoke(recorded) is { } reply)
            {
                context.Response.StatusCode = reply.Status;
                if (reply.Body.Length > 0) await context.Response.WriteAsync(reply.Body, context.RequestAborted);
                return;
            }

            if (_routes.TryGetValue(request.Path.Value ?? "/", out var route))
            {
                await route(context);
                return;
            }

            if (_answers.TryDequeue(out var answer)) _last = answer;
            else answer = _last;
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) context.Response.Headers.Append(name, value);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client hung up (on a flood, a lie about the length): that is what the test wants.
        }
    }

    private sealed record ScriptedAnswer(int Status, string ContentType, string Body, (string Name, string Value)[] Headers);
}
