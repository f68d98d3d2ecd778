namespace IExecSecrets.Interop.Tests.DevNet;

[Collection(DevNetCollection.Name)]
public sealed class PoCoOnDevNetTests(DevNetFixture fixture)
{
    private IExecSecrets.DevNet.DevNetEnvironment Net => fixture.Environment;

    private static AppDefinition NewApp(EthAddress owner) => new(
        owner,
        "devnet-test-" + Guid.NewGuid().ToString("N")[..10],
        "DOCKER",
        Encoding.UTF8.GetBytes("docker.io/iexechub/python-hello-world:8.0.0"),
        Keccak256.HashUtf8(Guid.NewGuid().ToString()),
        Encoding.UTF8.GetBytes("{\"framework\":\"SCONE\",\"version\":\"v5.9\",\"entrypoint\":\"python /app/app.py\",\"heapSize\":1073741824,\"fingerprint\":\"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609\"}"));

    [Fact]
    public async Task HubIsConfiguredLikeBellecour()
    {
        var hub = new PoCoHub(Net.Rpc, Net.Hub);
        var domain = await hub.DomainAsync();
        Assert.Equal(("iExecODB", "5.0.0", new BigInteger(134), Net.Hub), (domain.Name, domain.Version, domain.ChainId, domain.VerifyingContract));
        Assert.Equal(5, (int)await hub.CountCategoryAsync());
        var xl = await hub.ViewCategoryAsync(4);
        Assert.Equal(("XL", new BigInteger(36000)), (xl.Name, xl.WorkClockTimeRef));
        Assert.True((await hub.TokenAsync()).IsZero);
        Assert.Equal(Net.Deployment.AppRegistry, await hub.AppRegistryAsync());
        Assert.Equal(Net.Deployment.WorkerpoolRegistry, await hub.WorkerpoolRegistryAsync());
        Assert.True(await hub.FinalDeadlineRatioAsync() > 0);
        var unknownCategory = await Assert.ThrowsAsync<RpcException>(() => hub.ViewCategoryAsync(5));
        Assert.Equal(ErrorIds.RpcError, unknownCategory.ErrorId);
    }

    [Fact]
    public async Task DevNetActorsAreInPlace()
    {
        var hub = new PoCoHub(Net.Rpc, Net.Hub);
        var requester = Net.Accounts[3];
        Assert.Equal(PoCoDeployer.DepositWei / 1_000_000_000, (await hub.ViewAccountAsync(requester.Address)).Stake);
        Assert.True(await new WorkerpoolRegistry(Net.Rpc, Net.Deployment.WorkerpoolRegistry).IsRegisteredAsync(Net.Workerpool));
        Assert.Equal(Net.Accounts[2].Address, await AppContract.TryReadOwnerAsync(Net.Rpc, Net.Workerpool));
        // The published keys are anvil's own accounts, in order.
        var nodeAccounts = (await Net.Rpc.CallAsync("eth_accounts")).EnumerateArray().Select(a => EthAddress.Parse(a.GetString()!)).ToArray();
        Assert.Equal(nodeAccounts.Take(10), Net.Accounts.Select(a => a.Address));
    }

    [Fact]
    public async Task CreateAppLandsAtThePredictedAddressWithItsFields()
    {
        var developer = Net.Accounts[1];
        var registry = await AppRegistry.FromHubAsync(Net.Rpc, new PoCoHub(Net.Rpc, Net.Hub));
        var app = NewApp(developer.Address);
        var predicted = await registry.PredictAppAsync(app);
        Assert.False(await registry.IsRegisteredAsync(predicted));

        var deployed = await registry.CreateAppAsync(Net.CreateSender(developer), app);

        Assert.Equal(predicted, deployed.Address);
        Assert.True(await registry.IsRegisteredAsync(deployed.Address));
        var contract = new AppContract(Net.Rpc, deployed.Address);
        Assert.Equal(developer.Address, await contract.OwnerAsync());
        Assert.Equal(app.Name, await contract.NameAsync());
        Assert.Equal("DOCKER", await contract.TypeAsync());
        Assert.Equal(app.Multiaddr, await contract.MultiaddrAsync());
        Assert.Equal(app.Checksum, await contract.ChecksumAsync());
        Assert.Equal(app.MrEnclave, await contract.MrEnclaveAsync());
        Assert.Equal(developer.Address, await AppContract.TryReadOwnerAsync(Net.Rpc, deployed.Address));
    }

