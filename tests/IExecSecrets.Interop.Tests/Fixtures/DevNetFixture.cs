namespace IExecSecrets.Interop.Tests.Fixtures;

/// <summary>
/// One running devnet (anvil + PoCo + dev SMS) per test run, in a temporary directory, for every test class in the
/// "devnet" collection: mark a class <c>[Collection(DevNetCollection.Name)]</c> and take <see cref="DevNetFixture"/>
/// in its constructor. The PoCo state cache makes the start take well under a second after the first run.
/// Tests share the chain, so they must not depend on a pristine state (use unique app names, fresh accounts' nonces
/// are handled by the sender).
/// </summary>
public sealed class DevNetFixture : IAsyncLifetime
{
    private DevNetEnvironment? _environment;

    /// <summary>The running environment.</summary>
    public DevNetEnvironment Environment => _environment ?? throw new InvalidOperationException("The devnet is not started.");

    /// <summary>The temporary directory holding chain.json and devnet.json.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "iexec-devnet-" + Guid.NewGuid().ToString("N")[..12]);

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _environment = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Directory });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null) await _environment.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>The xunit collection that shares one <see cref="DevNetFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DevNetCollection : ICollectionFixture<DevNetFixture>
{
    /// <summary>The collection name, "devnet".</summary>
    public const string Name = "devnet";
}
