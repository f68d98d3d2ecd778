using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>One request as <see cref="RawHttpServer"/> read it: method, target (path and query), headers and body.</summary>
public sealed record RawHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The path of <see cref="Target"/>, without the query.</summary>
    public string Path => Target.Split('?')[0];

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A hostile HTTP/1.1 server on 127.0.0.1 that writes its answers byte for byte, for what a well-behaved server
/// framework refuses to send: a reason phrase or header holding terminal escape sequences, a <c>Location</c> to
/// anywhere. It stands in for any remote party (SMS, market, Compass, workerpool API, gateway). Every request is
/// recorded and every connection counted; each answer comes from <see cref="Respond"/> (default: 404), one connection
/// per request.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    /// <summary>Starts listening on a free port of <paramref name="address"/> (default 127.0.0.1).</summary>
    public RawHttpServer(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        Address = address ?? IPAddress.Loopback;
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(LoopAsync);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The address listened on.</summary>
    public IPAddress Address { get; }

    /// <summary>The server's base URL, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Url => new($"http://{Address}:{Port}/");

    /// <summary>How many TCP connections were accepted (a request or not): proof that nothing reached this host.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<RawHttpRequest> Requests { get; } = new();

    /// <summary>Builds the whole answer (status line, headers, body) for a request; see <see cref="Answer"/>.</summary>
    public Func<RawHttpRequest, byte[]> Respond { get; set; } = _ => Answer(404, "Not Found", "", "text/plain");

    /// <summary>
    /// An answer with the given status and reason phrase (written as given, control characters included), extra
    /// headers, and body with its content type.
    /// </summary>
    public static byte[] Answer(int status, string reasonPhrase, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reasonPhrase).Append("\r\n");
        head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        head.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. bodyBytes];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream).ConfigureAwait(false);
                if (request is null) return;
                Requests.Enqueue(request);
                var answer = Respond(request);
                await stream.WriteAsync(answer).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client went away: nothing to record.
            }
        }
    }

    private static async Task<RawHttpRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n') break;
        }

        var lines = Encoding.Latin1.GetString(buffer.ToArray()).Split("\r\n");
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Contains(':')))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var length) && int.TryParse(length, out var count) && count > 0)
        {
            body = new byte[count];
            await stream.ReadExactlyAsync(body).ConfigureAwait(false);
        }

        return new RawHttpRequest(first[0], first.Length > 1 ? first[1] : "/", headers, body);
    }
}
