using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text.RegularExpressions;
using IExecSecrets.Interop.Tests.Market;
using IExecSecrets.Interop.Tests.Worker;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Invoke-IExecApp in a real PowerShell engine against a lying market and the real devnet chain: -WhatIf outputs the
/// unsigned plan (no signature anywhere in it) and writes nothing to the market or the chain; bad market orders are
/// skipped with a warning; none left fails NoAcceptableOrder; the confirmation text names what would be signed.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class ModuleVerifiedRunTests(DevNetFixture fixture)
{
    private static readonly Regex SignatureHex = new("0x[0-9a-fA-F]{130}", RegexOptions.CultureInvariant);

    private IExecSecrets.DevNet.DevNetEnvironment Net => fixture.Environment;

    private Eip712Domain Domain => Eip712Domain.ForHub(Net.ChainId, Net.Hub);

    [Fact]
    public async Task InvokeWhatIf_OutputsTheUnsignedPlan_WarnsOfSkippedOrders_AndWritesNothing()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[6];
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/module-whatif:1.0.0", null);
        using var market = new HostileMarket();
        var tag = OrderTag.Parse("tee,scone");
        market.AppOrders.Add(HostileMarket.Entry(new AppOrder { App = app, Volume = 5, Tag = tag, Salt = OrderSalt.New() }.SignWith(Net.Accounts[5], Domain), Domain));
        market.AppOrders.Add(HostileMarket.Entry(new AppOrder { App = app, Volume = 5, Tag = tag, Salt = OrderSalt.New() }.SignWith(developer, Domain), Domain));
        market.WorkerpoolOrders.Add(HostileMarket.Entry(new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 9, Tag = tag, Salt = OrderSalt.New() }.SignWith(Net.Accounts[2], Domain), Domain));
        using var rpc = new Core.Chain.JsonRpcClient(Net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(requester.Address);
        var devMarketWrites = Net.Market.WriteRequestCount;
        await using var proxy = await TestSupport.Doubles.HostileRpcProxy.StartAsync(Net.RpcUrl);
        using var session = new ModuleHost(location: WorkDirectory(market, proxy.Url.ToString().TrimEnd('/')));

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Arguments 3 -WhatIf",
            new() { ["k"] = Secure(requester), ["app"] = app.ToString() });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var plan = Assert.IsType<IExecRunPlan>(Assert.Single(run.Output).BaseObject);
        // Everything the plan holds, as a user's ConvertTo-Json or log would see it.
        var json = System.Text.Json.JsonSerializer.Serialize(plan);
        Assert.DoesNotMatch(SignatureHex, json);
        Assert.DoesNotMatch(new Regex("\"sign\"\\s*:", RegexOptions.IgnoreCase), json);
        Assert.DoesNotContain(typeof(IExecPlannedOrder).GetProperties(), p => p.Name.Contains("Sign", StringComparison.OrdinalIgnoreCase));
        // The devnet's chain.json entry has bellecour's chain id, so its override warning comes too (issue 13, item 4).
        var warning = Assert.Single(run.Warning, w => !w.Contains("overrides built-in settings of bellecour", StringComparison.Ordinal));
        Assert.StartsWith("Skipped market apporder 0x", warning);
        Assert.Contains($"not by the app owner {developer.Address}", warning);
        Assert.Equal(("apporder", "Market"), (plan.AppOrder.Kind, plan.AppOrder.Source));
        Assert.Equal(app.ToString(), plan.RequestOrder.Resource);
        Assert.Equal(Net.Workerpool.ToString(), plan.RequestOrder.Workerpool);
        Assert.Equal("0", plan.RequestOrder.AppMaxPrice);
        Assert.Single(plan.RefusedOrders);
        Assert.Contains($"app {app} (Market order, 0 nRLC, max 0 nRLC)", plan.Description);
        Assert.Contains($"workerpool {Net.Workerpool} (Market order, 0 nRLC, max 0 nRLC)", plan.Description);
        Assert.Contains("no dataset", plan.Description);
        Assert.Equal(0, market.WriteCount);
        Assert.Equal(devMarketWrites, Net.Market.WriteRequestCount);
        Assert.Contains(proxy.Calls, c => c.Method == "eth_call");
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.Equal(0, proxy.Count("eth_sendTransaction"));
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(requester.Address));
        Assert.False((await new PoCoHub(rpc, Net.Hub).ViewDealAsync(Hex.Decode(plan.PredictedDealId))).Exists);
    }

    [Fact]
    public async Task Invoke_OnlyBadOrders_FailsNoAcceptableOrderWithAWarningEach_AndSpendsNothing()
    {
        var requester = Net.Accounts[6];
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/module-refused:1.0.0", null);
        using var market = new HostileMarket();
        var tag = OrderTag.Parse("tee,scone");
        market.AppOrders.Add(HostileMarket.Entry(new AppOrder { App = app, AppPrice = 3, Volume = 5, Tag = tag, Salt = OrderSalt.New() }.SignWith(Net.Accounts[1], Domain), Domain));
        market.AppOrders.Add(HostileMarket.Entry(new AppOrder { App = app, Volume = 5, Tag = tag, RequesterRestrict = Net.Accounts[5].Address, Salt = OrderSalt.New() }.SignWith(Net.Accounts[1], Domain), Domain));
        using var rpc = new Core.Chain.JsonRpcClient(Net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(requester.Address);
        using var session = new ModuleHost(location: WorkDirectory(market));

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Force",
            new() { ["k"] = Secure(requester), ["app"] = app.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("NoAcceptableOrder,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(app.ToString(), error.TargetObject?.ToString());
        Assert.Contains("its price 3 nRLC is above -AppMaxPrice (0 nRLC)", error.Exception.Message);
        Assert.Contains($"it is restricted to requester {Net.Accounts[5].Address}, not {requester.Address}", error.Exception.Message);
        Assert.Equal(0, market.WriteCount);
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(requester.Address));
    }

    [Fact]
    public async Task Invoke_Verbose_TheConfirmationTextNamesAppWorkerpoolAndPrices()
    {
        var requester = Net.Accounts[6];
        var app = await new RunHarness(Net).DeployAppAsync("docker.io/example/module-confirm:1.0.0", null);
        using var market = new Core.Market.MarketClient(Net.Market.Url);
        var order = new AppOrder { App = app, Volume = 5, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(Net.Accounts[1], Domain);
        await market.PublishAppOrderAsync(order, Net.ChainId, Net.Accounts[1], Hex.Encode(order.Hash(Domain)));
        using var session = new ModuleHost(location: Net.Directory);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -WorkerpoolMaxPrice 0 -Force -Verbose",
            new() { ["k"] = Secure(requester), ["app"] = app.ToString() });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        Assert.Equal(app.ToString(), deal.App);
        var confirmation = Assert.Single(run.Verbose, v => v.Contains("Sign the orders and run the app", StringComparison.Ordinal));
        Assert.Contains($"app {app} (Market order, 0 nRLC, max 0 nRLC)", confirmation);
        Assert.Contains($"workerpool {Net.Workerpool} (Market order, 0 nRLC, max 0 nRLC)", confirmation);
        Assert.Contains("tag tee,scone", confirmation);
    }

    private string WorkDirectory(HostileMarket market, string? rpc = null)
    {
        var work = Directory.CreateTempSubdirectory("iexec-verified-run-").FullName;
        var chain = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        chain["chains"]!["devnet"]!["iexecGateway"] = market.Url.ToString().TrimEnd('/');
        if (rpc is not null) chain["chains"]!["devnet"]!["host"] = rpc;
        File.WriteAllText(Path.Combine(work, "chain.json"), chain.ToJsonString());
        return work;
    }

    private static SecureString Secure(DevNetAccount account)
    {
        var secure = new SecureString();
        foreach (var c in account.PrivateKeyHex) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

}