    [Fact]
    public async Task SecondCreateOfTheSameAppIsRefusedAndARawResendReverts()
    {
        var developer = Net.Accounts[1];
        var registry = await AppRegistry.FromHubAsync(Net.Rpc, new PoCoHub(Net.Rpc, Net.Hub));
        var app = NewApp(developer.Address);
        var sender = Net.CreateSender(developer);
        var first = await registry.CreateAppAsync(sender, app);

        var guarded = await Assert.ThrowsAsync<IExecException>(() => registry.CreateAppAsync(sender, app));
        Assert.Equal(ErrorIds.AppAlreadyDeployed, guarded.ErrorId);
        Assert.Contains(first.Address.ToString(), guarded.Message);

        // Without the guard the chain itself refuses: CREATE2 collides and the revert reason is decoded.
        var reverted = await Assert.ThrowsAnyAsync<IExecException>(() => sender.SendAsync(registry.Address, AppRegistry.EncodeCreateApp(app)));
        Assert.Equal(ErrorIds.TransactionReverted, reverted.ErrorId);
        Assert.Contains("Create2", reverted.Message);
    }

    [Fact]
    public async Task WithdrawBeyondTheStakeIsReportedAsRevertedAndNothingIsSent()
    {
        // #3, not #4 (the dev worker's account, which sends on its own whenever a deal reaches the worker).
        var requester = Net.Accounts[3];
        var sender = Net.CreateSender(requester);
        var tooMuch = (await new PoCoHub(Net.Rpc, Net.Hub).ViewAccountAsync(requester.Address)).Stake + 1;
        var failure = await Assert.ThrowsAnyAsync<IExecException>(() =>
            sender.SendAsync(Net.Hub, Abi.EncodeCall("withdraw(uint256)", tooMuch)));
        Assert.Equal(ErrorIds.TransactionReverted, failure.ErrorId);
        Assert.Contains("nothing was sent", failure.Message);
    }

    [Fact]
    public async Task ChainIdMismatchIsRefusedBeforeSigning()
    {
        var signer = new CountingSigner(Net.Accounts[5]);
        var nonceBefore = await Net.Rpc.GetTransactionCountAsync(signer.Address, "latest");
        var sender = new TransactionSender(Net.Rpc, signer, expectedChainId: 1);

        var failure = await Assert.ThrowsAsync<IExecException>(() => sender.SendAsync(Net.Accounts[6].Address, [], 1));

        Assert.Equal(ErrorIds.ChainIdMismatch, failure.ErrorId);
        Assert.Equal(0, signer.Count);
        Assert.Equal(nonceBefore, await Net.Rpc.GetTransactionCountAsync(signer.Address, "latest"));
    }

    [Theory]
    [InlineData(FeeMode.ZeroGasPriceLegacy, "0x0")]
    [InlineData(FeeMode.Eip1559, "0x2")]
    public async Task BothEnvelopesAreAcceptedAndRecoverToTheSender(FeeMode mode, string expectedType)
    {
        var from = Net.Accounts[7];
        var to = Net.Accounts[8].Address;
        var sender = new TransactionSender(Net.Rpc, from, Net.ChainId, new TransactionSenderOptions { FeeMode = mode });
        var before = await Net.Rpc.GetBalanceAsync(to);

        var receipt = await sender.SendAsync(to, [], 12345);

        Assert.True(receipt.Succeeded);
        Assert.Equal(before + 12345, await Net.Rpc.GetBalanceAsync(to));
        var transaction = await Net.Rpc.CallAsync("eth_getTransactionByHash", [receipt.TransactionHash]);
        Assert.Equal(from.Address, EthAddress.Parse(transaction.GetProperty("from").GetString()!));
        Assert.Equal(expectedType, transaction.GetProperty("type").GetString());
        Assert.Equal(134, (int)JsonRpcClient.ParseQuantity(transaction.GetProperty("chainId")));
    }

