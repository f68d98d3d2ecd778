using IExecSecrets.Core.Apps;
using IExecSecrets.DevNet.Worker;
using IExecSecrets.Interop.Tests.Run;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// A native (bellecour-like) devnet whose worker leaves the tasks it fails ACTIVE for their requester to claim, as a
/// real workerpool does, for the day-two tests (claims move its clock, so it is theirs alone).
/// </summary>
public sealed class DayTwoDevNetFixture : IAsyncLifetime
{
    private DevNetEnvironment? _environment;

    public DevNetEnvironment Environment => _environment ?? throw new InvalidOperationException("The day-two devnet is not started.");

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "iexec-daytwo-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync() =>
        _environment = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Directory, ClaimFailedTasks = false });

    public async Task DisposeAsync()
    {
        if (_environment is not null) await _environment.DisposeAsync();
        DayTwo.DeleteQuietly(Directory);
    }
}

/// <summary>The same in token mode (RLC token escrow, TDX SMS): today's network, for the 9.0.1 interop tests.</summary>
public sealed class DayTwoTokenDevNetFixture : IAsyncLifetime
{
    private DevNetEnvironment? _environment;

    public DevNetEnvironment Environment => _environment ?? throw new InvalidOperationException("The day-two token devnet is not started.");

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "iexec-daytwo-token-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync() =>
        _environment = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Directory, Mode = DevNetMode.Token, ClaimFailedTasks = false });

    public async Task DisposeAsync()
    {
        if (_environment is not null) await _environment.DisposeAsync();
        DayTwo.DeleteQuietly(Directory);
    }
}

[CollectionDefinition(Name)]
public sealed class DayTwoCollection : ICollectionFixture<DayTwoDevNetFixture>
{
    public const string Name = "daytwo";
}

[CollectionDefinition(Name)]
public sealed class DayTwoTokenCollection : ICollectionFixture<DayTwoTokenDevNetFixture>
{
    public const string Name = "daytwo-token";
}

/// <summary>What the day-two tests share: project folders, the CLIs as oracles, apps, orders and waits.</summary>
internal static class DayTwo
{
    /// <summary>The tutorial app's developer secret that makes it exit 1 ("… is not a number"): the worker fails the task.</summary>
    public const string BadCoefficients = "not;numbers;at;all";

    /// <summary>A project folder with the devnet's chain.json (the 9.x one for <paramref name="v9"/>).</summary>
    public static string Project(DevNetEnvironment net, bool v9 = false)
    {
        var folder = net.Project("iexec-daytwo-project-", v9);
        return folder;
    }

