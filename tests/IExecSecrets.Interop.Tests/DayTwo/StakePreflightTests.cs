namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// A run needs the requester's free stake to pay its price, and a pipeline of runs needs it for all of them: the run
/// session checks, before anything is pushed or signed, that the stake left after the pipeline's earlier matches
/// covers the next run (the oracle: the real hub, whose matchOrders would revert, and the requester's mined nonce).
/// </summary>
[Collection(DayTwoCollection.Name)]
public sealed class StakePreflightTests(DayTwoDevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task PipelineOfRuns_StopsWithInsufficientStakeWhenTheStakeLeftCannotPay_BeforeSigningAnything()
    {
        var developer = Net.Accounts[1];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 7);
        var keyHex = Hex.Encode(RandomNumberGenerator.GetBytes(32));
        using var key = WalletKey.FromHex(keyHex);
        // Gas is free on the devnet; the coin is only what the native escrow takes as RLC.
        await Net.CreateSender(Net.Accounts[0]).SendAsync(key.Address, [], BigInteger.Pow(10, 18));
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var funded = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Add-IExecStake 10 -Confirm:$false", new() { ["k"] = HostedModule.Secure(keyHex) });
        Assert.True(funded.AllErrors.Count == 0, string.Join(" | ", funded.AllErrors));

        var run = session.Run("1..2 | ForEach-Object { [pscustomobject]@{ Arguments = \"run $_\" } } | Invoke-IExecApp -App $app -Tag tee,scone -AppMaxPrice 7 -Force",
            new() { ["app"] = app.ToString() });
        var whatIf = session.Run("Invoke-IExecApp -App $app -Tag tee,scone -AppMaxPrice 7 -WhatIf", new() { ["app"] = app.ToString() });

        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("run 1", System.Text.Json.JsonDocument.Parse((await new Core.PoCo.PoCoHub(Net.Rpc, Net.Hub).ViewDealAsync(Hex.Decode(deal.DealId))).Params).RootElement.GetProperty("iexec_args").GetString());
        var error = Assert.Single(run.AllErrors);
        Assert.Equal("InsufficientStake,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Cost per task (0.000000007 RLC (7 nRLC)) is greater than requester account stake", error.Exception.Message);
        Assert.Contains("nothing was pushed or signed", error.Exception.Message);
        Assert.Equal("input 1", error.TargetObject); // the second input of the pipeline
        // The deposit and one matchOrders: the second run signed and sent nothing.
        Assert.Equal(new BigInteger(2), await DayTwo.MinedNonceAsync(Net, key.Address));
        var (stake, locked) = await DayTwo.CliAccountAsync(Net, key.Address);
        Assert.Equal(new BigInteger(3), stake); // locked: 7 until the worker ends the task, then 0 (paid)
        Assert.True(locked == 7 || locked == 0, $"locked {locked}");
        Assert.Equal("InsufficientStake,IExecSecrets.Commands.InvokeIExecAppCommand", Assert.Single(whatIf.AllErrors).FullyQualifiedErrorId);
    }
}
