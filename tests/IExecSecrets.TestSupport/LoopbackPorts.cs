using System.Net;
using System.Net.Sockets;

namespace IExecSecrets.TestSupport;

/// <summary>Loopback ports for tests that need a connection to be refused.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago and has nothing listening on it.</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
