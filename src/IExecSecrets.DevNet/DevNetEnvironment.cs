using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;
using IExecSecrets.DevNet.Chain;
using IExecSecrets.DevNet.Ipfs;
using IExecSecrets.DevNet.Market;
using IExecSecrets.DevNet.Sms;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.DevNet;

/// <summary>
/// A running local iExec network: anvil (chain 134, gas price 0) with the real PoCo v6 contracts, the devnet
/// workerpool and funded accounts, and the dev SMS, whose app/dataset ownership checks read <c>owner()</c> on this
/// chain. Once started it has written <c>chain.json</c> (SDK 8.24 format, default chain "devnet") and
/// <c>devnet.json</c> (addresses and anvil's published test accounts) into <see cref="Directory"/>. Disposing stops
/// the SMS and the node.
/// In token mode it also serves what Arbitrum serves to iexec SDK 9: a separate TDX SMS (its own database, answering
/// <c>TDX</c> on <c>/tee/framework</c>), a tee,tdx workerpool order (tag 0x…09) beside the tee,scone one, chain.json
/// with <c>defaultTeeFramework</c> tdx, and <c>chain.v9.json</c>, the same chain in the 9.x format (a string
/// <c>sms</c>, the TDX SMS; no native, useGas, defaultTeeFramework, resultProxy or pocoSubgraph).
/// </summary>
public sealed class DevNetEnvironment : IAsyncDisposable
{
    private readonly AnvilProcess _anvil;
    private readonly JsonRpcClient _rpc;
    private int _disposed;

    private DevNetEnvironment(string directory, AnvilProcess anvil, JsonRpcClient rpc, PoCoDeployment deployment, DevSmsServer sms, DevSmsServer tdxSms)
    {
        Directory = directory;
        _anvil = anvil;
        _rpc = rpc;
        Deployment = deployment;
        Sms = sms;
        TdxSms = tdxSms;
    }

    /// <summary>The folder holding chain.json, devnet.json and the SMS database.</summary>
    public string Directory { get; }

    /// <summary>The chain id, 134.</summary>
    public ulong ChainId => AnvilProcess.DevNetChainId;

    /// <summary>The node's JSON-RPC URL.</summary>
    public Uri RpcUrl => _anvil.RpcUrl;

    /// <summary>The PoCo hub (diamond) address.</summary>
    public EthAddress Hub => Deployment.Hub;

    /// <summary>The devnet workerpool, owned by account #2.</summary>
    public EthAddress Workerpool => Deployment.Workerpool;

    /// <summary>The dev SMS URL (all TEE frameworks map to it).</summary>
    public Uri SmsUrl => Sms.Url;

    /// <summary>All PoCo addresses and how the deployment was obtained (fresh or cached, and how long it took).</summary>
    public PoCoDeployment Deployment { get; }

    /// <summary>The running dev SMS, for tests that inspect what it stored or received.</summary>
    public DevSmsServer Sms { get; }

    /// <summary>
    /// The SMS of TDX runs: in token mode a second dev SMS with its own database (secrets pushed to one are invisible
    /// to the other, as on iExec's networks); in native mode the same instance as <see cref="Sms"/>.
    /// </summary>
    public DevSmsServer TdxSms { get; }

    /// <summary>The TDX SMS URL (chain.json <c>sms.tdx</c>, chain.v9.json <c>sms</c>).</summary>
    public Uri TdxSmsUrl => TdxSms.Url;

    /// <summary>The market API (chain.json <c>iexecGateway</c>), holding the devnet workerpool's order.</summary>
    public DevMarketServer Market { get; private set; } = null!;

    /// <summary>The result store served like an IPFS gateway (chain.json <c>ipfsGateway</c>).</summary>
    public DevIpfsGateway Ipfs { get; private set; } = null!;

    /// <summary>The scheduler/worker running the devnet workerpool's deals (worker = account #4).</summary>
    public DevWorker Worker { get; private set; } = null!;

    /// <summary>
    /// The devnet workerpool's API (task logs for the requester) and the devnet's iExec Compass, which points at it
    /// (chain.json <c>compass</c>).
    /// </summary>
    public DevWorkerpoolApi WorkerpoolApi { get; private set; } = null!;

    /// <summary>The hash of the workerpool order published at start-up (price 0, tag tee,scone, category 0, trust 0).</summary>
    public string WorkerpoolOrderHash { get; private set; } = "";

