using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IExecSecrets.Core.Tests.Market;

// A real HTTP server on a loopback port that records each request line and answers from a script (the last answer
// repeats), standing in for market answers the devnet market cannot be made to give (5xx, non-JSON, {ok:false}).
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string ContentType, string Body, (string Name, string Value)[] Headers)> _answers = new();
    private (int Status, string ContentType, string Body, (string Name, string Value)[] Headers) _last = (200, "application/json", "{\"ok\":true}", []);

    public ScriptedHttpServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> AcceptHeaders { get; } = new();

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    // Extra headers go out as given: a 3xx with a Location to a live, counting target is what a redirect attack needs.
    public ScriptedHttpServer Answer(int status, string body, string contentType = "application/json; charset=utf-8", params (string Name, string Value)[] headers)
    {
        _answers.Enqueue((status, contentType, body, headers));
        return this;
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();

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
            Requests.Enqueue(context.Request.HttpMethod + " " + context.Request.RawUrl);
            AcceptHeaders.Enqueue(context.Request.Headers["Accept"] ?? "");
            AuthorizationHeaders.Enqueue(context.Request.Headers["Authorization"] ?? "");
            if (_answers.TryDequeue(out var answer)) _last = answer;
            else answer = _last;
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) context.Response.AddHeader(name, value);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
