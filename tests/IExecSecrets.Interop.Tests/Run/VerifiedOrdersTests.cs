using IExecSecrets.Core.Execution;
using IExecSecrets.Interop.Tests.Market;
using IExecSecrets.Interop.Tests.Worker;

using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// A market that lies, against the real devnet chain: orders for another app, signed by someone who does not own the
/// app or the pool, over-priced, with a tag or a restriction that does not fit, or exhausted on chain, are skipped
/// with their reason; none left fails <c>NoAcceptableOrder</c> with nothing signed and nothing sent; a good order
/// after bad ones is used, and the deal made on chain is for the app the requester asked for. An RPC node that lies
/// about the hub's EIP-712 domain stops the run before anything is signed.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class VerifiedOrdersTests(DevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    private DevNetAccount Developer => Net.Accounts[1];

    private DevNetAccount PoolOwner => Net.Accounts[2];

    private DevNetAccount Requester => Net.Accounts[3];

    private DevNetAccount Stranger => Net.Accounts[5];

    private static readonly byte[] TeeScone = OrderTag.Parse("tee,scone");

    private Eip712Domain Domain => Eip712Domain.ForHub(Net.ChainId, Net.Hub);

    private AppOrder GoodAppOrder(EthAddress app, long volume = 5) =>
        new AppOrder { App = app, Volume = volume, Tag = TeeScone, Salt = OrderSalt.New() }.SignWith(Developer, Domain);

    private WorkerpoolOrder GoodPoolOrder() =>
        new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 100, Tag = TeeScone, Category = 0, Salt = OrderSalt.New() }.SignWith(PoolOwner, Domain);

    public static TheoryData<string, string> BadAppOrders() => new()
    {
        { "another app", "not for the requested app" },
        { "another owner", "not by the app owner" },
        { "over-priced", "its price 5 nRLC is above -AppMaxPrice (0 nRLC)" },
        { "wrong tag", "its tag tee,gramine lacks tee,scone" },
        { "restricted", "it is restricted to requester" },
        { "malformed signature", "its signature is malformed" },
    };

    private async Task<AppOrder> BadAppOrderAsync(string kind, EthAddress app) => kind switch
    {
        "another app" => new AppOrder { App = await new RunHarness(Net).DeployAppAsync("docker.io/example/other-app:1.0.0", null), Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() }
            .SignWith(Developer, Domain),
        "another owner" => new AppOrder { App = app, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() }.SignWith(Stranger, Domain),
        "over-priced" => new AppOrder { App = app, AppPrice = 5, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() }.SignWith(Developer, Domain),
        "wrong tag" => new AppOrder { App = app, Volume = 5, Tag = OrderTag.Parse("tee,gramine"), Salt = OrderSalt.New() }.SignWith(Developer, Domain),
        "restricted" => new AppOrder { App = app, Volume = 5, Tag = TeeScone, RequesterRestrict = Stranger.Address, Salt = OrderSalt.New() }.SignWith(Developer, Domain),
        "malformed signature" => new AppOrder { App = app, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New(), Sign = "0x" + new string('f', 130) },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(BadAppOrders))]
    public async Task Plan_MarketAnswersOnlyABadAppOrder_FailsNoAcceptableOrderWithTheReasonAndSignsNothing(string kind, string reason)
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-" + kind.Replace(' ', '-') + ":1.0.0", null);
        using var market = new HostileMarket();
        market.AppOrders.Add(HostileMarket.Entry(await BadAppOrderAsync(kind, app), Domain));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(GoodPoolOrder(), Domain));
        var signer = new CountingSigner(Requester);
        var (runner, context) = await LoadAsync(market, new AppRunRequest { App = app, Tag = TeeScone });

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PlanAsync(context, signer));

        Assert.Equal(ErrorIds.NoAcceptableOrder, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, error.Category);
        Assert.Contains("The market offered 1 app order(s) for " + app, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("Nothing was signed", error.RecommendedAction);
        Assert.Equal(0, signer.Count);
        Assert.Equal(0, market.WriteCount);
    }

    [Fact]
    public async Task Plan_BadAppOrdersBeforeAGoodOne_SkipsEachWithItsReason_AndTheDealIsForTheRequestedApp()
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-mixed:1.0.0", null);
        using var market = new HostileMarket();
        foreach (var kind in new[] { "another app", "another owner", "over-priced", "restricted" })
            market.AppOrders.Add(HostileMarket.Entry(await BadAppOrderAsync(kind, app), Domain));
        var good = GoodAppOrder(app);
        market.AppOrders.Add(HostileMarket.Entry(good, Domain));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(GoodPoolOrder(), Domain));
        var (runner, context) = await LoadAsync(market, new AppRunRequest { App = app, Tag = TeeScone });

        var prepared = await runner.PrepareAsync(context);
        var plan = runner.Sign(prepared, Requester);
        var deal = await runner.MatchAsync(plan, Requester);

        Assert.False(prepared.IsSigned);
        Assert.Equal("0x", prepared.RequestOrder.Sign);
        Assert.Equal(Hex.Encode(good.Hash(Domain)), Hex.Encode(plan.AppOrder.Hash(Domain)));
        Assert.Equal(4, plan.RefusedOrders.Count);
        Assert.All(plan.RefusedOrders, r => Assert.Equal("apporder", r.Kind));
        Assert.Contains("not for the requested app", plan.RefusedOrders[0].Reason);
        Assert.Contains("not by the app owner", plan.RefusedOrders[1].Reason);
        Assert.Contains("above -AppMaxPrice", plan.RefusedOrders[2].Reason);
        Assert.Contains("restricted to requester", plan.RefusedOrders[3].Reason);
        // The request order carries what the requester asked for, not what an order said.
        Assert.Equal(app, plan.RequestOrder.App);
        Assert.Equal(BigInteger.Zero, plan.RequestOrder.AppMaxPrice);
        Assert.Equal(BigInteger.Zero, plan.RequestOrder.WorkerpoolMaxPrice);
        Assert.Equal(Net.Workerpool, plan.RequestOrder.Workerpool);
        Assert.Equal(0, market.WriteCount);
        using var rpc = new JsonRpcClient(Net.RpcUrl);
        var onChain = await new PoCoHub(rpc, Net.Hub).ViewDealAsync(Hex.Decode(deal.DealId));
        Assert.Equal(app, onChain.App.Pointer);
        Assert.Equal(Developer.Address, onChain.App.Owner);
        Assert.Equal(Net.Workerpool, onChain.Workerpool.Pointer);
    }

    [Fact]
    public async Task Plan_AppOrderExhaustedOnChain_IsRefusedWhateverTheMarketSaysIsRemaining()
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-exhausted:1.0.0", null);
        using var market = new HostileMarket();
        var once = GoodAppOrder(app, volume: 1);
        market.AppOrders.Add(HostileMarket.Entry(once, Domain, remaining: 1));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(GoodPoolOrder(), Domain));
        var (runner, context) = await LoadAsync(market, new AppRunRequest { App = app, Tag = TeeScone });
        await runner.MatchAsync(await runner.PlanAsync(context, Requester), Requester);
        var signer = new CountingSigner(Requester);

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PlanAsync(context, signer));

        Assert.Equal(ErrorIds.NoAcceptableOrder, error.ErrorId);
        Assert.Contains("it is exhausted on chain (volume 1, consumed 1)", error.Message);
        Assert.Equal(0, signer.Count);
    }

    public static TheoryData<string, string> BadWorkerpoolOrders() => new()
    {
        { "another owner", "not by the workerpool owner" },
        { "unregistered pool", "is not a workerpool registered on this hub" },
        { "over-priced", "its price 7 nRLC is above -WorkerpoolMaxPrice (0 nRLC)" },
        { "another category", "its category is 1, not the category 0 looked in" },
        { "restricted", "it is restricted to requester" },
        { "lacks tee", "lacks tee,scone" },
    };

    [Theory]
    [MemberData(nameof(BadWorkerpoolOrders))]
    public async Task Plan_MarketAnswersOnlyABadWorkerpoolOrder_FailsNoAcceptableOrderWithTheReason(string kind, string reason)
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-pool-" + kind.Replace(' ', '-') + ":1.0.0", null);
        using var market = new HostileMarket();
        market.AppOrders.Add(HostileMarket.Entry(GoodAppOrder(app), Domain));
        var pool = new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 100, Tag = TeeScone, Category = 0, Salt = OrderSalt.New() };
        var bad = kind switch
        {
            "another owner" => pool.SignWith(Stranger, Domain),
            "unregistered pool" => (pool with { Workerpool = Stranger.Address }).SignWith(Stranger, Domain),
            "over-priced" => (pool with { WorkerpoolPrice = 7 }).SignWith(PoolOwner, Domain),
            "another category" => (pool with { Category = 1 }).SignWith(PoolOwner, Domain),
            "restricted" => (pool with { RequesterRestrict = Stranger.Address }).SignWith(PoolOwner, Domain),
            "lacks tee" => (pool with { Tag = new byte[32] }).SignWith(PoolOwner, Domain),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        market.WorkerpoolOrders.Add(HostileMarket.Entry(bad, Domain));
        var signer = new CountingSigner(Requester);
        var (runner, context) = await LoadAsync(market, new AppRunRequest { App = app, Tag = TeeScone, Category = 0 });

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PlanAsync(context, signer));

        Assert.Equal(ErrorIds.NoAcceptableOrder, error.ErrorId);
        Assert.Contains("workerpool order(s) for any workerpool", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(0, signer.Count);
    }

    [Fact]
    public async Task Plan_WorkerpoolOrderOfAnotherPoolThanTheNamedOne_IsRefused()
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-named-pool:1.0.0", null);
        using var market = new HostileMarket();
        market.AppOrders.Add(HostileMarket.Entry(GoodAppOrder(app), Domain));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(GoodPoolOrder(), Domain));
        var (runner, context) = await LoadAsync(market, new AppRunRequest { App = app, Tag = TeeScone, Category = 0, Workerpool = Net.Accounts[9].Address },
            checkRegistration: false);

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PrepareAsync(context));

        Assert.Equal(ErrorIds.NoAcceptableOrder, error.ErrorId);
        Assert.Contains($"it is an order for workerpool {Net.Workerpool}, not for the requested workerpool {Net.Accounts[9].Address}", error.Message);
    }

    [Theory]
    [InlineData("chain id")]
    [InlineData("verifying contract")]
    public async Task Load_RpcLiesAboutTheHubDomain_FailsHubDomainMismatchBeforeAnythingIsSigned(string lie)
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-domain:1.0.0", null);
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var handler = new DomainLyingRpcHandler(lie == "chain id" ? 1 : Net.ChainId, lie == "chain id" ? Net.Hub : Stranger.Address);
        using var rpc = new JsonRpcClient(Net.RpcUrl, new HttpClient(handler));
        using var market = new HostileMarket();
        var runner = new AppRunner(rpc, chain, new MarketClient(market.Url));

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.LoadAsync(new AppRunRequest { App = app, Tag = TeeScone }, Requester.Address));

        Assert.Equal(ErrorIds.HubDomainMismatch, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains("nothing was signed", error.Message);
        Assert.Equal(1, handler.Rewritten);
        Assert.Empty(market.Requests);
    }

    [Fact]
    public async Task Load_AfterAnotherReaderOfTheHub_AsksTheRegistriesInTheSameBatch()
    {
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-guess:1.0.0", null);
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var request = new AppRunRequest { App = app, Tag = TeeScone, Workerpool = Net.Workerpool };
        using (var first = new JsonRpcClient(Net.RpcUrl)) await new AppRunner(first, chain).LoadAsync(request, Requester.Address);
        var counter = new CountingRpcHandler();
        using var rpc = new JsonRpcClient(Net.RpcUrl, new HttpClient(counter));

        var context = await new AppRunner(rpc, chain).LoadAsync(request, Requester.Address);

        Assert.Equal(Developer.Address, context.AppOwner);
        Assert.Equal(1, counter.Requests);
    }

    [Fact]
    public async Task Load_NodeNamesAnotherAppRegistryThanTheGuess_AsksThatRegistryAndFindsNoApp()
    {
        // An honest load leaves the real registries as the process's guess; this node then names the workerpool
        // registry as the app registry. The app is registered only in the real one, so an answer taken from the guess
        // would let the load pass: the load must ask the registry the node names and fail AppNotDeployed.
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/verified-guess-lie:1.0.0", null);
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var request = new AppRunRequest { App = app, Tag = TeeScone };
        using (var first = new JsonRpcClient(Net.RpcUrl)) await new AppRunner(first, chain).LoadAsync(request, Requester.Address);
        var poolRegistry = Net.Deployment.WorkerpoolRegistry;
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = HostileRpcProxy.CallAnswers("appregistry()", poolRegistry);
        using var rpc = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAsync<IExecException>(() => new AppRunner(rpc, chain).LoadAsync(request, Requester.Address));

        Assert.Equal(ErrorIds.AppNotDeployed, error.ErrorId);
        var isRegistered = Hex.Encode(Abi.Selector("isRegistered(address)"));
        Assert.Contains(proxy.Calls, c => c.Selector == isRegistered && EthAddress.Parse(c.Params[0]!["to"]!.GetValue<string>()) == poolRegistry);
    }

    private async Task<(AppRunner Runner, AppRunContext Context)> LoadAsync(HostileMarket market, AppRunRequest request, bool checkRegistration = true)
    {
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var rpc = new JsonRpcClient(Net.RpcUrl);
        var runner = new AppRunner(rpc, chain, new MarketClient(market.Url));
        if (checkRegistration) return (runner, await runner.LoadAsync(request, Requester.Address));
        // A named pool that is not deployed fails LoadAsync; load without it, then name it.
        var context = await runner.LoadAsync(request with { Workerpool = null }, Requester.Address);
        return (runner, context with { Request = request, WorkerpoolOwner = Stranger.Address });
    }

    // Forwards JSON-RPC to anvil but answers the hub's domain() with another chain id or verifying contract.
    private sealed class DomainLyingRpcHandler(BigInteger chainId, EthAddress verifyingContract) : DelegatingHandler(new HttpClientHandler())
    {
        public int Rewritten { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            var (rewritten, count) = DomainLie.Rewrite(body, answer, chainId, verifyingContract);
            Rewritten += count;
            response.Content = new StringContent(rewritten, System.Text.Encoding.UTF8, "application/json");
            return response;
        }
    }
}