    /// <summary>
    /// In token mode, the hash of the tee,tdx workerpool order (tag 0x…09, price 0, category 0, trust 0) published at
    /// start-up, the one iexec SDK 9 asks the market for; empty in native mode.
    /// </summary>
    public string TdxWorkerpoolOrderHash { get; private set; } = "";

    private string? DockerHost { get; init; }

    private IReadOnlyList<RegistryLogin> RegistryCredentials { get; init; } = [];

    private bool ClaimFailedTasks { get; init; } = true;

    /// <summary>anvil's ten test accounts with their devnet roles.</summary>
    public IReadOnlyList<DevNetAccount> Accounts => DevNetAccount.All;

    /// <summary>The anvil process id.</summary>
    public int AnvilProcessId => _anvil.ProcessId;

    /// <summary>The path of the written chain.json.</summary>
    public string ChainJsonPath => Path.Combine(Directory, "chain.json");

    /// <summary>The path of the written devnet.json.</summary>
    public string DevNetJsonPath => Path.Combine(Directory, "devnet.json");

    /// <summary>
    /// The path of chain.v9.json, the chain in the iexec SDK 9.x format (token mode only: SDK 9 cannot use a native
    /// chain); copy it as chain.json into an iexec 9 project.
    /// </summary>
    public string ChainV9JsonPath => Path.Combine(Directory, "chain.v9.json");

    /// <summary>The shared RPC client of the environment (do not dispose it).</summary>
    public JsonRpcClient Rpc => _rpc;

    /// <summary>A transaction sender for <paramref name="account"/> with the devnet's zero-gas legacy fees.</summary>
    public TransactionSender CreateSender(IEthSigner account) =>
        new(_rpc, account, ChainId, new TransactionSenderOptions { FeeMode = FeeMode.ZeroGasPriceLegacy });

