using IExecSecrets.Core.Crypto;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>A <see cref="DevSmsServer"/> on an ephemeral port with its database in a fresh temporary folder, removed on dispose.</summary>
internal sealed class DevSmsHost : IAsyncDisposable
{
    private DevSmsHost(DevSmsServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    public DevSmsServer Server { get; }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "sms.db");

    public Uri Url => Server.Url;

    public static async Task<DevSmsHost> StartAsync(
        DevSmsFaults? faults = null,
        IReadOnlyDictionary<EthAddress, EthAddress>? owners = null,
        string? directory = null)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("devsms-").FullName;
        var server = await DevSmsServer.StartAsync(new DevSmsOptions
        {
            DatabasePath = Path.Combine(directory, "sms.db"),
            Faults = faults,
            // Stands in for the chain's owner() until the devnet fixture wires the real lookup.
            ResolveOwnerAsync = (address, _) => Task.FromResult(owners is not null && owners.TryGetValue(address, out var owner) ? owner : (EthAddress?)null),
        });
        return new DevSmsHost(server, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test over it would not be.
        }
    }
}
