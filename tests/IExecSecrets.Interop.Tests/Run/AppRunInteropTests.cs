using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// The run side end to end on the devnet: real anvil + PoCo, the devnet market (app order published by the
/// developer, workerpool order by the pool), the dev SMS holding the secrets, the devnet worker running the
/// tutorial app enclave/js/app.js, and its IPFS-like result store.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class AppRunInteropTests(DevNetFixture fixture, ITestOutputHelper output)
{
    private const string Coefficients = "1;2;3;4";

    internal static string TutorialAppMultiaddr => "file://" + Path.Combine(RepoPaths.JsApp, "app.js");

    [Fact]
    public async Task Run_MarketOrders_CompletesAndTheResultHoldsFOfX()
    {
        var net = fixture.Environment;
        var developer = net.Accounts[1];
        var requester = net.Accounts[7];
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        var app = await DeployTutorialAppAsync(net, developer, chain);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        await PublishAppOrderAsync(net, market, developer, app, chain);
        var secretName = "x-" + Guid.NewGuid().ToString("N")[..8];
        using (var sms = new SmsClient(net.SmsUrl))
        {
            await sms.PushAppSecretAsync(developer, app, Encoding.UTF8.GetBytes(Coefficients));
            await sms.PushRequesterSecretAsync(requester, secretName, Encoding.UTF8.GetBytes("3"));
        }
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(counter));
        var runner = new AppRunner(rpc, chain, market);
        var request = new AppRunRequest
        {
            App = app,
            Tag = OrderTag.Parse("tee,scone"),
            Params = new RequestParamsBuilder { Secrets = SecretMapping.ParseItems([$"1={secretName}"]) },
        };

        var clock = Stopwatch.StartNew();
        var context = await runner.LoadAsync(request, requester.Address);
        (await runner.PreflightAsync(context)).ThrowIfFailed();
        var plan = await runner.PlanAsync(context, requester);
        var deal = await runner.MatchAsync(plan, requester);
        clock.Stop();
        var rpcRequests = counter.Requests;
        output.WriteLine($"call-to-deal: {clock.ElapsedMilliseconds} ms, {rpcRequests} RPC requests ({counter.Count("eth_sendRawTransaction")} sendRawTransaction)");
        var watcher = new DealWatcher(rpc, chain.Hub!.Value);
        var tasks = await watcher.WatchAsync(Hex.Decode(deal.DealId), TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromMinutes(2));
        var task = Assert.Single(tasks);
        var folder = Directory.CreateTempSubdirectory("iexec-result-").FullName;
        using var downloader = new TaskResultDownloader(new Uri(chain.IpfsGateway!));
        await downloader.DownloadAsync(task, Path.Combine(folder, "result.zip"));
        TaskResultDownloader.Expand(Path.Combine(folder, "result.zip"), Path.Combine(folder, "out"));

        Assert.Equal("Market", plan.AppOrderSource);
        Assert.Equal("Market", plan.WorkerpoolOrderSource);
        Assert.Equal(net.Workerpool, plan.WorkerpoolOrder.Workerpool);
        Assert.Equal(Hex.Encode(ExecutionIds.DealId(plan.RequestOrder.Hash(context.Domain), 0)), deal.DealId);
        Assert.Equal(Hex.Encode(ExecutionIds.TaskId(Hex.Decode(deal.DealId), 0)), Assert.Single(deal.TaskIds));
        Assert.True(task.Status == PoCoTaskStatus.Completed, $"task ended {task.StatusName}: {net.Worker.GetReport(task.TaskId)}");
        Assert.Equal("COMPLETED", task.StatusName);
        Assert.Equal("ipfs", task.ResultStorage);
        Assert.Equal("{\"x\":3,\"result\":58}", File.ReadAllText(Path.Combine(folder, "out", "result.txt")));
        Assert.Equal(1, counter.Count("eth_sendRawTransaction"));
        Assert.True(rpcRequests < 25, $"{rpcRequests} RPC requests from call to deal");
        var onChain = await new PoCoHub(rpc, chain.Hub!.Value).ViewDealAsync(Hex.Decode(deal.DealId));
        Assert.Equal(plan.Context.Params.Json, onChain.Params);
        Assert.Equal("{\"iexec_secrets\":{\"1\":\"" + secretName + "\"},\"iexec_result_storage_provider\":\"ipfs\"}", onChain.Params);

        // The official iexec 8.24 CLI reads the same deal and task through its own ABI and status logic.
        var cliDeal = await IExecCli.RunAsync(net.Directory, "deal", "show", deal.DealId, "--chain", "devnet");
        var cliTask = await IExecCli.RunAsync(net.Directory, "task", "show", task.TaskId, "--chain", "devnet");
        Assert.True(cliDeal.ExitCode == 0, cliDeal.StdErr + cliDeal.StdOut);
        Assert.True(cliTask.ExitCode == 0, cliTask.StdErr + cliTask.StdOut);
        var shownDeal = System.Text.Json.Nodes.JsonNode.Parse(cliDeal.StdOut)!["deal"]!;
        var shownTask = System.Text.Json.Nodes.JsonNode.Parse(cliTask.StdOut)!["task"]!;
        Assert.Equal(app.ToString(), shownDeal["app"]!["pointer"]!.GetValue<string>());
        Assert.Equal(net.Workerpool.ToString(), shownDeal["workerpool"]!["pointer"]!.GetValue<string>());
        Assert.Equal(onChain.Params, shownDeal["params"]!.GetValue<string>());
        Assert.Equal(task.TaskId, shownDeal["tasks"]![0]!.GetValue<string>());
        var dealInfo = await watcher.GetDealAsync(Hex.Decode(deal.DealId));
        Assert.Equal(shownDeal["finalTime"]!.GetValue<string>(), dealInfo.FinalDeadline.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(shownTask["finalDeadline"]!.GetValue<string>(), task.FinalDeadline!.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(shownTask["taskTimedOut"]!.GetValue<bool>(), task.TimedOut);
        Assert.Equal(task.StatusName, shownTask["statusName"]!.GetValue<string>());
        Assert.Equal(task.ResultLocation, shownTask["results"]!["location"]!.GetValue<string>());
    }

    // The time it takes is a figure, not a test (issue 17): bench/IExecSecrets.Bench measures it ("run" mode) against
    // the iexec CLI on an idle machine, into docs/benchmarks.md. Here only the request count, which is behaviour.
    [Fact]
    public async Task CallToDeal_Warm_TakesFewRpcRequests()
    {
        var net = fixture.Environment;
        var developer = net.Accounts[1];
        var requester = net.Accounts[7];
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        var app = await DeployTutorialAppAsync(net, developer, chain);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        await PublishAppOrderAsync(net, market, developer, app, chain);
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(counter));
        var runner = new AppRunner(rpc, chain, market);
        var request = new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone"), Params = new RequestParamsBuilder { Args = "2" } };
        async Task<AppRunDeal> RunAsync()
        {
            var context = await runner.LoadAsync(request, requester.Address);
            (await runner.PreflightAsync(context)).ThrowIfFailed();
            return await runner.MatchAsync(await runner.PlanAsync(context, requester), requester);
        }
        await RunAsync();
        counter.Reset();

        var deal = await RunAsync();

        output.WriteLine($"warm call-to-deal: {counter.Requests} RPC requests: "
            + string.Join(", ", counter.Bodies.Select(b => System.Text.RegularExpressions.Regex.Matches(b, "\"method\":\"([a-zA-Z_]+)\"").Select(m => m.Groups[1].Value)).Select(m => string.Join("+", m))));
        Assert.Matches("^0x[0-9a-f]{64}$", deal.DealId);
        Assert.True(counter.Requests < 25, $"{counter.Requests} RPC requests");
    }

    [Fact]
    public async Task Match_AnswerOfSendRawTransactionLost_IsReconciledByHashAndSentOnce()
    {
        var (net, owner, chain, app) = await TutorialAppAsync(fixture.Environment, 8);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(counter), firstRetryDelay: TimeSpan.FromMilliseconds(20));
        var runner = new AppRunner(rpc, chain, market);
        var request = new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone"), Params = new RequestParamsBuilder { Args = "lost answer" } };
        var context = await runner.LoadAsync(request, owner.Address);
        var plan = await runner.PlanAsync(context, owner);
        counter.DropAnswerOnce["eth_sendRawTransaction"] = 1;
        counter.DropAnswerOnce["eth_getTransactionReceipt"] = 1;

        var deal = await runner.MatchAsync(plan, owner);

        Assert.Equal("Self", plan.AppOrderSource);
        Assert.Equal(1, counter.Count("eth_sendRawTransaction"));
        Assert.NotNull(deal.TransactionHash);
        Assert.Equal(Hex.Encode(ExecutionIds.DealId(plan.RequestOrder.Hash(context.Domain), 0)), deal.DealId);
        Assert.True((await new PoCoHub(rpc, chain.Hub!.Value).ViewDealAsync(Hex.Decode(deal.DealId))).Exists);
    }

    [Fact]
    public async Task Watch_RpcHiccups_AreReportedAndWatchingGoesOn()
    {
        var (net, owner, chain, app) = await TutorialAppAsync(fixture.Environment, 8);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        using (var sms = new SmsClient(net.SmsUrl)) await sms.PushAppSecretAsync(owner, app, Encoding.UTF8.GetBytes(Coefficients));
        using var setupRpc = new JsonRpcClient(net.RpcUrl);
        var runner = new AppRunner(setupRpc, chain, market);
        var context = await runner.LoadAsync(new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone") }, owner.Address);
        var deal = await runner.MatchAsync(await runner.PlanAsync(context, owner), owner);
        var flaky = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(flaky), maxRetries: 0);
        flaky.DropAnswerOnce["eth_call"] = 1;
        var reports = new List<DealProgress>();

        var tasks = await new DealWatcher(rpc, chain.Hub!.Value).WatchAsync(Hex.Decode(deal.DealId), TimeSpan.FromMilliseconds(100), new SyncProgress(reports.Add))
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Contains(reports, r => r.Hiccup is not null);
        Assert.Equal(PoCoTaskStatus.Completed, Assert.Single(tasks).Status);
    }

    [Fact]
    public async Task GetTask_UninitialisedTaskPastTheDealDeadline_ReadsTimeout()
    {
        var (net, owner, chain, app) = await TutorialAppAsync(fixture.Environment, 9);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        using var rpc = new JsonRpcClient(net.RpcUrl);
        var runner = new AppRunner(rpc, chain, market);
        var context = await runner.LoadAsync(new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone") }, owner.Address);
        var matched = await runner.MatchAsync(await runner.PlanAsync(context, owner), owner);
        var deal = await new DealWatcher(rpc, chain.Hub!.Value).GetDealAsync(Hex.Decode(matched.DealId));
        var ratio = await new PoCoHub(rpc, chain.Hub!.Value).FinalDeadlineRatioAsync();
        var category = await new PoCoHub(rpc, chain.Hub!.Value).ViewCategoryAsync(deal.Deal.Category);
        var neverInitialised = ExecutionIds.TaskId(Hex.Decode(matched.DealId), 7);
        var late = new DealWatcher(rpc, chain.Hub!.Value) { Clock = () => deal.FinalDeadline.AddSeconds(1) };
        var early = new DealWatcher(rpc, chain.Hub!.Value) { Clock = () => deal.FinalDeadline.AddSeconds(-1) };

        var lateTask = await late.GetTaskAsync(neverInitialised, deal);
        var earlyTask = await early.GetTaskAsync(neverInitialised, deal);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)(deal.Deal.StartTime + ratio * category.WorkClockTimeRef)), deal.FinalDeadline);
        Assert.Equal(PoCoTaskStatus.Unset, lateTask.Status);
        Assert.Equal("TIMEOUT", lateTask.StatusName);
        Assert.True(lateTask.IsFinal);
        Assert.Equal("UNSET", earlyTask.StatusName);
    }

    [Fact]
    public async Task Match_SendAndLookupByHashBothLost_FindsTheDealByConsumedVolumeWithoutResending()
    {
        var (net, owner, chain, app) = await TutorialAppAsync(fixture.Environment, 9);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(counter), maxRetries: 0);
        var runner = new AppRunner(rpc, chain, market) { ReconcileDelay = TimeSpan.FromMilliseconds(100) };
        var context = await runner.LoadAsync(new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone") }, owner.Address);
        var plan = await runner.PlanAsync(context, owner);
        counter.DropAnswerOnce["eth_sendRawTransaction"] = 1;
        counter.DropAnswerOnce["eth_getTransactionByHash"] = 1;

        var deal = await runner.MatchAsync(plan, owner);

        Assert.Null(deal.TransactionHash);
        Assert.Equal(1, counter.Count("eth_sendRawTransaction"));
        Assert.Equal(Hex.Encode(ExecutionIds.DealId(plan.RequestOrder.Hash(context.Domain), 0)), deal.DealId);
        Assert.True((await new PoCoHub(rpc, chain.Hub!.Value).ViewDealAsync(Hex.Decode(deal.DealId))).Exists);
    }

    [Fact]
    public async Task Preflight_MappedSecretAbsent_FailsBeforeAnyTransaction()
    {
        var (net, owner, chain, app) = await TutorialAppAsync(fixture.Environment, 9);
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(net.RpcUrl, new HttpClient(counter));
        var runner = new AppRunner(rpc, chain);
        var request = new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,scone"), Params = new RequestParamsBuilder { Secrets = SecretMapping.ParseItems(["1=never-pushed"]) } };

        var context = await runner.LoadAsync(request, owner.Address);
        // The load takes one or two batches (two unless an earlier reader of this process left its registries as a
        // guess); the preflight asks the SMS and the node nothing more.
        var loadRequests = counter.Requests;
        var report = await runner.PreflightAsync(context);
        var error = Assert.Throws<IExecException>(report.ThrowIfFailed);
        var mismatch = await runner.PreflightAsync(context with { Request = request with { Tag = OrderTag.Parse("tee,gramine") } });

        Assert.Equal(ErrorIds.RequesterSecretMissing, error.ErrorId);
        Assert.Equal(["never-pushed"], report.MissingRequesterSecrets);
        Assert.True(mismatch.TagMismatch);
        Assert.Equal(ErrorIds.AppTagMismatch, Assert.Throws<IExecException>(mismatch.ThrowIfFailed).ErrorId);
        Assert.Equal(0, counter.Count("eth_sendRawTransaction"));
        Assert.InRange(loadRequests, 1, 2);
        Assert.Equal(loadRequests, counter.Requests);
    }

    [Fact]
    public async Task Plan_NoWorkerpoolOrderForTheTag_NamesTheConditionsTried()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[9];
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        var app = await DeployTutorialAppAsync(net, owner, chain, gramine: true);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        using var rpc = new JsonRpcClient(net.RpcUrl);
        var runner = new AppRunner(rpc, chain, market);
        var context = await runner.LoadAsync(new AppRunRequest { App = app, Tag = OrderTag.Parse("tee,gramine") }, owner.Address);

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PlanAsync(context, owner));

        Assert.Equal(ErrorIds.NoWorkerpoolOrder, error.ErrorId);
        Assert.StartsWith("No workerpoolorder matching your conditions currently available (tried: workerpool any, tag ⊇ 0x", error.Message);
        Assert.Contains("(tee,gramine)", error.Message);
        Assert.Contains("categories 0,", error.Message);
    }

    /// <summary>
    /// The tutorial app freshly deployed on <paramref name="net"/> by its account <paramref name="account"/>, with that
    /// account and the chain profile of the devnet folder: the set-up most run tests start from.
    /// </summary>
    internal static async Task<(DevNetEnvironment Net, DevNetAccount Owner, ChainProfile Chain, EthAddress App)> TutorialAppAsync(DevNetEnvironment net, int account)
    {
        var owner = net.Accounts[account];
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        return (net, owner, chain, await DeployTutorialAppAsync(net, owner, chain));
    }

    internal static async Task<EthAddress> DeployTutorialAppAsync(DevNetEnvironment net, DevNetAccount owner, ChainProfile chain, bool gramine = false)
    {
        var name = "run-" + Guid.NewGuid().ToString("N")[..10];
        var mrEnclave = gramine
            ? """{"framework":"GRAMINE","version":"v0","fingerprint":"c8790000000000000000000000000000000000000000000000000000000003641"}"""
            : """{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}""";
        var descriptor = AppDescriptor.Create(owner.Address.ToString(), name, "DOCKER", TutorialAppMultiaddr, Hex.Encode(Keccak256.HashUtf8(name)), mrEnclave);
        using var rpc = new JsonRpcClient(net.RpcUrl);
        return (await new AppDeployer(rpc, chain).DeployAsync(descriptor, owner, null)).Address;
    }

    internal static async Task PublishAppOrderAsync(DevNetEnvironment net, MarketClient market, DevNetAccount developer, EthAddress app, ChainProfile chain)
    {
        var domain = Eip712Domain.ForHub(chain.ChainId, net.Hub);
        var order = new AppOrder { App = app, Volume = 100, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(developer, domain);
        var hash = await market.PublishAppOrderAsync(order, chain.ChainId, developer, Hex.Encode(order.Hash(domain)));
        Assert.Equal(Hex.Encode(order.Hash(domain)), hash);
    }

    private sealed class SyncProgress(Action<DealProgress> report) : IProgress<DealProgress>
    {
        public void Report(DealProgress value)
        {
            lock (this) report(value);
        }
    }
}
