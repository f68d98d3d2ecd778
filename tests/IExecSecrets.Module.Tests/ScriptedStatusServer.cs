using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IExecSecrets.Module.Tests;

/// <summary>
/// A loopback HTTP server that answers every request with one fixed status (and, like iexec-sms, a JSON error body),
/// for SMS statuses the dev SMS never returns for valid input (400, 413). It counts requests and echoes nothing back.
/// </summary>
internal sealed class ScriptedStatusServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _status;
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public ScriptedStatusServer(int status)
    {
        _status = status;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int RequestCount => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[65536];
            var received = new StringBuilder();
            int headerEnd;
            while ((headerEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            var headers = received.ToString(0, headerEnd);
            var length = headers.Split("\r\n").Select(line => line.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
            var bodyRead = received.Length - headerEnd - 4;
            while (bodyRead < length)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                bodyRead += read;
            }

            Interlocked.Increment(ref _requests);
            var isHead = headers.StartsWith("HEAD ", StringComparison.Ordinal);
            var body = isHead ? Array.Empty<byte>() : Encoding.UTF8.GetBytes("{\"error\":[\"scripted failure\"]}");
            var response = $"HTTP/1.1 {_status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {(isHead ? 0 : body.Length)}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.WriteAsync(body);
        }
    }
}
