using System.Net;
using System.Net.Sockets;

namespace IExecSecrets.Module.Tests.Run;

// A loopback HTTP endpoint that answers 503 to everything and counts what reaches it; chain.json points the RPC
// host, the SMS, the market and the IPFS gateway at it, so a test can prove that bad input never left the process.
internal sealed class CountingHttpEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _count;

    public CountingHttpEndpoint()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        Port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int RequestCount => Volatile.Read(ref _count);

    // A project folder whose chain.json sends every service of chain "counted" (id 134) to this endpoint.
    public string CreateProject()
    {
        var folder = Directory.CreateTempSubdirectory("iexec-run-cmdlets-").FullName;
        File.WriteAllText(Path.Combine(folder, "chain.json"), """
            {"default":"counted","chains":{"counted":{"id":"134","host":"URL","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f",
             "sms":{"scone":"URL","gramine":"URL","tdx":"URL"},"iexecGateway":"URL","ipfsGateway":"URL"}}}
            """.Replace("URL", Url, StringComparison.Ordinal));
        return folder;
    }

    public void Dispose() => _listener.Close();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            try
            {
                var context = await _listener.GetContextAsync();
                Interlocked.Increment(ref _count);
                context.Response.StatusCode = 503;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }
}