    /// <summary>A project folder for the CLI with <paramref name="account"/>'s unencrypted wallet.json.</summary>
    public static async Task<string> CliProjectAsync(DevNetEnvironment net, string privateKeyHex, bool v9 = false)
    {
        var folder = Project(net, v9);
        using var key = WalletKey.FromHex(privateKeyHex);
        await File.WriteAllTextAsync(Path.Combine(folder, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
        return folder;
    }

    /// <summary>
    /// <c>iexec account show &lt;address&gt;</c> (8.24, or 9.0.1) as the oracle of an account's stake and locked stake.
    /// </summary>
    public static async Task<(BigInteger Stake, BigInteger Locked)> CliAccountAsync(DevNetEnvironment net, EthAddress address, bool v9 = false)
    {
        var folder = Project(net, v9);
        try
        {
            var shown = await Cli(v9, folder, "account", "show", address.ToString(), "--chain", "devnet");
            var balance = JsonNode.Parse(shown)!["balance"]!;
            return (BigInteger.Parse(balance["stake"]!.GetValue<string>()), BigInteger.Parse(balance["locked"]!.GetValue<string>()));
        }
        finally
        {
            DeleteQuietly(folder);
        }
    }

    /// <summary><c>iexec wallet show &lt;address&gt;</c>: the wallet's RLC as the CLI reads it (nRLC).</summary>
    public static async Task<BigInteger> CliWalletRlcAsync(DevNetEnvironment net, EthAddress address, bool v9 = false)
    {
        var folder = Project(net, v9);
        try
        {
            var shown = await Cli(v9, folder, "wallet", "show", address.ToString(), "--chain", "devnet");
            return BigInteger.Parse(JsonNode.Parse(shown)!["balance"]!["nRLC"]!.GetValue<string>());
        }
        finally
        {
            DeleteQuietly(folder);
        }
    }

    /// <summary><c>iexec task show &lt;taskid&gt;</c>: the task as the CLI reads it.</summary>
    public static async Task<JsonNode> CliTaskAsync(DevNetEnvironment net, string taskId, bool v9 = false)
    {
        var folder = Project(net, v9);
        try
        {
            return JsonNode.Parse(await Cli(v9, folder, "task", "show", taskId, "--chain", "devnet"))!["task"]!;
        }
        finally
        {
            DeleteQuietly(folder);
        }
    }

    /// <summary>Runs the CLI (8.24, or 9.0.1) in <paramref name="folder"/>; a non-zero exit fails the test with what it printed.</summary>
    public static async Task<string> Cli(bool v9, string folder, params string[] arguments)
    {
        var result = v9 ? await IExecCli.RunV9Async(folder, arguments) : await IExecCli.RunAsync(folder, arguments);
        Assert.True(result.ExitCode == 0, $"iexec{(v9 ? "9" : "")} {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.StdErr}{result.StdOut}");
        return result.StdOut;
    }

    /// <summary>Deploys the tutorial app (SCONE, or TDX without mrenclave on a token devnet) owned by <paramref name="owner"/>.</summary>
    public static async Task<EthAddress> DeployAppAsync(DevNetEnvironment net, DevNetAccount owner, bool tdx = false)
    {
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        if (!tdx) return await AppRunInteropTests.DeployTutorialAppAsync(net, owner, chain);
        var name = "daytwo-tdx-" + Guid.NewGuid().ToString("N")[..10];
        var descriptor = AppDescriptor.Create(owner.Address.ToString(), name, "DOCKER", AppRunInteropTests.TutorialAppMultiaddr, Hex.Encode(Keccak256.HashUtf8(name)), null);
        using var rpc = new JsonRpcClient(net.RpcUrl);
        return (await new AppDeployer(rpc, chain).DeployAsync(descriptor, owner, null)).Address;
    }

    /// <summary>Publishes an app order of <paramref name="price"/> nRLC per task on the devnet market, through its challenge.</summary>
    public static async Task<AppOrder> PublishAppOrderAsync(DevNetEnvironment net, DevNetAccount developer, EthAddress app, long price, string tag = "tee,scone", long volume = 100)
    {
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        var domain = Eip712Domain.ForHub(chain.ChainId, net.Hub);
        var order = new AppOrder { App = app, AppPrice = price, Volume = volume, Tag = OrderTag.Parse(tag), Salt = OrderSalt.New() }.SignWith(developer, domain);
        using var market = new MarketClient(net.Market.Url);
        await market.PublishAppOrderAsync(order, chain.ChainId, developer, Hex.Encode(order.Hash(domain)));
        return order;
    }

    /// <summary>A workerpool owned by <paramref name="owner"/> that no worker serves: its deals are never initialised.</summary>
    public static async Task<EthAddress> IdleWorkerpoolAsync(DevNetEnvironment net, DevNetAccount owner)
    {
        var registry = await WorkerpoolRegistry.FromHubAsync(net.Rpc, new PoCoHub(net.Rpc, net.Hub));
        return (await registry.CreateWorkerpoolAsync(net.CreateSender(owner), owner.Address, "daytwo-idle-" + Guid.NewGuid().ToString("N")[..10])).Address;
    }

    /// <summary>Waits (at most 3 minutes) until the devnet worker's report of <paramref name="taskId"/> is final.</summary>
    public static async Task<WorkerTaskReport> WaitForReportAsync(DevNetEnvironment net, string taskId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            if (net.Worker.GetReport(taskId) is { State: not WorkerTaskReport.Running } report) return report;
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>The nonce the chain has mined for <paramref name="address"/>: unchanged means nothing was sent.</summary>
    public static Task<BigInteger> MinedNonceAsync(DevNetEnvironment net, EthAddress address) => net.Rpc.GetTransactionCountAsync(address, "latest");

    public static void DeleteQuietly(string folder)
    {
        try
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
