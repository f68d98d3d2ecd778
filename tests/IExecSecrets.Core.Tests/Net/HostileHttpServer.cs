using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace IExecSecrets.Core.Tests.Net;

// A real HTTP server on a loopback port that answers each path with a scripted response (status, headers, body bytes
// or a body written in chunks without Content-Length) and counts the requests per path: the hostile double of RPC
// nodes, markets and result gateways that redirect, flood or answer with something else.
internal sealed class HostileHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<HttpListenerContext, Task>> _routes = new(StringComparer.Ordinal);

    public HostileHttpServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public int HitsOn(string path) => Hits.TryGetValue(path, out var n) ? n : 0;

    public HostileHttpServer Bytes(string path, byte[] body, string contentType = "application/zip", int status = 200) =>
        Route(path, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
        });

    public HostileHttpServer Text(string path, string body, string contentType, int status = 200) =>
        Bytes(path, System.Text.Encoding.UTF8.GetBytes(body), contentType, status);

    // Sends `total` bytes of `fill` in chunks, without announcing a length: only counting what arrives can stop it.
    public HostileHttpServer Flood(string path, long total, byte fill = (byte)' ', string contentType = "application/json") =>
        Route(path, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = contentType;
            context.Response.SendChunked = true;
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, fill);
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                await context.Response.OutputStream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)));
            }
        });

    // Announces a huge Content-Length but sends little: a client that trusts the header refuses before reading.
    public HostileHttpServer Announce(string path, long length) =>
        Route(path, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/zip";
            context.Response.ContentLength64 = length;
            await context.Response.OutputStream.WriteAsync(new byte[] { (byte)'P', (byte)'K' });
            context.Response.Abort();
        });

    public HostileHttpServer Redirect(string path, string location, int status = 302) =>
        Route(path, context =>
        {
            context.Response.StatusCode = status;
            context.Response.RedirectLocation = location;
            return Task.CompletedTask;
        });

    public HostileHttpServer Route(string path, Func<HttpListenerContext, Task> answer)
    {
        _routes[path] = answer;
        return this;
    }

    public void Dispose() => _listener.Close();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath;
                Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
                try
                {
                    if (_routes.TryGetValue(path, out var answer)) await answer(context);
                    else context.Response.StatusCode = 404;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
                {
                    // The client hung up on a flood: that is what the test wants.
                }
            });
        }
    }
}