    /// <summary>
    /// Starts anvil, deploys (or loads the cached) PoCo, starts the dev SMS and writes chain.json and devnet.json.
    /// On any failure, whatever was started is stopped again.
    /// </summary>
    public static async Task<DevNetEnvironment> StartAsync(DevNetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(directory);
        var layout = options.RepositoryRoot is { } root ? new RepositoryLayout(root) : RepositoryLayout.Locate();

        var anvil = await AnvilProcess.StartAsync(layout.AnvilPath, cancellationToken).ConfigureAwait(false);
        JsonRpcClient? rpc = null;
        DevSmsServer? sms = null;
        DevSmsServer? tdxSms = null;
        try
        {
            rpc = anvil.CreateClient();
            var deployment = await new PoCoDeployer(layout).DeployOrLoadAsync(rpc, options.Mode, options.UseStateCache, cancellationToken).ConfigureAwait(false);
            var ownerRpc = rpc;
            var smsOptions = new DevSmsOptions
            {
                DatabasePath = Path.Combine(directory, "sms.db"),
                ResolveOwnerAsync = (address, token) => AppContract.TryReadOwnerAsync(ownerRpc, address, token),
                Port = 0,
            };
            sms = options.SmsFactory is { } factory
                ? await factory(smsOptions, cancellationToken).ConfigureAwait(false)
                : await DevSmsServer.StartAsync(smsOptions, cancellationToken).ConfigureAwait(false);
            if (deployment.Mode == DevNetMode.Token)
            {
                var tdxOptions = new DevSmsOptions
                {
                    DatabasePath = Path.Combine(directory, "sms-tdx.db"),
                    ResolveOwnerAsync = smsOptions.ResolveOwnerAsync,
                    Port = 0,
                    TeeFramework = "TDX",
                };
                tdxSms = options.SmsFactory is { } tdxFactory
                    ? await tdxFactory(tdxOptions, cancellationToken).ConfigureAwait(false)
                    : await DevSmsServer.StartAsync(tdxOptions, cancellationToken).ConfigureAwait(false);
            }
            var environment = new DevNetEnvironment(directory, anvil, rpc, deployment, sms, tdxSms ?? sms)
            {
                DockerHost = options.DockerHost,
                RegistryCredentials = options.RegistryCredentials,
                ClaimFailedTasks = options.ClaimFailedTasks,
            };
            await environment.StartRunServicesAsync(cancellationToken).ConfigureAwait(false);
            await environment.WriteFilesAsync(cancellationToken).ConfigureAwait(false);
            return environment;
        }
        catch
        {
            if (tdxSms is not null) await tdxSms.DisposeAsync().ConfigureAwait(false);
            if (sms is not null) await sms.DisposeAsync().ConfigureAwait(false);
            rpc?.Dispose();
            await anvil.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The market, result store and worker that make `app run` work end to end; stopped again if any fails to start.
    private async Task StartRunServicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            Ipfs = await DevIpfsGateway.StartAsync(Path.Combine(Directory, "ipfs"), cancellationToken: cancellationToken).ConfigureAwait(false);
            var marketOptions = new DevMarketOptions { Rpc = _rpc, Hub = Hub, ChainId = ChainId };
            Market = await DevMarketServer.StartAsync(marketOptions, cancellationToken).ConfigureAwait(false);
            var scheduler = Accounts[2];
            var domain = Eip712Domain.ForHub(ChainId, Hub);
            // The pool's standing offer: a free order of a million runs, signed by the scheduler, for the given tag.
            Task<string> OfferAsync(string tag) => Market.PublishAsync(
                new WorkerpoolOrder { Workerpool = Workerpool, Volume = 1_000_000, Tag = OrderTag.Parse(tag), Salt = OrderSalt.New() }.SignWith(scheduler, domain),
                cancellationToken);
            WorkerpoolOrderHash = await OfferAsync("tee,scone").ConfigureAwait(false);
            if (Deployment.Mode == DevNetMode.Token)
            {
                // What a TDX workerpool on Arbitrum publishes: SDK 9 asks for minTag 0x…09 and nothing else.
                TdxWorkerpoolOrderHash = await OfferAsync("tee,tdx").ConfigureAwait(false);
            }
            Worker = DevWorker.Start(new DevWorkerOptions
            {
                Rpc = _rpc,
                ChainId = ChainId,
                Hub = Hub,
                Workerpool = Workerpool,
                Scheduler = scheduler,
                Worker = Accounts[4],
                Sms = Sms,
                TdxSms = TdxSms,
                Ipfs = Ipfs,
                WorkDirectory = Path.Combine(Directory, "worker"),
                DockerHost = DockerHost,
                RegistryCredentials = RegistryCredentials,
                ClaimFailedTasks = ClaimFailedTasks,
            });
            marketOptions.TaskReports = Worker.GetReport;
            var hub = new PoCoHub(_rpc, Hub);
            WorkerpoolApi = await DevWorkerpoolApi.StartAsync(new DevWorkerpoolApiOptions
            {
                ChainId = ChainId,
                Workerpool = Workerpool,
                Worker = Worker.Address,
                Logs = Worker.GetLogs,
                ResolveRequesterAsync = async (taskId, token) =>
                {
                    var task = await hub.ViewTaskAsync(taskId, token).ConfigureAwait(false);
                    if (task.DealId.All(b => b == 0)) return null;
                    return (await hub.ViewDealAsync(task.DealId, token).ConfigureAwait(false)).Requester;
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopRunServicesAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StopRunServicesAsync()
    {
        if (WorkerpoolApi is not null) await WorkerpoolApi.DisposeAsync().ConfigureAwait(false);
        if (Worker is not null) await Worker.DisposeAsync().ConfigureAwait(false);
        if (Market is not null) await Market.DisposeAsync().ConfigureAwait(false);
        if (Ipfs is not null) await Ipfs.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteFilesAsync(CancellationToken cancellationToken)
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };
        var sms = SmsUrl.ToString().TrimEnd('/');
        var tdxSms = TdxSmsUrl.ToString().TrimEnd('/');
        var token = Deployment.Mode == DevNetMode.Token;
        // Nothing serves these yet; closed loopback ports make any use fail fast instead of reaching the internet.
        const string notServed = "http://127.0.0.1:9";
        var rpc = RpcUrl.ToString().TrimEnd('/');
        var market = Market.Url.ToString().TrimEnd('/');
        var ipfs = Ipfs.Url.ToString().TrimEnd('/');
        var chain = ChainFile(rpc, market, ipfs, new JsonObject
        {
            ["native"] = Deployment.Mode == DevNetMode.Native,
            // A token devnet stands for Arbitrum, whose runs are TDX: the module then applies SDK 9's TDX rules.
            ["defaultTeeFramework"] = token ? "tdx" : "scone",
            ["sms"] = new JsonObject { ["scone"] = sms, ["gramine"] = sms, ["tdx"] = tdxSms },
            ["resultProxy"] = notServed,
            ["pocoSubgraph"] = notServed,
            ["compass"] = WorkerpoolApi.Url.ToString().TrimEnd('/'),
        });
        var accounts = new JsonArray();
        foreach (var account in Accounts)
        {
            accounts.Add(new JsonObject { ["address"] = account.Address.ToString(), ["privateKey"] = account.PrivateKeyHex, ["role"] = account.Role });
        }
        var devnet = new JsonObject
        {
            ["chainId"] = ChainId,
            ["rpcUrl"] = rpc,
            ["hub"] = Hub.ToString(),
            ["appRegistry"] = Deployment.AppRegistry.ToString(),
            ["datasetRegistry"] = Deployment.DatasetRegistry.ToString(),
            ["workerpoolRegistry"] = Deployment.WorkerpoolRegistry.ToString(),
            ["workerpool"] = Workerpool.ToString(),
            ["smsUrl"] = sms,
            ["tdxSmsUrl"] = tdxSms,
            ["marketUrl"] = market,
            ["ipfsGatewayUrl"] = ipfs,
            ["worker"] = Worker.Address.ToString(),
            ["workerpoolApiUrl"] = WorkerpoolApi.Url.ToString().TrimEnd('/'),
            ["mode"] = Deployment.Mode.ToString().ToLowerInvariant(),
            ["token"] = Deployment.Token.ToString(),
            ["accounts"] = accounts,
        };
        if (Deployment.Mode == DevNetMode.Native)
        {
            // SDK 8.24 prices chain 134 at 0 with useGas true (verified in devnet.md §4.1); anvil runs with gas price 0.
            // A token chain leaves useGas to the SDK's default, as the SDK's own token chains do.
            chain["chains"]!["devnet"]!["useGas"] = true;
        }
        await File.WriteAllTextAsync(ChainJsonPath, chain.ToJsonString(indented), cancellationToken).ConfigureAwait(false);
        if (token)
        {
            // iexec SDK 9 rejects unknown keys and native/useGas/defaultTeeFramework/resultProxy/pocoSubgraph, and
            // takes one sms URL: the TDX one.
            var v9 = ChainFile(rpc, market, ipfs, new JsonObject { ["sms"] = tdxSms });
            await File.WriteAllTextAsync(ChainV9JsonPath, v9.ToJsonString(indented), cancellationToken).ConfigureAwait(false);
        }
        await File.WriteAllTextAsync(DevNetJsonPath, devnet.ToJsonString(indented), cancellationToken).ConfigureAwait(false);
    }

    // A chain.json holding the one chain "devnet" as default, with the keys both SDK versions take (id, host, hub, then
    // iexecGateway and ipfsGateway) around the keys of the version it is written for (moved out of versionKeys).
    private JsonObject ChainFile(string rpc, string market, string ipfs, JsonObject versionKeys)
    {
        var entry = new JsonObject
        {
            ["id"] = ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["host"] = rpc,
            ["hub"] = Hub.ToString(),
        };
        foreach (var key in versionKeys.Select(pair => pair.Key).ToArray())
        {
            var value = versionKeys[key];
            versionKeys.Remove(key);
            entry[key] = value;
        }
        entry["iexecGateway"] = market;
        entry["ipfsGateway"] = ipfs;
        return new JsonObject { ["default"] = "devnet", ["chains"] = new JsonObject { ["devnet"] = entry } };
    }

    /// <summary>The chain's time (the latest block's timestamp), which <see cref="AdvanceClockAsync"/> moves.</summary>
    public Task<DateTimeOffset> ChainTimeAsync(CancellationToken cancellationToken = default) => DevNetClock.NowAsync(_rpc, cancellationToken);

    /// <summary>Moves the chain's clock forward by <paramref name="by"/> (anvil <c>evm_increaseTime</c> + <c>evm_mine</c>); returns the new chain time.</summary>
    public Task<DateTimeOffset> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default) => DevNetClock.AdvanceAsync(_rpc, by, cancellationToken);

    /// <summary>
    /// Makes a task or a deal expire: moves the chain's clock just past its final deadline (a task's own once
    /// initialised, else its deal's), so it can be claimed. Returns the deadline and the chain's time after.
    /// </summary>
    public Task<(DateTimeOffset Deadline, DateTimeOffset Now)> ExpireAsync(string taskOrDealId, CancellationToken cancellationToken = default) =>
        DevNetClock.ExpireAsync(_rpc, Hub, Hex.Decode(taskOrDealId), cancellationToken);

    /// <summary>Stops the dev SMS and kills anvil.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await StopRunServicesAsync().ConfigureAwait(false);
            if (!ReferenceEquals(TdxSms, Sms)) await TdxSms.DisposeAsync().ConfigureAwait(false);
            await Sms.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _rpc.Dispose();
            await _anvil.DisposeAsync().ConfigureAwait(false);
        }
    }
}
