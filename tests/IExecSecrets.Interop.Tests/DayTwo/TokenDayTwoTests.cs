namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// The day-two commands on the token devnet (RLC token escrow, TDX runs: today's network) with the iexec CLI 9.0.1 as
/// the oracle and the other client: the account it shows, deposits and withdraws each side sees, a claim whose refund
/// it shows, and app orders each side unpublishes.
/// </summary>
[Collection(DayTwoTokenCollection.Name)]
public sealed class TokenDayTwoTests(DayTwoTokenDevNetFixture fixture, ITestOutputHelper output)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task Account_DepositAndWithdraw_WithTheRlcToken_AreWhatIExec9Shows_AndIExec9sDepositShowsInTheModule()
    {
        var keyHex = Hex.Encode(RandomNumberGenerator.GetBytes(32));
        using var key = WalletKey.FromHex(keyHex);
        // 10 RLC of the token from the deployer, who holds the rest of the supply.
        await Net.CreateSender(Net.Accounts[0]).SendAsync(Net.Deployment.Token, Abi.EncodeCall("transfer(address,uint256)", key.Address, new BigInteger(10_000_000_000)));
        var project = await DayTwo.CliProjectAsync(Net, keyHex, v9: true);
        var moduleProject = DayTwo.Project(Net);
        using var session = new ModuleHost(location: moduleProject);

        var shown = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Get-IExecAccount", new() { ["k"] = HostedModule.Secure(keyHex) });
        var added = session.Run("Add-IExecStake '4 RLC' -Confirm:$false", new());
        var afterAdd = (await DayTwo.CliAccountAsync(Net, key.Address, v9: true), await DayTwo.CliWalletRlcAsync(Net, key.Address, v9: true));
        var removed = session.Run("Remove-IExecStake '1.5 RLC' -Confirm:$false", new());
        var afterRemove = (await DayTwo.CliAccountAsync(Net, key.Address, v9: true), await DayTwo.CliWalletRlcAsync(Net, key.Address, v9: true));
        await DayTwo.Cli(true, project, "account", "deposit", "2", "RLC", "--chain", "devnet");
        var seen = session.Run("Get-IExecAccount", new());

        Assert.True(shown.AllErrors.Count + added.AllErrors.Count + removed.AllErrors.Count + seen.AllErrors.Count == 0,
            string.Join(" | ", shown.AllErrors.Concat(added.AllErrors).Concat(removed.AllErrors).Concat(seen.AllErrors)));
        var first = Assert.IsType<IExecAccount>(Assert.Single(shown.Output).BaseObject);
        Assert.Equal(("Token", Net.Deployment.Token.ToString(), new BigInteger(10_000_000_000), BigInteger.Zero), (first.Escrow, first.Token, first.Balance, first.Stake));
        Assert.Equal(((new BigInteger(4_000_000_000), BigInteger.Zero), new BigInteger(6_000_000_000)), afterAdd);
        Assert.Equal(((new BigInteger(2_500_000_000), BigInteger.Zero), new BigInteger(7_500_000_000)), afterRemove);
        var last = Assert.IsType<IExecAccount>(Assert.Single(seen.Output).BaseObject);
        Assert.Equal((new BigInteger(4_500_000_000), new BigInteger(5_500_000_000)), (last.Stake, last.Balance));
        var deposit = Assert.IsType<IExecStakeChange>(Assert.Single(added.Output).BaseObject);
        output.WriteLine($"token deposit (approveAndCall) {deposit.TxHash}: {(await Net.Rpc.GetReceiptAsync(deposit.TxHash))?.GasUsed} gas");
    }

    [Fact]
    public async Task ExpiredTdxDeal_ClaimReturnsTheStakeIExec9Shows_AndIExec9ShowsTheTaskFailed()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[5];
        var app = await DayTwo.DeployAppAsync(Net, developer, tdx: true);
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 4, tag: "tee,tdx");
        var pool = await DayTwo.IdleWorkerpoolAsync(Net, requester);
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:deal = Invoke-IExecApp -App $app -Workerpool $pool -Tag tee,tdx -AppMaxPrice 4 -Force; $deal",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString(), ["pool"] = pool.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        await Net.ExpireAsync(deal.DealId);
        var before = await DayTwo.CliAccountAsync(Net, requester.Address, v9: true);

        var claimed = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());
        var after = await DayTwo.CliAccountAsync(Net, requester.Address, v9: true);
        var task = await DayTwo.CliTaskAsync(Net, deal.TaskIds[0], v9: true);

        Assert.True(claimed.AllErrors.Count == 0, string.Join(" | ", claimed.AllErrors));
        Assert.Equal(new BigInteger(4), ((IExecClaim)Assert.Single(claimed.Output).BaseObject).Refunded);
        Assert.Equal((before.Stake + 4, before.Locked - 4), after);
        Assert.Equal("FAILED", task["statusName"]!.GetValue<string>());
    }

    [Fact]
    public async Task AppOrders_UnpublishedByTheModuleLeaveIExec9sOrderbook_AndIExec9sUnpublishLeavesTheModules()
    {
        var developer = Net.Accounts[1];
        var app = await DayTwo.DeployAppAsync(Net, developer, tdx: true);
        var project = await DayTwo.CliProjectAsync(Net, developer.PrivateKeyHex, v9: true);
        using var session = new ModuleHost(location: DayTwo.Project(Net));

        var published = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; 1..2 | ForEach-Object { (Publish-IExecAppOrder -App $app -Volume $_ -Confirm:$false).OrderHash }",
            new() { ["k"] = DeployProofTests.Secure(developer), ["app"] = app.ToString() });
        var listed = await OrderbookAsync(project, app);
        var unpublished = session.Run("Unpublish-IExecAppOrder -App $app -All -Confirm:$false", new() { ["app"] = app.ToString() });
        var listedAfter = await OrderbookAsync(project, app);
        var cliHash = JsonNode.Parse(await DayTwo.Cli(true, project, "app", "publish", app.ToString(), "--tag", "tee,tdx", "--volume", "3", "--chain", "devnet", "--force"))!["orderHash"]!.GetValue<string>();
        var seen = session.Run("(Get-IExecAppOrder -App $app).OrderHash", new() { ["app"] = app.ToString() });
        await DayTwo.Cli(true, project, "app", "unpublish", app.ToString(), "--all", "--chain", "devnet", "--force");
        var seenAfter = session.Run("Get-IExecAppOrder -App $app", new() { ["app"] = app.ToString() });

        Assert.True(published.AllErrors.Count + unpublished.AllErrors.Count == 0, string.Join(" | ", published.AllErrors.Concat(unpublished.AllErrors)));
        var hashes = published.Output.Select(o => (string)o.BaseObject).OrderBy(h => h).ToList();
        Assert.Equal(hashes, listed.OrderBy(h => h));
        Assert.Equal(hashes, unpublished.Output.Select(o => ((IExecOrderUnpublication)o.BaseObject).OrderHash).OrderBy(h => h));
        Assert.Empty(listedAfter);
        Assert.Equal([cliHash], seen.Output.Select(o => (string)o.BaseObject));
        Assert.Empty(seenAfter.Output);
    }

    private static async Task<List<string>> OrderbookAsync(string project, EthAddress app)
    {
        var shown = JsonNode.Parse(await DayTwo.Cli(true, project, "orderbook", "app", app.ToString(), "--tag", "tee,tdx", "--chain", "devnet"))!;
        return shown["appOrders"]!.AsArray().Select(o => o!["orderHash"]!.GetValue<string>()).ToList();
    }
}
