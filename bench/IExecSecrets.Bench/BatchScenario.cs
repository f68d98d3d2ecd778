using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.Sms;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet;

namespace IExecSecrets.Bench;

/// <summary>
/// Issue 10's pipeline benchmark: N runs of the tutorial app on one devnet, call to deals. The official iexec 8.24.0
/// CLI runs them as a loop of N <c>iexec app run</c> processes; the module as one pipeline of N inputs into
/// <c>Invoke-IExecApp -ThrottleLimit 8</c> in a PowerShell runspace (module imported, wallet connected beforehand).
/// Both reach anvil through a counting JSON-RPC proxy, so the requests per deal are counted too. Issue 14 adds a
/// <c>foreach</c> of M separate <c>Invoke-IExecApp</c> commands in the same runspace, measured first (after one warm-up
/// command and the 30 s a shared plan lives, so its first command reads chain and market afresh), then the pipeline.
/// </summary>
internal static class BatchScenario
{
    public sealed record Figures(int Runs, double CliSeconds, int CliRpcCalls, double ModuleSeconds, int ModuleRpcCalls, int ModuleDeals)
    {
        public int ForeachRuns { get; init; }

        public double ForeachSeconds { get; init; }

        public int ForeachRpcCalls { get; init; }
    }

    public static async Task<Figures> MeasureAsync(int runs, Action<string> log, int foreachRuns = 0, bool skipCli = false)
    {
        var root = Directory.CreateTempSubdirectory("iexec-bench-batch-");
        try
        {
            await using var net = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Path.Combine(root.FullName, "devnet") });
            await using var proxy = await CountingRpcProxy.StartAsync(net.RpcUrl);
            var work = Directory.CreateDirectory(Path.Combine(root.FullName, "work")).FullName;
            var chainJson = JsonNode.Parse(await File.ReadAllTextAsync(net.ChainJsonPath))!;
            chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
            await File.WriteAllTextAsync(Path.Combine(work, "chain.json"), chainJson.ToJsonString());
            var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
            var developer = net.Accounts[1];
            var name = "bench-batch-" + Guid.NewGuid().ToString("N")[..8];
            var descriptor = AppDescriptor.Create(developer.Address.ToString(), name, "DOCKER", "file://" + Path.Combine(Scenarios.RepoRoot, "enclave", "js", "app.js"),
                Hex.Encode(Keccak256.HashUtf8(name)), """{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}""");
            EthAddress app;
            using (var rpc = new JsonRpcClient(net.RpcUrl)) app = (await new AppDeployer(rpc, chain).DeployAsync(descriptor, developer, null)).Address;
            using var cliRequester = WalletKey.Generate();
            using var moduleRequester = WalletKey.Generate();
            await File.WriteAllTextAsync(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(cliRequester));
            using (var market = new MarketClient(new Uri(chain.IExecGateway!)))
            {
                var domain = Eip712Domain.ForHub(chain.ChainId, net.Hub);
                var order = new AppOrder { App = app, Volume = 10 * runs + 10, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(developer, domain);
                await market.PublishAppOrderAsync(order, chain.ChainId, developer, Hex.Encode(order.Hash(domain)));
            }
            using (var sms = new SmsClient(net.SmsUrl))
            {
                await sms.PushAppSecretAsync(developer, app, "1;2;3;4"u8.ToArray());
                await sms.PushRequesterSecretAsync(cliRequester, "x1", "3"u8.ToArray());
                await sms.PushRequesterSecretAsync(moduleRequester, "x1", "3"u8.ToArray());
            }

            proxy.Reset();
            var cliClock = Stopwatch.StartNew();
            for (var i = 0; i < (skipCli ? 0 : runs); i++)
            {
                await RunScenario.RunCliAsync(work, app, net.Workerpool);
                if ((i + 1) % 10 == 0) log($"cli: {i + 1}/{runs} in {cliClock.Elapsed.TotalSeconds:F1} s");
            }
            cliClock.Stop();
            var cliCalls = proxy.Calls;

            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(work);
            using (var setup = PowerShell.Create(runspace))
            {
                setup.AddCommand("Import-Module").AddParameter("Name", Scenarios.ModuleManifest).AddStatement()
                    .AddCommand("Connect-IExecWallet").AddParameter("PrivateKey", RunScenario.ToSecureHex(moduleRequester)).Invoke();
                if (setup.HadErrors) throw new InvalidOperationException("setup: " + setup.Streams.Error[0]);
            }
            double foreachSeconds = 0;
            var foreachCalls = 0;
            if (foreachRuns > 0)
            {
                using (var warmUp = PowerShell.Create(runspace))
                {
                    warmUp.AddScript("param($app, $pool) Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1='x1'} -Workerpool $pool -Arguments warm-up -Force")
                        .AddParameter("app", app.ToString()).AddParameter("pool", net.Workerpool.ToString()).Invoke();
                    if (warmUp.HadErrors) throw new InvalidOperationException("warm-up: " + warmUp.Streams.Error[0]);
                }
                // The warm-up's plan is offered to later commands for 30 s; the foreach starts without it.
                await Task.Delay(TimeSpan.FromSeconds(31));
                proxy.Reset();
                using var loop = PowerShell.Create(runspace);
                loop.AddScript("param($n, $app, $pool) foreach ($i in 1..$n) { Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1='x1'} -Workerpool $pool -Arguments \"run $i\" -Force }")
                    .AddParameter("n", foreachRuns).AddParameter("app", app.ToString()).AddParameter("pool", net.Workerpool.ToString());
                var loopClock = Stopwatch.StartNew();
                var loopDeals = loop.Invoke();
                loopClock.Stop();
                if (loop.HadErrors || loopDeals.Count != foreachRuns) throw new InvalidOperationException($"foreach: {loopDeals.Count} deals; " + loop.Streams.Error.FirstOrDefault());
                foreachSeconds = loopClock.Elapsed.TotalSeconds;
                foreachCalls = proxy.Calls;
                log($"module foreach: {foreachRuns} deals in {foreachSeconds:F2} s, {foreachCalls} JSON-RPC calls");
            }
            proxy.Reset();
            using var ps = PowerShell.Create(runspace);
            ps.AddScript("param($n, $app, $pool) 1..$n | ForEach-Object { [pscustomobject]@{ Arguments = \"run $_\" } } | "
                + "Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1='x1'} -Workerpool $pool -Force -ThrottleLimit 8")
                .AddParameter("n", runs).AddParameter("app", app.ToString()).AddParameter("pool", net.Workerpool.ToString());
            var moduleClock = Stopwatch.StartNew();
            var deals = ps.Invoke();
            moduleClock.Stop();
            if (ps.HadErrors) throw new InvalidOperationException("Invoke-IExecApp: " + ps.Streams.Error[0]);
            var figures = new Figures(runs, cliClock.Elapsed.TotalSeconds, cliCalls, moduleClock.Elapsed.TotalSeconds, proxy.Calls, deals.Count)
            {
                ForeachRuns = foreachRuns,
                ForeachSeconds = foreachSeconds,
                ForeachRpcCalls = foreachCalls,
            };
            log($"module: {deals.Count} deals in {figures.ModuleSeconds:F2} s, {proxy.Calls} JSON-RPC calls");
            return figures;
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

    public static IEnumerable<string> FormatRows(Figures f)
    {
        string S(double seconds) => seconds.ToString("F2", CultureInfo.InvariantCulture);
        yield return $"| {f.Runs} runs, call to deals | {S(f.ModuleSeconds)} s ({f.ModuleDeals} deals, pipeline, -ThrottleLimit 8) | {S(f.CliSeconds)} s (loop of {f.Runs} `iexec app run`) | ratio {(f.CliSeconds / f.ModuleSeconds).ToString("F1", CultureInfo.InvariantCulture)}× |";
        if (f.ForeachRuns > 0)
        {
            string PerDeal(double seconds, int deals) => (seconds * 1000 / deals).ToString("F1", CultureInfo.InvariantCulture);
            yield return $"| per deal: foreach of {f.ForeachRuns} separate `Invoke-IExecApp` vs the pipeline of {f.Runs} | {PerDeal(f.ForeachSeconds, f.ForeachRuns)} ms ({f.ForeachRuns} deals in {S(f.ForeachSeconds)} s, {((double)f.ForeachRpcCalls / f.ForeachRuns).ToString("F1", CultureInfo.InvariantCulture)} JSON-RPC calls per deal) | {PerDeal(f.ModuleSeconds, f.ModuleDeals)} ms (pipeline) | same runspace, same run |";
        }
        yield return $"| JSON-RPC calls per deal | {((double)f.ModuleRpcCalls / f.Runs).ToString("F1", CultureInfo.InvariantCulture)} | {((double)f.CliRpcCalls / f.Runs).ToString("F1", CultureInfo.InvariantCulture)} | counted by a proxy in front of anvil |";
    }
}
