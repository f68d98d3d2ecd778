namespace IExecSecrets.Interop.Tests.DevNet;

// Token-mode devnets are started here, each in its own temp folder: the shared fixture is native and stays untouched.
public sealed class TokenModeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("iexec-devnet-token-").FullName;

    private static async Task<BigInteger> RlcBalanceAsync(JsonRpcClient rpc, EthAddress token, EthAddress holder) =>
        (BigInteger)Abi.Decode("uint256", await rpc.EthCallAsync(token, Abi.EncodeCall("balanceOf(address)", holder)))[0]!;

    [Fact]
    public async Task TokenDevNet_EscrowsRlcDepositsThatCoreAndTheIExecCliSee()
    {
        await using var net = await DevNetEnvironment.StartAsync(new DevNetOptions
        {
            Directory = Path.Combine(_scratch, "net"),
            Mode = DevNetMode.Token,
            UseStateCache = false,
        });
        output.WriteLine($"token devnet deployed in {net.Deployment.Duration.TotalMilliseconds:0} ms; RLC at {net.Deployment.Token}");

        // The hub escrows the RLC contract the devnet deployed, which really is rlc-faucet-contract's RLC.
        var hub = new PoCoHub(net.Rpc, net.Hub);
        var token = await hub.TokenAsync();
        Assert.False(token.IsZero);
        Assert.Equal(net.Deployment.Token, token);
        var symbol = (string)Abi.Decode("string", await net.Rpc.EthCallAsync(token, Abi.EncodeCall("symbol()")))[0]!;
        Assert.Equal("RLC", symbol);
        Assert.Equal(9, (int)(BigInteger)Abi.Decode("uint8", await net.Rpc.EthCallAsync(token, Abi.EncodeCall("decimals()")))[0]!);

        // Every deposit went through approveAndCall: the hub holds exactly the nine deposits and each account's stake.
        var depositors = net.Accounts.Skip(1).ToArray();
        Assert.Equal(PoCoDeployer.DepositNRlc * depositors.Length, await RlcBalanceAsync(net.Rpc, token, net.Hub));
        foreach (var account in depositors)
        {
            Assert.Equal(PoCoDeployer.DepositNRlc, (await hub.ViewAccountAsync(account.Address)).Stake);
            Assert.Equal(BigInteger.Zero, await RlcBalanceAsync(net.Rpc, token, account.Address));
        }
        Assert.Equal(BigInteger.Zero, (await hub.ViewAccountAsync(net.Accounts[0].Address)).Stake);
        // Staked RLC is the hub's own ERC-20 view of the escrow: its supply is the sum of the deposits.
        var stakedSupply = (BigInteger)Abi.Decode("uint256", await net.Rpc.EthCallAsync(net.Hub, Abi.EncodeCall("totalSupply()")))[0]!;
        Assert.Equal(PoCoDeployer.DepositNRlc * depositors.Length, stakedSupply);
        var totalSupply = (BigInteger)Abi.Decode("uint256", await net.Rpc.EthCallAsync(token, Abi.EncodeCall("totalSupply()")))[0]!;
        Assert.Equal(totalSupply - PoCoDeployer.DepositNRlc * depositors.Length, await RlcBalanceAsync(net.Rpc, token, net.Accounts[0].Address));

        // Registries, categories and the workerpool are in place as in native mode, and Core deploys an app.
        Assert.Equal(net.Deployment.AppRegistry, await hub.AppRegistryAsync());
        Assert.Equal(5, (int)await hub.CountCategoryAsync());
        Assert.Equal(net.Accounts[2].Address, await AppContract.TryReadOwnerAsync(net.Rpc, net.Workerpool));
        var developer = net.Accounts[1];
        var registry = await AppRegistry.FromHubAsync(net.Rpc, hub);
        var app = new AppDefinition(developer.Address, "token-devnet-" + Guid.NewGuid().ToString("N")[..10], "DOCKER",
            Encoding.UTF8.GetBytes("docker.io/iexechub/python-hello-world:8.0.0"), Keccak256.HashUtf8(Guid.NewGuid().ToString()), []);
        var predicted = await registry.PredictAppAsync(app);
        var deployed = await registry.CreateAppAsync(net.CreateSender(developer), app);
        Assert.Equal(predicted, deployed.Address);
        Assert.True(await registry.IsRegisteredAsync(deployed.Address));
        Assert.Equal(developer.Address, await new AppContract(net.Rpc, deployed.Address).OwnerAsync());

        // chain.json describes a token chain; devnet.json names the token.
        var chain = JsonNode.Parse(await File.ReadAllTextAsync(net.ChainJsonPath))!["chains"]!["devnet"]!;
        Assert.False(chain["native"]!.GetValue<bool>());
        Assert.Null(chain["useGas"]);
        Assert.Equal(net.SmsUrl.ToString().TrimEnd('/'), chain["sms"]!["scone"]!.GetValue<string>());
        var devnet = JsonNode.Parse(await File.ReadAllTextAsync(net.DevNetJsonPath))!;
        Assert.Equal("token", devnet["mode"]!.GetValue<string>());
        Assert.Equal(token, EthAddress.Parse(devnet["token"]!.GetValue<string>()));

        // The official iexec 8.24.0 CLI reads the stake through its token-chain contracts.
        var requester = net.Accounts[3];
        var work = Directory.CreateDirectory(Path.Combine(_scratch, "cli")).FullName;
        File.Copy(net.ChainJsonPath, Path.Combine(work, "chain.json"));
        using (var key = WalletKey.FromHex(requester.PrivateKeyHex))
        {
            await File.WriteAllTextAsync(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
        }
        var shown = await IExecCli.RunAsync(work, "account", "show");
        output.WriteLine(shown.StdOut);
        Assert.True(shown.ExitCode == 0, $"exit {shown.ExitCode}: {shown.StdErr}{shown.StdOut}");
        var balance = JsonNode.Parse(shown.StdOut)!["balance"]!;
        Assert.Equal(PoCoDeployer.DepositNRlc.ToString(System.Globalization.CultureInfo.InvariantCulture), balance["stake"]!.GetValue<string>());
        Assert.Equal("0", balance["locked"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenStateIsCachedApartFromNativeAndReloadsWithItsToken()
    {
        var layout = RepositoryLayout.Locate() with { CacheDirectory = Path.Combine(_scratch, "cache") };
        var deployer = new PoCoDeployer(layout);

        PoCoDeployment fresh;
        await using (var first = await AnvilProcess.StartAsync(layout.AnvilPath))
        {
            using var rpc = first.CreateClient();
            fresh = await deployer.DeployOrLoadAsync(rpc, DevNetMode.Token);
        }
        Assert.False(fresh.FromCache);
        var tokenCache = Assert.Single(Directory.GetFiles(layout.CacheDirectory, "*.json"));
        Assert.Contains("-token-", Path.GetFileName(tokenCache), StringComparison.Ordinal);

        // A native start must not pick up the token state: it deploys and caches its own file.
        await using (var native = await AnvilProcess.StartAsync(layout.AnvilPath))
        {
            using var rpc = native.CreateClient();
            var deployment = await deployer.DeployOrLoadAsync(rpc, DevNetMode.Native);
            Assert.False(deployment.FromCache);
            Assert.True(deployment.Token.IsZero);
            Assert.True((await new PoCoHub(rpc, deployment.Hub).TokenAsync()).IsZero);
        }
        Assert.Equal(2, Directory.GetFiles(layout.CacheDirectory, "*.json").Length);

        await using var second = await AnvilProcess.StartAsync(layout.AnvilPath);
        using var rpc2 = second.CreateClient();
        var cached = await deployer.DeployOrLoadAsync(rpc2, DevNetMode.Token);
        Assert.True(cached.FromCache);
        Assert.Equal(fresh with { FromCache = true, Duration = TimeSpan.Zero }, cached with { Duration = TimeSpan.Zero });
        Assert.Equal(fresh.Token, await new PoCoHub(rpc2, cached.Hub).TokenAsync());
        Assert.Equal(PoCoDeployer.DepositNRlc * 9, await RlcBalanceAsync(rpc2, cached.Token, cached.Hub));
    }

    public void Dispose()
    {
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }
}
