namespace IExecSecrets.Interop.Tests.DevNet;

// Runs its own anvil nodes and a private cache folder, so it neither uses nor disturbs the shared devnet.
public sealed class StateCacheTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "iexec-devnet-cache-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task FreshDeploymentIsCachedAndTheCacheStartsAnEquivalentChain()
    {
        var layout = RepositoryLayout.Locate() with { CacheDirectory = _cache };
        var deployer = new PoCoDeployer(layout);

        PoCoDeployment fresh;
        await using (var first = await AnvilProcess.StartAsync(layout.AnvilPath))
        {
            using var rpc = first.CreateClient();
            fresh = await deployer.DeployOrLoadAsync(rpc, DevNetMode.Native);
        }
        Assert.False(fresh.FromCache);
        Assert.Single(Directory.GetFiles(_cache, "*.json"));

        var started = Stopwatch.StartNew();
        await using var second = await AnvilProcess.StartAsync(layout.AnvilPath);
        using var rpc2 = second.CreateClient();
        var cached = await deployer.DeployOrLoadAsync(rpc2, DevNetMode.Native);
        started.Stop();
        output.WriteLine($"fresh deployment {fresh.Duration.TotalMilliseconds:0} ms; cached start incl. anvil {started.ElapsedMilliseconds} ms (load {cached.Duration.TotalMilliseconds:0} ms)");

        Assert.True(cached.FromCache);
        Assert.Equal(fresh with { FromCache = true, Duration = TimeSpan.Zero }, cached with { Duration = TimeSpan.Zero });
        var hub = new PoCoHub(rpc2, cached.Hub);
        Assert.Equal(cached.AppRegistry, await hub.AppRegistryAsync());
        Assert.Equal(5, (int)await hub.CountCategoryAsync());
        Assert.Equal(DevNetAccount.All[2].Address, await AppContract.TryReadOwnerAsync(rpc2, cached.Workerpool));
    }

    [Fact]
    public async Task ACorruptCacheFallsBackToAFreshDeployment()
    {
        var layout = RepositoryLayout.Locate() with { CacheDirectory = _cache };
        var deployer = new PoCoDeployer(layout);
        await using var anvil = await AnvilProcess.StartAsync(layout.AnvilPath);
        using var rpc = anvil.CreateClient();
        Directory.CreateDirectory(_cache);
        var client = (await rpc.CallAsync("web3_clientVersion")).GetString()!;
        var safe = new string(client.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray());
        await File.WriteAllTextAsync(Path.Combine(_cache, $"poco-{deployer.PoCoVersion}-native-{safe}-s1.json"), "{\"state\":\"0xdeadbeef\"}");

        var deployment = await deployer.DeployOrLoadAsync(rpc, DevNetMode.Native);

        Assert.False(deployment.FromCache);
        Assert.Equal(deployment.AppRegistry, await new PoCoHub(rpc, deployment.Hub).AppRegistryAsync());
    }

    [Fact]
    public async Task DisposingAnvilLeavesNoProcess()
    {
        var layout = RepositoryLayout.Locate();
        var anvil = await AnvilProcess.StartAsync(layout.AnvilPath);
        var pid = anvil.ProcessId;
        Assert.True(anvil.IsRunning);
        await anvil.DisposeAsync();
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }
}
