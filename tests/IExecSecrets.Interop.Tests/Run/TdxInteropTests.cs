using System.Globalization;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>One token-mode devnet (today's network: RLC escrow, TDX SMS, tee,tdx workerpool order) for the TDX interop tests.</summary>
public sealed class TokenDevNetFixture : IAsyncLifetime
{
    private DevNetEnvironment? _environment;

    public DevNetEnvironment Environment => _environment ?? throw new InvalidOperationException("The token devnet is not started.");

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "iexec-token-devnet-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync() =>
        _environment = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Directory, Mode = DevNetMode.Token });

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

/// <summary>
/// Two clients, one network, today's era: the official iexec 9.0.1 CLI (the npm alias iexec9) and the module on the
/// token devnet, with the chain.v9.json the devnet writes for the CLI and chain.json for the module. The CLI deploys a
/// TDX app (checksum, no mrenclave), pushes the app and requester secrets to the TDX SMS and runs
/// <c>app run --tag tee,tdx --secret 1=NAME --watch</c> to COMPLETED; the module sees the same deal, task and secrets
/// and, as another requester, runs the same app with <c>Invoke-IExecApp -Tag tee,tdx</c>, taking the app order the
/// CLI published with <c>iexec app publish</c> (the market's challenge protocol) from the market; the CLI reads that
/// deal, task and secret back.
/// </summary>
public sealed class TdxInteropTests(TokenDevNetFixture fixture, ITestOutputHelper output) : IClassFixture<TokenDevNetFixture>
{
    private static readonly string AppScript = Path.Combine(RepoPaths.Root, "enclave", "js", "app.js");

    [Fact]
    public async Task Cli9AndModule_BothCompleteTeeTdxRunsWithRequesterAndAppSecrets_AndEachSeesTheOthersDealTaskAndSecrets()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[5];
        var coefficients = Enumerable.Range(0, 4).Select(_ => Random.Shared.Next(-9, 10)).ToArray();
        var cliX = Random.Shared.Next(2, 40);
        var moduleX = cliX + 1;
        var cliSecret = "x-cli-" + Guid.NewGuid().ToString("N")[..8];
        var moduleSecret = "x-mod-" + Guid.NewGuid().ToString("N")[..8];

