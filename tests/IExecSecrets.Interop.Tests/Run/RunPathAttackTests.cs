using IExecSecrets.Interop.Tests.Market;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Invoke-IExecApp in a real PowerShell engine against the devnet, attacked where its run path decides what is pushed
/// and what runs: a market with no acceptable order (nothing may be pushed), an empty vault secret, a project folder whose
/// deployed.json names someone else's app, malformed orders before an honest one across pages, and an ENS answer for
/// the workerpool. Each test failed on the run path before issue 14's session (nothing was pushed only after the checks).
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class RunPathAttackTests(DevNetFixture fixture)
{
    private static readonly string StandIn = Path.Combine(RepoPaths.Root, "tests", "SecretManagementStandIn",
        "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");

    private DevNetEnvironment Net => fixture.Environment;

    private Eip712Domain Domain => Eip712Domain.ForHub(Net.ChainId, Net.Hub);

    private ChainProfile Chain => ChainResolver.FromDirectory(Net.Directory).Resolve();

    // Not #4: that is the dev worker's account, which sends its contribute/reveal/finalize transactions whenever a deal of
    // an earlier test reaches it, so "the requester's nonce did not move" failed now and then (13 -> 14 mid-test).
    private DevNetAccount Requester =>
        Net.Accounts[3].Address != Net.Worker.Address ? Net.Accounts[3] : throw new InvalidOperationException("the requester must not be the dev worker's account");

    [Fact]
    public async Task Invoke_NoAcceptableOrder_PushesNeitherTheVaultSecretNorTheOneShotValue()
    {
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, Net.Accounts[1], Chain);
        using var market = new HostileMarket();
        // The only app order is priced above the default -AppMaxPrice of 0: the run cannot happen.
        market.AppOrders.Add(HostileMarket.Entry(new AppOrder { App = app, AppPrice = 5, Volume = 5, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(Net.Accounts[1], Domain), Domain));
        var name = "never-pushed-" + Guid.NewGuid().ToString("N")[..8];
        var requesterSecretsBefore = await Net.Sms.CountSecretsAsync(SmsSecretKind.Requester);
        using var module = new ModuleHost(location: WorkDirectory(market.Url));

        var run = module.Run(
            "Import-Module $standIn; Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name $name -Secret '42' -Vault V; "
            + "Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -SecretValue @{2=$oneShot} -Vault V -Force",
            new Dictionary<string, object?> { ["standIn"] = StandIn, ["name"] = name, ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString(), ["oneShot"] = ModuleHost.Secure("7") });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("NoAcceptableOrder,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Null(await Net.Sms.GetRequesterSecretAsync(requester.Address, name));
        Assert.Equal(requesterSecretsBefore, await Net.Sms.CountSecretsAsync(SmsSecretKind.Requester));
        Assert.Equal(0, market.WriteCount);
    }

    [Fact]
    public async Task Invoke_EmptyVaultSecret_FailsEmptySecretValueAndPushesNothing()
    {
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, requester, Chain);
        var name = "empty-" + Guid.NewGuid().ToString("N")[..8];
        using var rpc = new JsonRpcClient(Net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(requester.Address);
        using var module = new ModuleHost(location: Net.Directory);

        var run = module.Run(
            "Import-Module $standIn; Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name $name -Secret ([byte[]]@()) -Vault V; "
            + "Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Vault V -Force",
            new Dictionary<string, object?> { ["standIn"] = StandIn, ["name"] = name, ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("EmptySecretValue,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(name, error.TargetObject);
        Assert.Null(await Net.Sms.GetRequesterSecretAsync(requester.Address, name));
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(requester.Address));
    }

    [Fact]
    public async Task Invoke_DeployedJsonNamesAnotherOwnersApp_FailsDeployedAppNotOwned_AndNothingIsPushedOrSigned()
    {
        var stranger = Net.Accounts[1];
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, stranger, Chain);
        // The stranger's app is runnable by anyone (a free order on the dev market): only the folder's word picks it.
        using (var market = new MarketClient(Net.Market.Url)) await AppRunInteropTests.PublishAppOrderAsync(Net, market, stranger, app, Chain);
        var work = WorkDirectory(null);
        ProjectFiles.SaveDeployedAddress(work, "app", Net.ChainId, app);
        using var rpc = new JsonRpcClient(Net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(requester.Address);
        var requesterSecretsBefore = await Net.Sms.CountSecretsAsync(SmsSecretKind.Requester);
        using var module = new ModuleHost(location: work);

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -Tag tee,scone -SecretValue @{1=$v} -Force",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["v"] = ModuleHost.Secure("5") });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("DeployedAppNotOwned,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(app.ToString(), error.TargetObject?.ToString());
        Assert.Contains($"owned on chain by {stranger.Address}", error.Exception.Message);
        Assert.Contains($"-App {app}", error.ErrorDetails.RecommendedAction);
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(requester.Address));
        Assert.Equal(requesterSecretsBefore, await Net.Sms.CountSecretsAsync(SmsSecretKind.Requester));
    }

    [Fact]
    public async Task InvokeWhatIf_DeployedJsonAppOfTheWallet_IsNamedWithItsSourceInTheConfirmationAndVerbose()
    {
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, requester, Chain);
        var work = WorkDirectory(null);
        var deployed = ProjectFiles.SaveDeployedAddress(work, "app", Net.ChainId, app);
        using var module = new ModuleHost(location: work);

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -Tag tee,scone -WhatIf -Verbose",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(requester.PrivateKeyHex) });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var plan = Assert.IsType<IExecRunPlan>(Assert.Single(run.Output).BaseObject);
        Assert.Contains($"app {app} (from {deployed}, owned by the connected wallet on chain; Self order", plan.Description);
        Assert.Contains(run.Verbose, v => v.Contains($"App {app} comes from {deployed}", StringComparison.Ordinal) && v.Contains($"owned by the connected wallet {requester.Address}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeWhatIf_MalformedOrdersBeforeAnHonestOneOnTheNextPage_SkipsEachWithItsReasonAndPlansTheHonestOne()
    {
        var requester = Requester;
        var developer = Net.Accounts[1];
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, developer, Chain);
        await using var market = await HostileMarket.StartAsync();
        var tag = OrderTag.Parse("tee,scone");
        var honest = new AppOrder { App = app, Volume = 5, Tag = tag, Salt = OrderSalt.New() }.SignWith(developer, Domain);
        var malformed = MalformedAppOrders(honest).ToList();
        // A full first page of malformed entries (the old reader failed the whole page at the first), the honest order on page two.
        for (var i = 0; market.AppOrders.Count < 20; i++) market.AppOrders.Add(malformed[i % malformed.Count]);
        market.AppOrders.Add(HostileMarket.Entry(honest, Domain));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 9, Tag = tag, Salt = OrderSalt.New() }.SignWith(Net.Accounts[2], Domain), Domain));
        using var module = new ModuleHost(location: WorkDirectory(market.Url));

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -WhatIf",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString() });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var plan = Assert.IsType<IExecRunPlan>(Assert.Single(run.Output).BaseObject);
        Assert.Equal(Hex.Encode(honest.Hash(Domain)), plan.AppOrder.OrderHash);
        Assert.Equal(20, run.Warning.Count(w => w.Contains("it is malformed:", StringComparison.Ordinal)));
        Assert.Contains(run.Warning, w => w.Contains("its 'app' is not an address", StringComparison.Ordinal));
        Assert.Contains(run.Warning, w => w.Contains("its 'volume' is not an integer from 0 to 2^256-1", StringComparison.Ordinal));
        Assert.Contains(run.Warning, w => w.Contains("its 'appprice' is not an integer from 0 to 2^256-1", StringComparison.Ordinal));
        Assert.Equal(2, market.Requests.Count(r => r.StartsWith("GET /apporders", StringComparison.Ordinal)));
        Assert.Equal(0, market.WriteCount);
    }

    [Fact]
    public async Task Invoke_OnlyMalformedOrders_ReadsAtMostFivePagesAndFailsNoAcceptableOrderStatingTheBound()
    {
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, Net.Accounts[1], Chain);
        await using var market = await HostileMarket.StartAsync();
        var honest = new AppOrder { App = app, Volume = 5, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(Net.Accounts[1], Domain);
        var malformed = MalformedAppOrders(honest).ToList();
        for (var i = 0; i < 150; i++) market.AppOrders.Add(malformed[i % malformed.Count]);
        using var module = new ModuleHost(location: WorkDirectory(market.Url));

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Force",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("NoAcceptableOrder,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Contains("The market offered 100 app order(s)", error.Exception.Message);
        Assert.Contains("at most 5 pages of 20 orders per order book and category", error.Exception.Message);
        Assert.Equal(5, market.Requests.Count(r => r.StartsWith("GET /apporders", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task InvokeWhatIf_WorkerpoolNamedByEns_ShowsTheAddressTheNameResolvedToBeforeAnythingIsSigned()
    {
        var requester = Requester;
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, requester, Chain);
        // The node answers for an ENS registry: resolver(node) is a resolver, whose addr(node) is the devnet's pool.
        var registry = EthAddress.Parse("0x00000000000000000000000000000000000E4501");
        var resolver = EthAddress.Parse("0x00000000000000000000000000000000000E4502");
        var resolverSelector = Hex.Encode(Abi.EncodeCall("resolver(bytes32)", new byte[32]))[..10];
        var addrSelector = Hex.Encode(Abi.EncodeCall("addr(bytes32)", new byte[32]))[..10];
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = call =>
        {
            var to = call.Method == "eth_call" ? (call.Params[0] as JsonObject)?["to"]?.GetValue<string>() : null;
            if (to is null) return null;
            if (EthAddress.Parse(to) == registry && call.Selector == resolverSelector) return call.Answer(Word(resolver));
            if (EthAddress.Parse(to) == resolver && call.Selector == addrSelector) return call.Answer(Word(Net.Workerpool));
            return null;
        };
        using var module = new ModuleHost(location: WorkDirectory(null, proxy.Url.ToString().TrimEnd('/'), registry));

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Workerpool pool.iexec.eth -WhatIf -Verbose",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString() });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var plan = Assert.IsType<IExecRunPlan>(Assert.Single(run.Output).BaseObject);
        Assert.Contains($"workerpool {Net.Workerpool} (resolved from pool.iexec.eth through ENS; ", plan.Description);
        Assert.Contains(run.Verbose, v => v.Contains($"Workerpool pool.iexec.eth resolves through the ENS registry of devnet to {Net.Workerpool}", StringComparison.Ordinal));
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
    }

    // Entries no order can be: each field broken the way a lying market could break it, the rest of the honest order kept.
    private IEnumerable<JsonNode> MalformedAppOrders(AppOrder honest)
    {
        JsonObject Variant(string field, JsonNode? value)
        {
            var entry = HostileMarket.Entry(honest with { Salt = OrderSalt.New() }, Domain);
            entry["order"]![field] = value;
            return entry;
        }
        yield return Variant("app", "0x" + new string('1', 64));
        yield return Variant("volume", -1);
        yield return Variant("volume", ((BigInteger.One << 256) + 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return Variant("appprice", 1.5);
        yield return Variant("tag", "0x03");
        yield return new JsonObject { ["orderHash"] = Hex.Encode(new byte[32]), ["order"] = "not an order" };
    }

    private static string Word(EthAddress address) => "0x" + new string('0', 24) + address.ToLowerHex()[2..];

    private string WorkDirectory(Uri? market, string? rpc = null, EthAddress? ensRegistry = null)
    {
        var work = Directory.CreateTempSubdirectory("iexec-run-attack-").FullName;
        var chain = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        var devnet = chain["chains"]!["devnet"]!;
        if (market is not null) devnet["iexecGateway"] = market.ToString().TrimEnd('/');
        if (rpc is not null) devnet["host"] = rpc;
        if (ensRegistry is not null) devnet["ensRegistry"] = ensRegistry.Value.ToString();
        File.WriteAllText(Path.Combine(work, "chain.json"), chain.ToJsonString());
        return work;
    }
}
