using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Module.Tests;

/// <summary>Starts the dev SMS (real HTTP, SQLite) on a loopback port in its own temp folder.</summary>
internal sealed class DevSms : IAsyncDisposable
{
    private DevSms(DevSmsServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    public DevSmsServer Server { get; }

    public string Directory { get; }

    public string Url => Server.Url.ToString().TrimEnd('/');

    /// <summary>Starts the SMS; with <paramref name="owner"/>, every app or dataset address is owned by it on "chain".</summary>
    public static async Task<DevSms> StartAsync(DevSmsFaults? faults = null, IExecSecrets.Core.Crypto.EthAddress? owner = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "iexec-module-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var server = await DevSmsServer.StartAsync(new DevSmsOptions
        {
            DatabasePath = Path.Combine(directory, "sms.db"),
            Faults = faults,
            ResolveOwnerAsync = owner is null ? null : (_, _) => Task.FromResult(owner),
        });
        return new DevSms(server, directory);
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
            // SQLite may still hold the file briefly on a slow machine; the temp folder is cleaned by the OS.
        }
    }
}
