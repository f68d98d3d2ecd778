using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IExecSecrets.Interop.Tests.Run;

// A JSON-RPC proxy on a loopback port in front of anvil, for code that opens its own RPC client from chain.json (the
// cmdlets): it forwards every POST and records the bodies, so a test can count eth_sendRawTransaction, and can
// rewrite answers to play a lying node.
internal sealed class CountingRpcProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new();
    private readonly Uri _target;

    public CountingRpcProxy(Uri target)
    {
        _target = target;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>Changes an answer before it is returned: (request body, answer body) → answer body.</summary>
    public Func<string, string, string>? Rewrite { get; init; }

    public int Count(string method) => Bodies.Count(b => b.Contains($"\"method\":\"{method}\"", StringComparison.Ordinal));

    public void Dispose()
    {
        _listener.Close();
        _upstream.Dispose();
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
            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Bodies.Enqueue(body);
            using var answer = await _upstream.PostAsync(_target, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await answer.Content.ReadAsStringAsync();
            if (Rewrite is not null) text = Rewrite(body, text);
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or HttpRequestException or IOException)
        {
            // The test ended or the client went away.
        }
    }
}
