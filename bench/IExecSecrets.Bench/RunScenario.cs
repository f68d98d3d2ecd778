using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.Sms;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet;
using IExecSecrets.Output;

namespace IExecSecrets.Bench;

/// <summary>One measured run from call to deal: wall time and the RPC traffic the proxy saw.</summary>
internal sealed record RunSample(double Milliseconds, int Calls, int HttpRequests, string Methods);

/// <summary>The call-to-deal figures of the CLI and of the module, measured on the same devnet in the same process.</summary>
internal sealed record RunFigures(IReadOnlyList<RunSample> Cli, RunSample ModuleCold, IReadOnlyList<RunSample> ModuleWarm);

/// <summary>
/// "Call to deal" for <c>app run &lt;app&gt; --tag tee,scone --secret 1=x1 --workerpool &lt;pool&gt; --force</c>, the
/// official iexec 8.24.0 CLI beside <c>Invoke-IExecApp</c>, on one devnet whose RPC traffic all goes through a
/// <see cref="CountingRpcProxy"/> (both read <c>host</c> from the chain.json in their working folder). The requester
/// is a fresh key owning nothing, so both take the app order and the workerpool order from the devnet market and
/// check the requester secret on the dev SMS. Between runs the devnet worker is left to finish the deal, so every run
/// starts on an idle machine.
/// </summary>
internal static class RunScenario
{
    private const int CliRuns = 3;
    // IEXEC_BENCH_WARM_RUNS=N takes N warm samples instead of 5: on a 2-core machine a median of 5 moves by 10 ms
    // between identical runs, so before/after comparisons take more.
    private static readonly int WarmRuns = int.TryParse(Environment.GetEnvironmentVariable("IEXEC_BENCH_WARM_RUNS"), out var n) && n > 0 ? n : 5;

    /// <summary>Starts a devnet and measures 3 CLI runs, then the module's first run in a fresh process and 5 more.</summary>
    public static async Task<RunFigures> MeasureAsync(Action<string>? log = null)
    {
        log ??= _ => { };
        var root = Directory.CreateTempSubdirectory("iexec-bench-run-");
        try
        {
            await using var net = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Path.Combine(root.FullName, "devnet") });
            await using var proxy = await CountingRpcProxy.StartAsync(net.RpcUrl);
            var work = Directory.CreateDirectory(Path.Combine(root.FullName, "work")).FullName;
            WriteChainJsonThroughProxy(net.ChainJsonPath, Path.Combine(work, "chain.json"), proxy.Url);
            var chain = ChainResolver.FromDirectory(net.Directory).Resolve();

