using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Money;

/// <summary>
/// A lying RPC node in front of the real PoCo contracts on anvil tries to make the sender spend the wallet's funds or
/// report a transaction failed that is mined later: absurd fee figures, an absurd gas estimate, one nonce answer of
/// pending + 1, transactions that never reach the chain. Each account is fresh, so nonces and app counts are this
/// test's alone; apps owned are counted by the app registry's ERC-721 balanceOf on chain.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class HostileNodeSendTests(DevNetFixture fixture)
{
    private static readonly BigInteger TenToThe16 = BigInteger.Pow(10, 16);

    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task Eip1559_NodeAsksTenToThe16WeiPerGas_NothingIsSigned_AndTheErrorNamesTheCapAndTheFigure()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = call => call.Method == "eth_maxPriorityFeePerGas" ? call.Answer(JsonRpcClient.ToQuantity(TenToThe16)) : null;
        proxy.Rewrite = (call, answer) => call.Method == "eth_getBlockByNumber" ? WithBaseFee(answer, TenToThe16) : null;
        using var rpc = new JsonRpcClient(proxy.Url);
        var cap = new FeeCap(FeeCap.DefaultFor(421614), "the built-in cap of chain 421614");
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions { FeeMode = FeeMode.Eip1559, FeeCap = cap });
        var nonceBefore = await Net.Rpc.GetTransactionCountAsync(wallet.Address, "latest");

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => sender.SendAsync(wallet.Address, [], 1));

        Assert.Equal(ErrorIds.FeeAboveCap, error.ErrorId);
        Assert.Equal(IExecErrorCategory.LimitsExceeded, error.Category);
        Assert.Contains("10 gwei (10000000000 wei)", error.Message); // the cap
        Assert.Contains("20000000 gwei (20000000000000000 wei) per gas", error.Message); // base fee + tip
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.Equal(0, proxy.Count("eth_estimateGas")); // fees are refused before the node sees any calldata
        Assert.Equal(nonceBefore, await Net.Rpc.GetTransactionCountAsync(wallet.Address, "latest"));
    }

    [Fact]
    public async Task Legacy_NodeAsksAGasPriceOfTenToThe16Wei_NothingIsSigned()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = call => call.Method == "eth_gasPrice" ? call.Answer(JsonRpcClient.ToQuantity(TenToThe16)) : null;
        using var rpc = new JsonRpcClient(proxy.Url);
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions { FeeMode = FeeMode.LegacyNodeGasPrice });

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => sender.SendAsync(wallet.Address, [], 1));

        Assert.Equal(ErrorIds.FeeAboveCap, error.ErrorId);
        Assert.Contains("100 gwei (100000000000 wei)", error.Message);
        Assert.Contains("10000000 gwei (10000000000000000 wei)", error.Message);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
    }

    [Fact]
    public async Task NodeEstimatesAbsurdGasForCreateApp_GasAboveCeiling_NothingIsSigned()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = call => call.Method == "eth_estimateGas" ? call.Answer(JsonRpcClient.ToQuantity(1_000_000_000)) : null;
        using var rpc = new JsonRpcClient(proxy.Url);
        var registry = await AppRegistry.FromHubAsync(rpc, new PoCoHub(rpc, Net.Hub));
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions { FeeMode = FeeMode.Eip1559 });

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => registry.CreateAppAsync(sender, NewApp(wallet.Address)));

        Assert.Equal(ErrorIds.GasAboveCeiling, error.ErrorId);
        Assert.Contains("1000000000 gas", error.Message);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.Equal(BigInteger.Zero, await AppsOwnedAsync(wallet.Address));
    }

    [Fact]
    public async Task NodeLiesOnceAboutTheNonce_NoDeployReportedFailedIsMinedLater()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var lied = 0;
        proxy.Rewrite = (call, answer) =>
        {
            if (call.Method != "eth_getTransactionCount" || call.Params[1]?.GetValue<string>() != "pending" || Interlocked.Exchange(ref lied, 1) == 1) return null;
            return call.Answer(JsonRpcClient.ToQuantity(BigInteger.Parse(HostileRpcProxy.ResultOf(answer)!.GetValue<string>()[2..], System.Globalization.NumberStyles.HexNumber) + 1));
        };
        using var rpc = new JsonRpcClient(proxy.Url);
        var registry = await AppRegistry.FromHubAsync(rpc, new PoCoHub(rpc, Net.Hub));
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions
        {
            FeeMode = FeeMode.ZeroGasPriceLegacy, ReceiptTimeout = TimeSpan.FromSeconds(5), ReplacementTimeout = TimeSpan.FromSeconds(5),
        });

        var succeeded = 0;
        var failures = new List<IExecException>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await registry.CreateAppAsync(sender, NewApp(wallet.Address));
                succeeded++;
            }
            catch (IExecException e)
            {
                failures.Add(e);
            }
        }
        // Anyone can fill a gap: a transaction with the account's next free nonce, straight to the chain.
        await new TransactionSender(Net.Rpc, wallet, Net.ChainId, new TransactionSenderOptions { FeeMode = FeeMode.ZeroGasPriceLegacy }).SendAsync(wallet.Address, []);
        await DrainedAsync(wallet.Address);

        Assert.Equal(1, lied);
        var gap = Assert.Single(failures);
        Assert.Equal(ErrorIds.NonceGap, gap.ErrorId);
        Assert.Equal(2, succeeded);
        Assert.Equal(succeeded, (int)await AppsOwnedAsync(wallet.Address));
    }

    [Fact]
    public async Task SendNeverReachesTheChain_IsReplacedByATransferToSelf_AndTheSignedOriginalCanNeverBeMined()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var swallowed = new List<string>();
        proxy.Answer = call =>
        {
            if (call.Method != "eth_sendRawTransaction" || swallowed.Count > 0) return null;
            var raw = call.Params[0]!.GetValue<string>();
            swallowed.Add(raw);
            return call.Answer(Hex.Encode(Keccak256.Hash(Hex.Decode(raw))));
        };
        using var rpc = new JsonRpcClient(proxy.Url);
        var registry = await AppRegistry.FromHubAsync(rpc, new PoCoHub(rpc, Net.Hub));
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions
        {
            FeeMode = FeeMode.Eip1559, ReceiptTimeout = TimeSpan.FromSeconds(5), ReplacementTimeout = TimeSpan.FromSeconds(20),
        });

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => registry.CreateAppAsync(sender, NewApp(wallet.Address)));
        // The node (or anyone it showed the transaction to) broadcasts the signed original afterwards.
        var replay = await Record.ExceptionAsync(() => Net.Rpc.SendOnceAsync("eth_sendRawTransaction", [swallowed[0]]));
        await DrainedAsync(wallet.Address);

        Assert.Equal(ErrorIds.TransactionReplaced, error.ErrorId);
        Assert.Contains("transfer to self", error.Message);
        Assert.Contains("can never be mined", error.Message);
        Assert.IsType<RpcException>(replay); // nonce already used
        Assert.Equal(BigInteger.Zero, await AppsOwnedAsync(wallet.Address));
    }

    [Fact]
    public async Task NeitherTheSendNorItsReplacementReachesTheChain_IsReportedPendingWithHashAndNonce_NotFailed()
    {
        using var wallet = await FundedWalletAsync();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var swallowed = new List<string>();
        proxy.Answer = call =>
        {
            if (call.Method != "eth_sendRawTransaction") return null;
            var raw = call.Params[0]!.GetValue<string>();
            lock (swallowed) swallowed.Add(raw);
            return call.Answer(Hex.Encode(Keccak256.Hash(Hex.Decode(raw))));
        };
        using var rpc = new JsonRpcClient(proxy.Url);
        var registry = await AppRegistry.FromHubAsync(rpc, new PoCoHub(rpc, Net.Hub));
        var nonce = await Net.Rpc.GetTransactionCountAsync(wallet.Address, "latest");
        var sender = new TransactionSender(rpc, wallet, Net.ChainId, new TransactionSenderOptions
        {
            FeeMode = FeeMode.Eip1559, ReceiptTimeout = TimeSpan.FromSeconds(5), ReplacementTimeout = TimeSpan.FromSeconds(5),
        });

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => registry.CreateAppAsync(sender, NewApp(wallet.Address)));
        var originalHash = Hex.Encode(Keccak256.Hash(Hex.Decode(swallowed[0])));
        await Net.Rpc.SendOnceAsync("eth_sendRawTransaction", [swallowed[0]]);
        await DrainedAsync(wallet.Address);

        Assert.Equal(ErrorIds.TransactionPending, error.ErrorId);
        Assert.Equal(IExecErrorCategory.OperationTimeout, error.Category);
        Assert.Contains(originalHash, error.Message);
        Assert.Contains($"nonce {nonce}", error.Message);
        Assert.Contains("may still be", error.Message);
        Assert.Equal(2, swallowed.Count); // the original and its replacement
        // Reported pending, then mined: the report was true.
        Assert.Equal(BigInteger.One, await AppsOwnedAsync(wallet.Address));
    }

    internal static AppDefinition NewApp(EthAddress owner) => new(
        owner, "money-" + Guid.NewGuid().ToString("N")[..12], "DOCKER", Encoding.UTF8.GetBytes("docker.io/example/money:1.0.0"),
        Keccak256.HashUtf8(Guid.NewGuid().ToString()), []);

    private Task<WalletKey> FundedWalletAsync() => FundedWalletAsync(Net);

    private Task<BigInteger> AppsOwnedAsync(EthAddress owner) => AppsOwnedAsync(Net, owner);

    // A new key holding 1 ETH from the devnet's first account.
    internal static async Task<WalletKey> FundedWalletAsync(DevNetEnvironment net)
    {
        var wallet = WalletKey.Generate();
        await net.CreateSender(net.Accounts[0]).SendAsync(wallet.Address, [], BigInteger.Pow(10, 18));
        return wallet;
    }

    // How many apps the app registry's ERC-721 says the owner holds.
    internal static async Task<BigInteger> AppsOwnedAsync(DevNetEnvironment net, EthAddress owner)
    {
        var registry = await new PoCoHub(net.Rpc, net.Hub).AppRegistryAsync();
        return (BigInteger)Abi.Decode("uint256", await net.Rpc.EthCallAsync(registry, Abi.EncodeCall("balanceOf(address)", owner)))[0]!;
    }

    // Waits until the node holds no queued or pending transaction of the account (latest count = pending count).
    private async Task DrainedAsync(EthAddress account)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await Net.Rpc.GetTransactionCountAsync(account, "latest") != await Net.Rpc.GetTransactionCountAsync(account, "pending"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the account's transactions were not mined");
            await Task.Delay(50);
        }
    }

    private static string WithBaseFee(string answer, BigInteger baseFee)
    {
        var json = JsonNode.Parse(answer)!;
        json["result"]!["baseFeePerGas"] = JsonRpcClient.ToQuantity(baseFee);
        return json.ToJsonString();
    }
}