/// <summary>Rewrites the answers to the hub's <c>domain()</c> in a JSON-RPC exchange (single call or batch).</summary>
internal static class DomainLie
{
    private static readonly string Selector = Hex.Encode(Abi.Selector("domain()"));

    public static (string Answer, int Rewritten) Rewrite(string requestBody, string answerBody, BigInteger chainId, EthAddress verifyingContract)
    {
        if (!requestBody.Contains(Selector, StringComparison.Ordinal)) return (answerBody, 0);
        static IEnumerable<JsonNode> Items(JsonNode node) => node is JsonArray array ? array.Select(n => n!) : [node];
        var ids = Items(JsonNode.Parse(requestBody)!)
            .Where(c => c["params"] is JsonArray { Count: > 0 } p && p[0] is JsonObject call && call["data"]?.GetValue<string>() == Selector)
            .Select(c => c["id"]!.ToJsonString()).ToHashSet();
        var answers = JsonNode.Parse(answerBody)!;
        var lie = Hex.Encode(Abi.Encode("(string,string,uint256,address)", new object?[] { new object?[] { "iExecODB", "5.0.0", chainId, verifyingContract } }));
        var count = 0;
        foreach (var answer in Items(answers))
        {
            if (!ids.Contains(answer["id"]!.ToJsonString())) continue;
            answer["result"] = lie;
            count++;
        }
        return (answers.ToJsonString(), count);
    }

    /// <summary>For a <see cref="HostileRpcProxy"/>: the lying answer to a <c>domain()</c> call, null for any other call.</summary>
    public static string? Answer(RpcCall call, BigInteger chainId, EthAddress verifyingContract) =>
        call.Method == "eth_call" && call.Params[0]?["data"]?.GetValue<string>() == Selector
            ? call.Answer(Hex.Encode(Abi.Encode("(string,string,uint256,address)", new object?[] { new object?[] { "iExecODB", "5.0.0", chainId, verifyingContract } })))
            : null;
}
