namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Separate Invoke-IExecApp commands of one PowerShell process (a runbook's <c>foreach</c>) through a recording RPC
/// proxy in front of the real PoCo contracts on anvil: a second command of the same shape reuses the first one's
/// chain reads and checked market orders after one recheck batch, and sizes its matchOrders with one probe at the gas
/// the first one needed; what may have changed in between (the node's chain id, an order cancelled on chain) is seen
/// by that recheck. Each test has its own funded requester and its own app, so no other test's plans are reused.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class SeparateRunsTests(DevNetFixture fixture)
{
    private const string RunScript = "Invoke-IExecApp -App $app -Tag tee,scone -Arguments $x -Force -Verbose";

    private DevNetEnvironment Net => fixture.Environment;

    private ChainProfile Chain => ChainResolver.FromDirectory(Net.Directory).Resolve();

    private Eip712Domain Domain => Eip712Domain.ForHub(Net.ChainId, Net.Hub);

    [Fact]
    public async Task SecondCommand_SameShape_ReusesThePlanAfterOneRecheckBatch_AndSendsTheProbedGas()
    {
        var (requester, app, proxy, module) = await FirstRunAsync();
        await using var proxyLifetime = proxy;
        using var moduleLifetime = module;
        var first = RunOnce(module, app, "1");
        proxy.Reset();

        var second = RunOnce(module, app, "2");

        Assert.Contains(second.Verbose, v => v.StartsWith("Reused the chain reads and the checked market orders of a run of ", StringComparison.Ordinal));
        Assert.DoesNotContain(first.Verbose, v => v.StartsWith("Reused", StringComparison.Ordinal));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(second.Output).BaseObject);
        // The chain says what the second deal is: this requester's, this app's, with the second command's params.
        var onChain = await new PoCoHub(Net.Rpc, Net.Hub).ViewDealAsync(Hex.Decode(deal.DealId));
        Assert.Equal(requester, onChain.Requester);
        Assert.Equal(app, onChain.App.Pointer);
        Assert.Contains("\"iexec_args\":\"2\"", onChain.Params);
        // One recheck batch: the chain id asked once, the hub's constants and the registrations not read again.
        Assert.Equal(1, proxy.Count("eth_chainId"));
        Assert.DoesNotContain(proxy.Calls, c => c.Selector == Selector("domain()"));
        Assert.DoesNotContain(proxy.Calls, c => c.Selector == Selector("isRegistered(address)"));
        // The gas: one probe at the hinted limit instead of an estimate, and that limit is what the chain holds.
        Assert.Equal(0, proxy.Count("eth_estimateGas"));
        var probe = Assert.Single(proxy.Calls, c => c.Method == "eth_call" && c.Params[0] is JsonObject call && call["gas"] is not null);
        var sent = await Net.Rpc.CallAsync("eth_getTransactionByHash", [deal.TxHash]);
        Assert.Equal(JsonRpcClient.ParseQuantity(sent.GetProperty("gas")), Quantity(probe.Params[0]!["gas"]!.GetValue<string>()));
        Assert.Equal(1, proxy.Count("eth_sendRawTransaction"));
        Assert.True(proxy.Requests < 23, $"{proxy.Requests} JSON-RPC requests for the second command");
    }

    [Fact]
    public async Task SecondCommand_NodeNowServesAnotherChain_FailsChainIdMismatch_AndSendsNothing()
    {
        var (requester, app, proxy, module) = await FirstRunAsync();
        await using var proxyLifetime = proxy;
        using var moduleLifetime = module;
        RunOnce(module, app, "1");
        var nonce = await Net.Rpc.GetTransactionCountAsync(requester, "latest");
        proxy.Reset();
        proxy.Answer = call => call.Method == "eth_chainId" ? call.Answer("0x1") : null;

        var second = module.Run("$app = '" + app + "'; $x = '2'; " + RunScript);

        var error = Assert.Single(second.AllErrors);
        Assert.Equal("ChainIdMismatch,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.Equal(0, proxy.Count("eth_estimateGas"));
        Assert.Equal(nonce, await Net.Rpc.GetTransactionCountAsync(requester, "latest"));
    }

    [Fact]
    public async Task SecondCommand_AppOrderCancelledOnChainMeanwhile_IsNotReused_AndTheReplacementOrderIsConsumed()
    {
        var (key, _) = await FundedRequesterAsync();
        var developer = Net.Accounts[1];
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, developer, Chain);
        var cancelled = await PublishAppOrderAsync(app);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        using var module = new ModuleHost(location: WorkDirectory(proxy.Url));
        Connect(module, key);
        RunOnce(module, app, "1");
        Assert.Equal(BigInteger.One, await ConsumedAsync(cancelled));
        await Net.CreateSender(developer).SendAsync(Net.Hub, OrderManagement.EncodeClose(cancelled));
        var replacement = await PublishAppOrderAsync(app);

        var second = RunOnce(module, app, "2");

        Assert.DoesNotContain(second.Verbose, v => v.StartsWith("Reused", StringComparison.Ordinal));
        Assert.Equal(cancelled.Volume, await ConsumedAsync(cancelled)); // PoCo's cancel: consumed = volume
        Assert.Equal(BigInteger.One, await ConsumedAsync(replacement));
        Assert.IsType<IExecDeal>(Assert.Single(second.Output).BaseObject);
    }

    // A funded requester of its own, connected in a module host whose chain.json points at a recording proxy, and a
    // fresh app of the developer's with an app order on the dev market.
    private async Task<(EthAddress Requester, EthAddress App, HostileRpcProxy Proxy, ModuleHost Module)> FirstRunAsync()
    {
        var (key, requester) = await FundedRequesterAsync();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, Net.Accounts[1], Chain);
        await PublishAppOrderAsync(app);
        var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var module = new ModuleHost(location: WorkDirectory(proxy.Url));
        Connect(module, key);
        return (requester, app, proxy, module);
    }

    private static RunResult RunOnce(ModuleHost module, EthAddress app, string x)
    {
        var run = module.Run("$app = '" + app + "'; $x = '" + x + "'; " + RunScript);
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return run;
    }

    private static void Connect(ModuleHost module, string key)
    {
        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new() { ["k"] = ModuleHost.Secure(key) });
        Assert.Empty(run.AllErrors);
    }

    private async Task<(string Key, EthAddress Address)> FundedRequesterAsync()
    {
        var key = Hex.Encode(RandomNumberGenerator.GetBytes(32));
        using var wallet = WalletKey.FromHex(key);
        await Net.CreateSender(Net.Accounts[0]).SendAsync(wallet.Address, [], BigInteger.Pow(10, 18));
        return (key, wallet.Address);
    }

    private async Task<AppOrder> PublishAppOrderAsync(EthAddress app)
    {
        var developer = Net.Accounts[1];
        var order = new AppOrder { App = app, Volume = 100, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(developer, Domain);
        using var market = new MarketClient(Net.Market.Url);
        await market.PublishAppOrderAsync(order, Net.ChainId, developer, Hex.Encode(order.Hash(Domain)));
        return order;
    }

    private async Task<BigInteger> ConsumedAsync(AppOrder order) =>
        await new PoCoHub(Net.Rpc, Net.Hub).ViewConsumedAsync(order.Hash(Domain));

    private static string Selector(string signature) => Hex.Encode(Keccak256.HashUtf8(signature)[..4]);

    private string WorkDirectory(Uri rpc)
    {
        var work = Directory.CreateTempSubdirectory("iexec-separate-runs-").FullName;
        var chain = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        chain["chains"]!["devnet"]!["host"] = rpc.ToString().TrimEnd('/');
        File.WriteAllText(Path.Combine(work, "chain.json"), chain.ToJsonString());
        return work;
    }

    private static BigInteger Quantity(string hex) => JsonRpcClient.ParseQuantity(JsonSerializer.SerializeToElement(hex));
}