            var developer = net.Accounts[1];
            var app = await DeployTutorialAppAsync(net, chain, developer);
            using var requester = WalletKey.Generate();
            await File.WriteAllTextAsync(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(requester));
            using (var market = new MarketClient(new Uri(chain.IExecGateway!)))
            {
                var domain = Eip712Domain.ForHub(chain.ChainId, net.Hub);
                var order = new AppOrder { App = app, Volume = 1000, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(developer, domain);
                await market.PublishAppOrderAsync(order, chain.ChainId, developer, Hex.Encode(order.Hash(domain)));
            }
            using (var sms = new SmsClient(net.SmsUrl))
            {
                await sms.PushAppSecretAsync(developer, app, "1;2;3;4"u8.ToArray());
                await sms.PushRequesterSecretAsync(requester, "x1", "3"u8.ToArray());
            }
            using var watcherRpc = new JsonRpcClient(net.RpcUrl);
            var watcher = new DealWatcher(watcherRpc, net.Hub);
            async Task WaitForTheWorkerAsync(string dealId) =>
                await watcher.WatchAsync(Hex.Decode(dealId), TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromMinutes(2));

            var cli = new List<RunSample>();
            for (var i = 0; i < CliRuns; i++)
            {
                proxy.Reset();
                var (milliseconds, dealId) = await RunCliAsync(work, app, net.Workerpool);
                cli.Add(Sample(milliseconds, proxy));
                log($"cli run {i + 1}: {cli[^1]}");
                await WaitForTheWorkerAsync(dealId);
            }

            // The module runs in a fresh child process, so its first run there is cold: none of the Core code this setup
            // used is compiled yet. It gets its own proxy and reads the same (throwaway, CLI-format) wallet.json.
            var module = RunModuleInChildProcess(net, app, Path.Combine(work, UnencryptedWallet.FileName));
            module.ForEach(sample => log($"module: {sample}"));
            return new RunFigures(cli, module[0], module.Skip(1).ToArray());
        }
        finally
        {
            try
            {
                root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>
    /// The child process's half: its own counting proxy in front of <paramref name="node"/>, a work folder holding the
    /// devnet chain.json pointed at it, the module imported and the wallet from <paramref name="walletJson"/> connected;
    /// then <c>Invoke-IExecApp</c> 1 + 5 times, waiting for the worker to finish each deal before the next.
    /// </summary>
    public static async Task<IReadOnlyList<RunSample>> MeasureModuleAsync(string devnetChainJson, string walletJson, EthAddress app, EthAddress workerpool, Uri node, EthAddress hub)
    {
        var work = Directory.CreateTempSubdirectory("iexec-bench-module-");
        try
        {
            await using var proxy = await CountingRpcProxy.StartAsync(node);
            // One plain request through the proxy first, so its own start-up is not charged to the module's cold run
            // (a bare HttpClient, not JsonRpcClient, which must stay uncompiled until the measured run).
            using (var warmProxy = new HttpClient())
            {
                using var content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}", System.Text.Encoding.UTF8, "application/json");
                (await warmProxy.PostAsync(proxy.Url, content)).EnsureSuccessStatusCode();
            }
            WriteChainJsonThroughProxy(devnetChainJson, Path.Combine(work.FullName, "chain.json"), proxy.Url);
            using var requester = UnencryptedWallet.FromJson(await File.ReadAllTextAsync(walletJson));
            using var runspace = OpenConnectedRunspace(work.FullName, requester);
            using var watcherRpc = new JsonRpcClient(node);
            var watcher = new DealWatcher(watcherRpc, hub);
            var samples = new List<RunSample>();
            for (var i = 0; i < 1 + WarmRuns; i++)
            {
                proxy.Reset();
                if (i == 0) HttpTrace.StartIfAsked();
                HttpTrace.Mark("run start");
                var (milliseconds, dealId) = InvokeModule(runspace, app, workerpool);
                HttpTrace.Mark("run end");
                samples.Add(Sample(milliseconds, proxy));
                if (Environment.GetEnvironmentVariable("IEXEC_BENCH_TRACE") == "1") Console.Error.WriteLine($"---- module run {i}: {milliseconds:F1} ms");
                await watcher.WatchAsync(Hex.Decode(dealId), TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromMinutes(2));
            }
            return samples;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The dotnet host to start this benchmark's dll with in a child process: this process's own host, or "dotnet"
    /// from PATH when this process is the apphost (as under <c>dotnet run</c>), which takes no dll argument.
    /// </summary>
    public static string DotnetHost =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private static List<RunSample> RunModuleInChildProcess(DevNetEnvironment net, EthAddress app, string walletJson)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(RunScenario).Assembly.Location, "run-module", net.ChainJsonPath, walletJson, app.ToString(), net.Workerpool.ToString(), net.RpcUrl.ToString(), net.Hub.ToString() })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"run-module exited {process.ExitCode}: {stderr.Result}");
        if (Environment.GetEnvironmentVariable("IEXEC_BENCH_TRACE") == "1") Console.Error.Write(stderr.Result);
        return System.Text.Json.JsonSerializer.Deserialize<List<RunSample>>(stdout.Result) ?? throw new InvalidOperationException("run-module printed nothing");
    }

    private static RunSample Sample(double milliseconds, CountingRpcProxy proxy) =>
        new(milliseconds, proxy.Calls, proxy.HttpRequests, string.Join(", ", proxy.Methods.Select(pair => $"{pair.Key}×{pair.Value}")));

    // The devnet's own chain.json with only "host" changed, so the CLI and the module reach anvil through the proxy.
    private static void WriteChainJsonThroughProxy(string source, string destination, Uri proxy)
    {
        var chainJson = JsonNode.Parse(File.ReadAllText(source))!;
        chainJson["chains"]!["devnet"]!["host"] = proxy.ToString().TrimEnd('/');
        File.WriteAllText(destination, chainJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static async Task<EthAddress> DeployTutorialAppAsync(DevNetEnvironment net, ChainProfile chain, IEthSigner owner)
    {
        var name = "bench-run-" + Guid.NewGuid().ToString("N")[..10];
        var multiaddr = "file://" + Path.Combine(Scenarios.RepoRoot, "enclave", "js", "app.js");
        const string mrEnclave = """{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}""";
        var descriptor = AppDescriptor.Create(owner.Address.ToString(), name, "DOCKER", multiaddr, Hex.Encode(Keccak256.HashUtf8(name)), mrEnclave);
        using var rpc = new JsonRpcClient(net.RpcUrl);
        return (await new AppDeployer(rpc, chain).DeployAsync(descriptor, owner, null)).Address;
    }

    internal static async Task<(double Milliseconds, string DealId)> RunCliAsync(string work, EthAddress app, EthAddress workerpool)
    {
        var start = new ProcessStartInfo(Path.Combine(Scenarios.RepoRoot, "tools", "node", "node_modules", ".bin", "iexec"))
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "app", "run", app.ToString(), "--tag", "tee,scone", "--secret", "1=x1", "--workerpool", workerpool.ToString(), "--force", "--raw", "--quiet" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = work;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"iexec app run exited {process.ExitCode}: {await stderr}{await stdout}");
        var dealId = JsonNode.Parse(await stdout)!["deals"]![0]!["dealid"]!.GetValue<string>();
        return (clock.Elapsed.TotalMilliseconds, dealId);
    }

    private static Runspace OpenConnectedRunspace(string work, WalletKey requester)
    {
        var session = InitialSessionState.CreateDefault2();
        session.ImportPSModule(Scenarios.ModuleManifest);
        var runspace = RunspaceFactory.CreateRunspace(session);
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(work);
        using var key = ToSecureHex(requester);
        using var ps = PowerShell.Create(runspace);
        ps.AddCommand("Connect-IExecWallet").AddParameter("PrivateKey", key).Invoke();
        if (ps.HadErrors) throw new InvalidOperationException("Connect-IExecWallet: " + ps.Streams.Error[0]);
        return runspace;
    }

    private static (double Milliseconds, string DealId) InvokeModule(Runspace runspace, EthAddress app, EthAddress workerpool)
    {
        using var ps = PowerShell.Create(runspace);
        ps.AddCommand("Invoke-IExecApp")
            .AddParameter("App", app.ToString())
            .AddParameter("Tag", new[] { "tee", "scone" })
            .AddParameter("Secret", new System.Collections.Hashtable { [1] = "x1" })
            .AddParameter("Workerpool", workerpool.ToString())
            .AddParameter("Force");
        var clock = Stopwatch.StartNew();
        var output = ps.Invoke();
        clock.Stop();
        if (ps.HadErrors) throw new InvalidOperationException("Invoke-IExecApp: " + ps.Streams.Error[0]);
        var deal = (IExecDeal)output.Single().BaseObject;
        return (clock.Elapsed.TotalMilliseconds, deal.DealId);
    }

    // The hex key goes into the SecureString character by character; the raw key bytes are zeroed right after.
    internal static SecureString ToSecureHex(WalletKey key)
    {
        var raw = new byte[32];
        try
        {
            key.CopyPrivateKeyTo(raw);
            var secure = new SecureString();
            secure.AppendChar('0');
            secure.AppendChar('x');
            foreach (var b in raw)
            {
                secure.AppendChar("0123456789abcdef"[b >> 4]);
                secure.AppendChar("0123456789abcdef"[b & 0xF]);
            }
            secure.MakeReadOnly();
            return secure;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }
}
