using IExecSecrets.Core.Crypto;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.TestSupport;

/// <summary>
/// The dev SMS (real HTTP, SQLite) on an ephemeral loopback port with its database in a fresh temporary folder, removed
/// on dispose. Its <see cref="DevSmsFaults"/> make it the scriptable SMS double: 5xx, delays, redirects to a counting
/// target, proxy pages, held requests.
/// </summary>
public sealed class DevSmsHost : IAsyncDisposable
{
    private DevSmsHost(DevSmsServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    /// <summary>The server, for its stored secrets, recorded requests and fault counts.</summary>
    public DevSmsServer Server { get; }

    /// <summary>The temporary folder holding the database.</summary>
    public string Directory { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Directory, "sms.db");

    /// <summary>The base URL as a user types it: <c>http://127.0.0.1:port</c>, no trailing slash.</summary>
    public string Url => Server.Url.ToString().TrimEnd('/');

    /// <summary>The base URL as a <see cref="System.Uri"/>.</summary>
    public Uri Uri => Server.Url;

    /// <summary>
    /// Starts the SMS. <paramref name="owners"/> stands in for the chain's <c>owner()</c> of apps and datasets (none
    /// owned when absent).
    /// </summary>
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
            ResolveOwnerAsync = (address, _) => Task.FromResult(owners is not null && owners.TryGetValue(address, out var owner) ? owner : (EthAddress?)null),
        });
        return new DevSmsHost(server, directory);
    }

    /// <summary>Starts the SMS with every app or dataset address owned by <paramref name="owner"/>.</summary>
    public static async Task<DevSmsHost> StartAsync(DevSmsFaults? faults, EthAddress owner)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("devsms-").FullName;
        var server = await DevSmsServer.StartAsync(new DevSmsOptions
        {
            DatabasePath = Path.Combine(directory, "sms.db"),
            Faults = faults,
            ResolveOwnerAsync = (_, _) => Task.FromResult<EthAddress?>(owner),
        });
        return new DevSmsHost(server, directory);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly on a slow machine; a leftover temp folder is harmless.
        }
    }
}
