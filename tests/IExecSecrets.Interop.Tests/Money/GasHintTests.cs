namespace IExecSecrets.Interop.Tests.Money;

/// <summary>
/// A transaction's gas hint (the gas a call of the same shape needed moments ago) against the real PoCo app registry
/// on anvil, through a recording and lying RPC proxy: a hint that fits is used after one probe instead of an estimate;
/// a hint that does not fit, or lies above the call's ceiling, falls back to the estimate; a node that lies that the
/// probe fits gets a transaction that runs out of gas on chain, reported reverted, never done. The oracle for each
/// limit is the transaction the chain holds and the node's own estimate as the proxy saw it.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class GasHintTests(DevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task HintThatFits_IsProbedOnceAndSent_WithoutAnEstimate()
    {
        using var wallet = await FundedWalletAsync();
        var call = await CreateAppCallAsync(wallet);
        var hint = await EstimateAsync(wallet, call) * 3 / 2;
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        using var rpc = new JsonRpcClient(proxy.Url);

        var receipt = await Sender(rpc, wallet).SendAsync(call with { GasHint = hint });

        Assert.True(receipt.Succeeded);
        Assert.Equal(0, proxy.Count("eth_estimateGas"));
        var probe = Assert.Single(Probes(proxy));
        Assert.Equal(hint, Quantity(probe.Params[0]!["gas"]!.GetValue<string>()));
        Assert.Equal(hint, await SentGasAsync(receipt.TransactionHash));
    }

    [Fact]
    public async Task HintTooLow_FallsBackToTheEstimatePlusTheMargin()
    {
        using var wallet = await FundedWalletAsync();
        var call = await CreateAppCallAsync(wallet);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        BigInteger? estimated = null;
        proxy.Rewrite = (c, answer) =>
        {
            if (c.Method == "eth_estimateGas") estimated = Quantity(HostileRpcProxy.ResultOf(answer)!.GetValue<string>());
            return null;
        };
        using var rpc = new JsonRpcClient(proxy.Url);

        var receipt = await Sender(rpc, wallet).SendAsync(call with { GasHint = 40_000 });

        Assert.True(receipt.Succeeded);
        Assert.Single(Probes(proxy));
        Assert.Equal(1, proxy.Count("eth_estimateGas"));
        Assert.Equal(estimated!.Value * 120 / 100, await SentGasAsync(receipt.TransactionHash));
    }

    [Fact]
    public async Task HintAboveTheCeiling_IsNotProbed_AndTheEstimateDecides()
    {
        using var wallet = await FundedWalletAsync();
        var call = await CreateAppCallAsync(wallet) with { GasCeiling = 2_000_000 };
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        using var rpc = new JsonRpcClient(proxy.Url);

        var receipt = await Sender(rpc, wallet).SendAsync(call with { GasHint = 2_000_001 });

        Assert.True(receipt.Succeeded);
        Assert.Empty(Probes(proxy));
        Assert.Equal(1, proxy.Count("eth_estimateGas"));
        Assert.True(await SentGasAsync(receipt.TransactionHash) < 2_000_001);
    }

    [Fact]
    public async Task NodeLiesThatATooLowHintFits_TheTransactionRevertsOnChain_AndIsReportedReverted()
    {
        using var wallet = await FundedWalletAsync();
        var call = await CreateAppCallAsync(wallet);
        var apps = await AppsOwnedAsync(wallet.Address);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        // Every probe "fits": the node answers success without running it.
        proxy.Answer = c => c.Method == "eth_call" && c.Params[0] is JsonObject o && o["gas"] is not null ? c.Answer("0x") : null;
        using var rpc = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => Sender(rpc, wallet).SendAsync(call with { GasHint = 40_000 }));

        Assert.Equal(ErrorIds.TransactionReverted, error.ErrorId);
        Assert.Equal(1, proxy.Count("eth_sendRawTransaction"));
        var hash = Assert.IsType<string>(error.Target);
        var receipt = await Net.Rpc.GetReceiptAsync(hash);
        Assert.False(receipt!.Succeeded);
        Assert.Equal(new BigInteger(40_000), await SentGasAsync(hash));
        Assert.Equal(apps, await AppsOwnedAsync(wallet.Address));
    }

    private static IEnumerable<RpcCall> Probes(HostileRpcProxy proxy) =>
        proxy.Calls.Where(c => c.Method == "eth_call" && c.Params[0] is JsonObject o && o["gas"] is not null);

    private TransactionSender Sender(JsonRpcClient rpc, WalletKey wallet) =>
        new(rpc, wallet, Net.ChainId, new TransactionSenderOptions { FeeMode = FeeMode.Eip1559 });

    private async Task<TransactionCall> CreateAppCallAsync(WalletKey wallet)
    {
        var registry = await new PoCoHub(Net.Rpc, Net.Hub).AppRegistryAsync();
        return new TransactionCall(registry, AppRegistry.EncodeCreateApp(HostileNodeSendTests.NewApp(wallet.Address))) { Label = "createApp" };
    }

    private async Task<BigInteger> EstimateAsync(WalletKey wallet, TransactionCall call) =>
        JsonRpcClient.ParseQuantity(await Net.Rpc.CallAsync("eth_estimateGas",
            [new JsonObject { ["from"] = wallet.Address.ToLowerHex(), ["to"] = call.To!.Value.ToLowerHex(), ["data"] = Hex.Encode(call.Data) }]));

    private async Task<BigInteger> SentGasAsync(string hash) =>
        JsonRpcClient.ParseQuantity((await Net.Rpc.CallAsync("eth_getTransactionByHash", [hash])).GetProperty("gas"));

    private Task<WalletKey> FundedWalletAsync() => HostileNodeSendTests.FundedWalletAsync(Net);

    private Task<BigInteger> AppsOwnedAsync(EthAddress owner) => HostileNodeSendTests.AppsOwnedAsync(Net, owner);

    private static BigInteger Quantity(string hex) => JsonRpcClient.ParseQuantity(JsonSerializer.SerializeToElement(hex));
}
