using System.Management.Automation;
using IExecSecrets.Core.Execution;
using IExecSecrets.Interop.Tests.Run;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Money;

/// <summary>
/// A signed request order stays valid for anyone who holds it until PoCo counts it consumed. After a failed or
/// abandoned matchOrders it is cancelled on chain, or the error names the Revoke-IExecOrder command that does it; and
/// Revoke-IExecOrder cancels the orders the wallet owns. The oracle is the real PoCo hub: an attacker's matchOrders
/// with the same signed orders must revert, and viewConsumed must equal the volume.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class OrderCancelTests(DevNetFixture fixture)
{
    private const string MatchOrdersSelector = "156194d4";

    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task MatchOrdersMinedButReverted_TheBroadcastRequestOrderIsCancelledOnChain_AndNobodyCanMatchIt()
    {
        var (chain, app, market) = await AppWithOrderAsync();
        using var _ = market;
        var keyHex = NewKeyHex();
        using var requester = WalletKey.FromHex(keyHex);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        // Too little gas for matchOrders: mined, out of gas, status 0, with the signed request order in its calldata.
        proxy.Answer = call => call.Method == "eth_estimateGas" && call.Selector == "0x" + MatchOrdersSelector ? call.Answer("0x186a0") : null;
        using var rpc = new JsonRpcClient(proxy.Url);
        var runner = new AppRunner(rpc, chain, market);
        var context = await runner.LoadAsync(Request(app, "out of gas"), requester.Address);
        var plan = await runner.PlanAsync(context, requester);
        var requestHash = plan.RequestOrder.Hash(context.Domain);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => runner.MatchAsync(plan, requester));
        var replay = await Record.ExceptionAsync(() => AttackerMatchAsync(plan));

        Assert.Equal(ErrorIds.TransactionReverted, error.ErrorId);
        Assert.Contains($"The signed request order {Hex.Encode(requestHash)} was cancelled on chain (manageRequestOrder, transaction 0x", error.Message);
        Assert.Equal(plan.RequestOrder.Volume, await ConsumedAsync(requestHash));
        Assert.Equal(ErrorIds.TransactionReverted, Assert.IsAssignableFrom<IExecException>(replay).ErrorId);
    }

    [Fact]
    public async Task MatchOrdersNeverMined_IsReportedPending_AndTheRevokeCommandItNamesCancelsTheRequestOrder()
    {
        var (chain, app, market) = await AppWithOrderAsync();
        using var _ = market;
        var keyHex = NewKeyHex();
        using var requester = WalletKey.FromHex(keyHex);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        string? swallowed = null;
        proxy.Answer = call =>
        {
            if (call.Method != "eth_sendRawTransaction" || !call.Params[0]!.GetValue<string>().Contains(MatchOrdersSelector, StringComparison.Ordinal)) return null;
            swallowed = call.Params[0]!.GetValue<string>();
            return call.Answer(Hex.Encode(Keccak256.Hash(Hex.Decode(swallowed))));
        };
        using var rpc = new JsonRpcClient(proxy.Url);
        var runner = new AppRunner(rpc, chain, market) { ReconcileAttempts = 1 };
        var context = await runner.LoadAsync(Request(app, "never mined"), requester.Address);
        var plan = await runner.PlanAsync(context, requester);
        var requestHash = plan.RequestOrder.Hash(context.Domain);
        var sender = new TransactionSender(rpc, requester, chain.ChainId, TransactionSenderOptions.ForChain(chain) with { ReceiptTimeout = TimeSpan.FromSeconds(3) });

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => runner.MatchAsync(plan, requester, sender));
        var command = error.Message[error.Message.IndexOf("Revoke-IExecOrder", StringComparison.Ordinal)..];
        using var session = new ModuleHost(location: Net.Directory);
        var revoked = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; " + command + " -Confirm:$false", new() { ["k"] = ModuleHost.Secure(keyHex) });
        var rebroadcast = await Record.ExceptionAsync(() => Net.Rpc.SendOnceAsync("eth_sendRawTransaction", [swallowed!]));
        var replay = await Record.ExceptionAsync(() => AttackerMatchAsync(plan));

        Assert.Equal(ErrorIds.TransactionPending, error.ErrorId);
        Assert.Contains("not reported as failed", error.Message);
        Assert.Contains("If it is mined, the deal for request order", error.Message);
        Assert.DoesNotContain(plan.RequestOrder.Sign[2..], error.Message); // the command carries no usable signature
        Assert.True(revoked.AllErrors.Count == 0, string.Join(" | ", revoked.AllErrors));
        var cancellation = Assert.IsType<IExecOrderCancellation>(Assert.Single(revoked.Output).BaseObject);
        Assert.Equal(("requestorder", Hex.Encode(requestHash), "Cancelled"), (cancellation.Kind, cancellation.OrderHash, cancellation.Status));
        Assert.Equal(plan.RequestOrder.Volume, await ConsumedAsync(requestHash));
        Assert.IsType<RpcException>(rebroadcast); // its nonce went to the cancel
        Assert.Equal(ErrorIds.TransactionReverted, Assert.IsAssignableFrom<IExecException>(replay).ErrorId);
    }

    [Fact]
    public async Task RevokeIExecOrder_CancelsPipedPublishedOrders_SkipsAnotherOwnersWithAnError_AndIsIdempotent()
    {
        var developer = Net.Accounts[1];
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, developer, chain);
        var foreignApp = await AppRunInteropTests.DeployTutorialAppAsync(Net, Net.Accounts[5], chain);
        var domain = Eip712Domain.ForHub(chain.ChainId, Net.Hub);
        var foreignOrder = new AppOrder { App = foreignApp, Volume = 2, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(Net.Accounts[5], domain);
        using var session = new ModuleHost(location: Net.Directory);

        var first = session.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; $script:own = Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 3 -Confirm:$false; "
            + "$foreign, $own | Revoke-IExecOrder -Confirm:$false",
            new() { ["k"] = DeployProofTests.Secure(developer), ["app"] = app.ToString(), ["foreign"] = AnyOrder.Of(foreignOrder).ToJson(withSignature: true) });
        var again = session.Run("$own | Revoke-IExecOrder -Confirm:$false", new());
        var own = (IExecOrder)session.Run("$own", new()).Output.Single().BaseObject;
        var ownHash = Hex.Decode(own.OrderHash!);

        var notOwned = Assert.Single(first.AllErrors);
        Assert.Equal("OrderNotOwned,IExecSecrets.Commands.RevokeIExecOrderCommand", notOwned.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, notOwned.CategoryInfo.Category);
        Assert.Contains($"signed by {Net.Accounts[5].Address}, not by the connected wallet {developer.Address}", notOwned.Exception.Message);
        var cancelled = Assert.IsType<IExecOrderCancellation>(Assert.Single(first.Output).BaseObject);
        Assert.Equal(("apporder", own.OrderHash, "Cancelled", "3"), (cancelled.Kind, cancelled.OrderHash, cancelled.Status, cancelled.Volume));
        Assert.Matches("^0x[0-9a-f]{64}$", cancelled.TxHash);
        Assert.Equal(new BigInteger(3), await ConsumedAsync(ownHash));
        Assert.Equal(BigInteger.Zero, await ConsumedAsync(foreignOrder.Hash(domain)));
        var second = Assert.IsType<IExecOrderCancellation>(Assert.Single(again.Output).BaseObject);
        Assert.Equal(("AlreadyClosed", (string?)null), (second.Status, second.TxHash));
    }

    [Fact]
    public async Task RevokeIExecOrder_WhatIf_SendsNothing()
    {
        var developer = Net.Accounts[1];
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, developer, chain);
        var order = new AppOrder { App = app, Volume = 1, Salt = OrderSalt.New() }.SignWith(developer, Eip712Domain.ForHub(chain.ChainId, Net.Hub));
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var project = Net.Project("iexec-money-revoke-");
        DevNetProjects.PointChainAt(project, proxy.Url);
        using var session = new ModuleHost(location: project);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Revoke-IExecOrder -Order $o -WhatIf",
            new() { ["k"] = DeployProofTests.Secure(developer), ["o"] = AnyOrder.Of(order).ToJson(withSignature: true) });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        Assert.Empty(run.Output);
        Assert.Contains(proxy.Calls, c => c.Method == "eth_call");
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.Equal(BigInteger.Zero, await ConsumedAsync(order.Hash(Eip712Domain.ForHub(chain.ChainId, Net.Hub))));
    }

    private async Task<(ChainProfile Chain, EthAddress App, MarketClient Market)> AppWithOrderAsync()
    {
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, Net.Accounts[1], chain);
        var market = new MarketClient(new Uri(chain.IExecGateway!));
        await AppRunInteropTests.PublishAppOrderAsync(Net, market, Net.Accounts[1], app, chain);
        return (chain, app, market);
    }

    private static AppRunRequest Request(EthAddress app, string args) =>
        new() { App = app, Tag = OrderTag.Parse("tee,scone"), Params = new RequestParamsBuilder { Args = args } };

    private static string NewKeyHex() => Hex.Encode(RandomNumberGenerator.GetBytes(32));

    private Task<BigInteger> ConsumedAsync(byte[] orderHash) => new PoCoHub(Net.Rpc, Net.Hub).ViewConsumedAsync(orderHash);

    // Someone who saw the signed orders (in the calldata the node received) matches them from their own account.
    private Task<Receipt> AttackerMatchAsync(AppRunPlan plan) =>
        Net.CreateSender(Net.Accounts[8]).SendAsync(Net.Hub, PoCoHub.EncodeMatchOrders(plan.AppOrder.ToMatchOrdersTuple(),
            plan.DatasetOrder.ToMatchOrdersTuple(), plan.WorkerpoolOrder.ToMatchOrdersTuple(), plan.RequestOrder.ToMatchOrdersTuple()));
}