    [Fact]
    public async Task BackToBackSendsGetConsecutiveNonces()
    {
        var from = Net.Accounts[9];
        var sender = Net.CreateSender(from);
        var start = await Net.Rpc.GetTransactionCountAsync(from.Address, "latest");
        var receipts = new List<Receipt>();
        for (var i = 0; i < 5; i++) receipts.Add(await sender.SendAsync(Net.Accounts[8].Address, [], 1));
        Assert.Equal(start + 5, await Net.Rpc.GetTransactionCountAsync(from.Address, "latest"));
        Assert.All(receipts, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task OwnerLookupIsNullForAccountsWithoutCode()
    {
        Assert.Null(await AppContract.TryReadOwnerAsync(Net.Rpc, Net.Accounts[3].Address));
        Assert.Null(await AppContract.TryReadOwnerAsync(Net.Rpc, EthAddress.Parse("0x000000000000000000000000000000000000dEaD")));
    }

    [Fact]
    public async Task BatchedReadsComeBackInOrder()
    {
        var results = await Net.Rpc.BatchAsync([("eth_chainId", null), ("eth_getBalance", [Net.Accounts[0].Address.ToLowerHex(), "latest"]), ("eth_blockNumber", null)]);
        Assert.Equal(134, (int)JsonRpcClient.ParseQuantity(results[0]));
        Assert.Equal(await Net.Rpc.GetBalanceAsync(Net.Accounts[0].Address), JsonRpcClient.ParseQuantity(results[1]));
        var error = await Assert.ThrowsAsync<RpcException>(() => Net.Rpc.BatchAsync([("eth_chainId", null), ("no_such_method", null)]));
        Assert.Equal(ErrorIds.RpcError, error.ErrorId);
    }

    [Fact]
    public async Task WrittenFilesDescribeTheRunningNetwork()
    {
        using var chain = JsonDocument.Parse(await File.ReadAllTextAsync(Net.ChainJsonPath));
        Assert.Equal("devnet", chain.RootElement.GetProperty("default").GetString());
        var entry = chain.RootElement.GetProperty("chains").GetProperty("devnet");
        Assert.Equal("134", entry.GetProperty("id").GetString());
        Assert.Equal(Net.Hub, EthAddress.Parse(entry.GetProperty("hub").GetString()!));
        Assert.True(entry.GetProperty("native").GetBoolean());
        Assert.Equal(Net.SmsUrl.ToString().TrimEnd('/'), entry.GetProperty("sms").GetProperty("tdx").GetString());
        using var rpc = new JsonRpcClient(new Uri(entry.GetProperty("host").GetString()!));
        Assert.Equal(134UL, await rpc.ChainIdAsync());

        using var devnet = JsonDocument.Parse(await File.ReadAllTextAsync(Net.DevNetJsonPath));
        Assert.Equal(Net.Workerpool, EthAddress.Parse(devnet.RootElement.GetProperty("workerpool").GetString()!));
        var accounts = devnet.RootElement.GetProperty("accounts").EnumerateArray().ToArray();
        Assert.Equal(10, accounts.Length);
        foreach (var account in accounts)
        {
            var key = Hex.Decode(account.GetProperty("privateKey").GetString()!);
            Assert.Equal(EthAddress.Parse(account.GetProperty("address").GetString()!), EthAddress.FromPublicKey(Secp256k1.PublicKey(key)));
        }
    }

    [Fact]
    public async Task UnreachableNodeIsReportedAsSuch()
    {
        using var rpc = new JsonRpcClient(new Uri("http://127.0.0.1:9"), maxRetries: 2, firstRetryDelay: TimeSpan.FromMilliseconds(10));
        var failure = await Assert.ThrowsAsync<IExecException>(() => rpc.ChainIdAsync());
        Assert.Equal(ErrorIds.RpcUnreachable, failure.ErrorId);
    }
}