        var work = net.Project("iexec9-tdx-", v9: true);
        using (var key = WalletKey.FromHex(owner.PrivateKeyHex))
        {
            await File.WriteAllTextAsync(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
        }
        var checksum = "0x" + Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(AppScript))).ToLowerInvariant();
        var iexec = new JsonObject
        {
            ["app"] = new JsonObject
            {
                ["owner"] = owner.Address.ToString(),
                ["name"] = "tdx-interop-" + Guid.NewGuid().ToString("N")[..10],
                ["type"] = "DOCKER",
                ["multiaddr"] = new Uri(AppScript).AbsoluteUri,
                ["checksum"] = checksum,
            },
        };
        await File.WriteAllTextAsync(Path.Combine(work, "iexec.json"), iexec.ToJsonString());

        // The 9.0.1 CLI: deploy the TDX app, push both secrets (to the TDX SMS: chain.v9.json's one sms), run tee,tdx.
        var deployed = await Cli(work, "app", "deploy");
        var app = EthAddress.Parse(JsonNode.Parse(deployed.StdOut)!["address"]!.GetValue<string>());
        await Cli(work, "app", "push-secret", "--secret-value", string.Join(';', coefficients));
        await Cli(work, "requester", "push-secret", cliSecret, "--secret-value", cliX.ToString(CultureInfo.InvariantCulture));
        Assert.NotNull(await net.TdxSms.GetAppSecretAsync(app));
        Assert.Null(await net.Sms.GetAppSecretAsync(app)); // a separate SMS, as on iExec's networks
        // The app order for other requesters, signed by SDK 9 (tee,tdx added) and published through the challenge.
        var published = JsonNode.Parse((await Cli(work, "app", "publish", app.ToString(), "--tag", "tee,tdx", "--volume", "10", "--force")).StdOut)!;
        var appOrderHash = published["orderHash"]!.GetValue<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await Cli(work, "app", "run", app.ToString(), "--tag", "tee,tdx", "--secret", $"1={cliSecret}", "--watch", "--force");
        output.WriteLine($"iexec 9.0.1 app run --tag tee,tdx --watch: {clock.ElapsedMilliseconds} ms");
        var shown = JsonNode.Parse(run.StdOut)!;
        var cliDealId = shown["deals"]![0]!["dealid"]!.GetValue<string>();
        var cliTask = Assert.Single(shown["tasks"]!.AsArray())!;
        var cliTaskId = cliTask["taskid"]!.GetValue<string>();
        Assert.Equal("COMPLETED", cliTask["statusName"]!.GetValue<string>());

        // On chain: the deal carries tee,tdx (0x…09) and the devnet workerpool, whose tdx order the CLI took from the market.
        using var rpc = new JsonRpcClient(net.RpcUrl);
        var deal = await new PoCoHub(rpc, net.Hub).ViewDealAsync(Hex.Decode(cliDealId));
        Assert.Equal(OrderTag.Parse("tee,tdx"), deal.Tag);
        Assert.Equal(net.Workerpool, deal.Workerpool.Pointer);

        // The module, in a real PowerShell engine on the 8.24-format chain.json (defaultTeeFramework tdx), as the
        // same owner: it sees the CLI's deal, task and both secrets on the TDX SMS, and the right result.
        var moduleWork = net.Project("iexec-module-tdx-");
        using var module = new ModuleHost(location: moduleWork);
        var key5 = ModuleHost.Secure(owner.PrivateKeyHex);
        var read = module.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; Get-IExecDeal -DealId $deal; Get-IExecTask -TaskId $task; " +
            "Test-IExecAppSecret -App $app; Test-IExecRequesterSecret -Name $name -Requester $requester; Save-IExecTaskResult -TaskId $task -Expand",
            new Dictionary<string, object?> { ["k"] = key5, ["task"] = cliTaskId, ["deal"] = cliDealId, ["app"] = app.ToString(), ["name"] = cliSecret, ["requester"] = owner.Address.ToString() });
        Assert.True(read.AllErrors.Count == 0, string.Join(" | ", read.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var moduleDeal = Assert.IsType<IExecDeal>(read.Output[0].BaseObject);
        var moduleTask = Assert.IsType<IExecTask>(read.Output[1].BaseObject);
        Assert.Equal((app.ToString(), net.Workerpool.ToString(), owner.Address.ToString(), "tee,tdx"), (moduleDeal.App, moduleDeal.Workerpool, moduleDeal.Requester, moduleDeal.Tag));
        Assert.Equal((cliTaskId, cliDealId, "COMPLETED"), (moduleTask.TaskId, moduleTask.DealId, moduleTask.StatusName));
        Assert.Equal(cliTask["results"]?["location"]?.GetValue<string>(), moduleTask.ResultLocation);
        var appSecret = Assert.IsType<IExecSecretStatus>(read.Output[2].BaseObject);
        var requesterSecret = Assert.IsType<IExecSecretStatus>(read.Output[3].BaseObject);
        var tdxSms = net.TdxSmsUrl.ToString().TrimEnd('/');
        Assert.Equal((true, tdxSms), (appSecret.IsSet, appSecret.SmsUrl.TrimEnd('/')));
        Assert.Equal((true, tdxSms), (requesterSecret.IsSet, requesterSecret.SmsUrl.TrimEnd('/')));
        var cliResult = Assert.IsType<IExecTaskResult>(read.Output[4].BaseObject);
        Assert.Equal(Expected(coefficients, cliX), await File.ReadAllTextAsync(Path.Combine(cliResult.ExpandedPath!, "result.txt")));

        // Another requester, in the module: it pushes its own requester secret and runs the CLI's app with -Tag tee,tdx
        // to COMPLETED, taking the app order the CLI published from the market.
        var requester = net.Accounts[8];
        var requesterWork = net.Project("iexec-module-tdx-requester-");
        using var requesterModule = new ModuleHost(location: requesterWork);
        clock.Restart();
        var moduleRun = requesterModule.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; Push-IExecRequesterSecret -Name $name -Value $value -Confirm:$false | Out-Null; " +
            "$d = Invoke-IExecApp -App $app -Tag tee,tdx -Secret @{ 1 = $name } -Watch -PollIntervalSeconds 0.2 -Force; $d; $d.TaskIds | Save-IExecTaskResult -Expand",
            new Dictionary<string, object?>
            {
                ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString(), ["name"] = moduleSecret,
                ["value"] = ModuleHost.Secure(moduleX.ToString(CultureInfo.InvariantCulture)),
            });
        output.WriteLine($"Invoke-IExecApp -Tag tee,tdx -Watch (hosted engine, warm): {clock.ElapsedMilliseconds} ms");
        Assert.True(moduleRun.AllErrors.Count == 0, string.Join(" | ", moduleRun.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var runDeal = Assert.IsType<IExecDeal>(moduleRun.Output[0].BaseObject);
        Assert.True(runDeal.Succeeded);
        Assert.Equal("tee,tdx", runDeal.Tag);
        Assert.Equal(requester.Address.ToString(), runDeal.Requester);
        Assert.Equal(BigInteger.One, await new PoCoHub(rpc, net.Hub).ViewConsumedAsync(Hex.Decode(appOrderHash))); // the CLI's published order
        var moduleResult = Assert.IsType<IExecTaskResult>(moduleRun.Output[1].BaseObject);
        Assert.Equal(Expected(coefficients, moduleX), await File.ReadAllTextAsync(Path.Combine(moduleResult.ExpandedPath!, "result.txt")));

        // The CLI reads the module's deal, task and requester secret.
        var cliDeal = JsonNode.Parse((await Cli(work, "deal", "show", runDeal.DealId)).StdOut)!["deal"]!;
        Assert.Equal(app.ToString(), cliDeal["app"]!["pointer"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000009", cliDeal["tag"]!.GetValue<string>());
        var cliSeesTask = JsonNode.Parse((await Cli(work, "task", "show", runDeal.TaskIds[0])).StdOut)!["task"]!;
        Assert.Equal("COMPLETED", cliSeesTask["statusName"]!.GetValue<string>());
        Assert.Equal(runDeal.DealId, cliSeesTask["dealid"]!.GetValue<string>());
        var checkedSecret = JsonNode.Parse((await Cli(work, "requester", "check-secret", moduleSecret, requester.Address.ToString())).StdOut)!;
        Assert.True(checkedSecret["isSet"]!.GetValue<bool>());

        Directory.Delete(work, recursive: true);
        Directory.Delete(moduleWork, recursive: true);
        Directory.Delete(requesterWork, recursive: true);
    }

    [Fact]
    public async Task TokenDevNet_ServesATdxSmsATeeTdxOrderAndAChainV9JsonWithOnlyTheKeysSdk9Accepts()
    {
        var net = fixture.Environment;

        var v9 = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(net.ChainV9JsonPath))!["chains"]!["devnet"]!;
        Assert.Equal(["id", "host", "hub", "sms", "iexecGateway", "ipfsGateway"], v9.Select(p => p.Key).ToArray());
        Assert.Equal(net.TdxSmsUrl.ToString().TrimEnd('/'), v9["sms"]!.GetValue<string>());
        var chain = JsonNode.Parse(await File.ReadAllTextAsync(net.ChainJsonPath))!["chains"]!["devnet"]!;
        Assert.Equal("tdx", chain["defaultTeeFramework"]!.GetValue<string>());
        Assert.Equal(net.TdxSmsUrl.ToString().TrimEnd('/'), chain["sms"]!["tdx"]!.GetValue<string>());
        Assert.NotEqual(net.SmsUrl, net.TdxSmsUrl);
        using var http = new HttpClient();
        Assert.Equal("\"TDX\"", await http.GetStringAsync(new Uri(net.TdxSmsUrl, "tee/framework")));

        using var market = new Core.Market.MarketClient(new Uri(v9["iexecGateway"]!.GetValue<string>()));
        var page = await market.GetWorkerpoolOrdersAsync(new Core.Market.WorkerpoolOrderQuery { ChainId = net.ChainId, MinTag = OrderTag.Parse("tee,tdx") });
        var order = Assert.Single(page.Orders);
        Assert.Equal(net.TdxWorkerpoolOrderHash, order.OrderHash);
        Assert.Equal((net.Workerpool, OrderTag.ToHex(OrderTag.Parse("tee,tdx"))), (order.Order.Workerpool, OrderTag.ToHex(order.Order.Tag)));
    }

    [Fact]
    public async Task Module_OnTheTokenDevNet_RefusesSconeTagsAndMrEnclaveAppsForTdxRunsBeforeSigning()
    {
        var net = fixture.Environment;
        var requester = net.Accounts[6];
        var work = net.Project("iexec-module-tdx-rules-");
        using var rpc = new JsonRpcClient(net.RpcUrl);
        using var module = new ModuleHost(location: work);
        var mrenclave = "{\"framework\":\"SCONE\",\"version\":\"v5.9\",\"entrypoint\":\"node /app/app.js\",\"heapSize\":1073741824,\"fingerprint\":\"" + new string('a', 64) + "\"}";
        var deployed = module.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; Deploy-IExecApp -Name $name -Multiaddr $m -Checksum $sum -MrEnclave $mr -Confirm:$false",
            new Dictionary<string, object?>
            {
                ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["name"] = "scone-on-tdx-" + Guid.NewGuid().ToString("N")[..8],
                ["m"] = new Uri(AppScript).AbsoluteUri, ["sum"] = "0x" + new string('1', 64), ["mr"] = mrenclave,
            });
        Assert.True(deployed.AllErrors.Count == 0, string.Join(" | ", deployed.AllErrors));
        var app = Assert.IsType<IExecApp>(deployed.Output[^1].BaseObject).Address;
        var nonce = await rpc.GetTransactionCountAsync(requester.Address);

        var scone = module.Run("Invoke-IExecApp -App $app -Tag tee,scone -Force", new Dictionary<string, object?> { ["app"] = app });
        var mrEnclave = module.Run("Invoke-IExecApp -App $app -Tag tee,tdx -Force", new Dictionary<string, object?> { ["app"] = app });

        Assert.Equal("LegacyTeeFrameworkTag,IExecSecrets.Commands.InvokeIExecAppCommand", Assert.Single(scone.AllErrors).FullyQualifiedErrorId);
        Assert.Equal("AppMrEnclaveNotSupported,IExecSecrets.Commands.InvokeIExecAppCommand", Assert.Single(mrEnclave.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(nonce, await rpc.GetTransactionCountAsync(requester.Address));
        Directory.Delete(work, recursive: true);
    }

    private static string Expected(int[] coefficients, int x) =>
        $"{{\"x\":{x},\"result\":{coefficients.Aggregate(BigInteger.Zero, (sum, c) => sum * x + c).ToString(CultureInfo.InvariantCulture)}}}";

    private async Task<CliResult> Cli(string work, params string[] arguments)
    {
        var result = await IExecCli.RunV9Async(work, arguments);
        output.WriteLine($"iexec9 {string.Join(' ', arguments.Take(2))}: exit {result.ExitCode} {result.StdOut.Trim()}");
        Assert.True(result.ExitCode == 0, $"iexec9 {string.Join(' ', arguments.Take(2))}: exit {result.ExitCode}: {result.StdErr}{result.StdOut}");
        return result;
    }
}
