using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IExecSecrets.DevNet;

/// <summary>
/// The one way the devnet's HTTP services (SMS, market, IPFS gateway) are hosted: a slim Kestrel app bound to
/// 127.0.0.1 only, without logging (requests may carry secret values), quick to shut down.
/// </summary>
public static class LoopbackWebHost
{
    /// <summary>A builder for an app listening on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static WebApplication Build(int port, long maxRequestBodyBytes)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
        });
        return builder.Build();
    }

    /// <summary>
    /// Starts <paramref name="app"/> (disposing it if that fails) and returns the bound base URL without a trailing
    /// slash, e.g. <c>http://127.0.0.1:41235</c>.
    /// </summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.TrimEnd('/'));
    }
}
