using System.Management.Automation;
using IExecSecrets.DevNet.Worker;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// Invoke-IExecClaim on the real PoCo contracts: a task the devnet worker failed (and left ACTIVE, as a real
/// workerpool does) and a deal no worker ever took both expire when the devnet's clock moves past their final
/// deadline, and their claim gives the requester's stake back. The oracle of the stake is the iexec CLI 8.24
/// (<c>account show</c>) and of the task's state <c>task show</c>; before the deadline, after the claim and for a
/// completed task, nothing is sent (the requester's mined nonce is the oracle).
/// </summary>
[Collection(DayTwoCollection.Name)]
public sealed class ClaimTests(DayTwoDevNetFixture fixture, ITestOutputHelper output)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task FailedTask_IsRefusedBeforeItsDeadline_ThenItsClaimReturnsTheRequestersStake_AsTheCliSees()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[3];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        using (var sms = new SmsClient(Net.SmsUrl)) await sms.PushAppSecretAsync(developer, app, Encoding.UTF8.GetBytes(DayTwo.BadCoefficients));
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 7);
        var project = DayTwo.Project(Net);
        using var session = new ModuleHost(location: project);
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -AppMaxPrice 7 -Force",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        var taskId = Assert.Single(deal.TaskIds);
        var report = await DayTwo.WaitForReportAsync(Net, taskId);
        Assert.Equal(WorkerTaskReport.Failed, report.State);
        Assert.Contains("the app exited with code 1", report.Reason);
        var task = await new PoCoHub(Net.Rpc, Net.Hub).ViewTaskAsync(Hex.Decode(taskId));
        Assert.Equal(PoCoTaskStatus.Active, task.Status); // left for the requester, as a real workerpool leaves it
        var before = await DayTwo.CliAccountAsync(Net, requester.Address);
        var nonce = await DayTwo.MinedNonceAsync(Net, requester.Address);

        var early = session.Run("Invoke-IExecClaim -TaskId $t -Confirm:$false", new() { ["t"] = taskId });
        var deadline = DateTimeOffset.FromUnixTimeSeconds((long)task.FinalDeadline).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var tooEarly = Assert.Single(early.AllErrors);
        Assert.Equal("ClaimTooEarly,IExecSecrets.Commands.InvokeIExecClaimCommand", tooEarly.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, tooEarly.CategoryInfo.Category);
        Assert.Contains($"Cannot claim a task before reaching the consensus deadline date: {deadline}", tooEarly.Exception.Message);
        Assert.Equal(taskId, tooEarly.TargetObject);
        Assert.Equal(nonce, await DayTwo.MinedNonceAsync(Net, requester.Address));

        await Net.ExpireAsync(taskId);
        var claimed = session.Run("Get-IExecTask -TaskId $t | Invoke-IExecClaim -Confirm:$false", new() { ["t"] = taskId });
        Assert.True(claimed.AllErrors.Count == 0, string.Join(" | ", claimed.AllErrors));
        var claim = Assert.IsType<IExecClaim>(Assert.Single(claimed.Output).BaseObject);
        var after = await DayTwo.CliAccountAsync(Net, requester.Address);
        var shown = await DayTwo.CliTaskAsync(Net, taskId);
        await LogGasAsync("claim", claim.TxHashes);

        Assert.Equal(("Task", deal.DealId, requester.Address.ToString(), new BigInteger(7)), (claim.Kind, claim.DealId, claim.Sponsor, claim.Refunded));
        Assert.Equal([taskId], claim.TaskIds);
        Assert.Equal((before.Stake + 7, before.Locked - 7), after);
        Assert.Equal("FAILED", shown["statusName"]!.GetValue<string>());
        var again = session.Run("Invoke-IExecClaim -TaskId $t -Confirm:$false", new() { ["t"] = taskId });
        Assert.Equal("TaskAlreadyClaimed,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(again.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(nonce + 1, await DayTwo.MinedNonceAsync(Net, requester.Address));
    }

    [Fact]
    public async Task DealNoWorkerTook_ExpiresWithTheClock_AndThePipedDealIsClaimedWithInitializeAndClaimArray()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[5];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 5);
        var pool = await DayTwo.IdleWorkerpoolAsync(Net, requester);
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:deal = Invoke-IExecApp -App $app -Workerpool $pool -Tag tee,scone -AppMaxPrice 5 -Force; $deal",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString(), ["pool"] = pool.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        var taskId = Assert.Single(deal.TaskIds);
        var nonce = await DayTwo.MinedNonceAsync(Net, requester.Address);

        var early = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());
        var noDeal = session.Run("Invoke-IExecClaim -TaskId $t -Confirm:$false", new() { ["t"] = taskId });
        Assert.Equal("ClaimTooEarly,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(early.AllErrors).FullyQualifiedErrorId);
        Assert.Contains("Cannot claim a deal before reaching the final time: ", early.AllErrors[0].Exception.Message);
        Assert.Equal("TaskNotInitialized,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(noDeal.AllErrors).FullyQualifiedErrorId);

        await Net.ExpireAsync(deal.DealId);
        var before = await DayTwo.CliAccountAsync(Net, requester.Address);
        var whatIf = session.Run("$deal | Invoke-IExecClaim -WhatIf", new());
        Assert.Empty(whatIf.AllErrors);
        Assert.Equal(nonce, await DayTwo.MinedNonceAsync(Net, requester.Address));
        var claimed = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());
        Assert.True(claimed.AllErrors.Count == 0, string.Join(" | ", claimed.AllErrors));
        var claim = Assert.IsType<IExecClaim>(Assert.Single(claimed.Output).BaseObject);
        var after = await DayTwo.CliAccountAsync(Net, requester.Address);
        var shown = await DayTwo.CliTaskAsync(Net, taskId);
        await LogGasAsync("initializeAndClaimArray", claim.TxHashes);

        Assert.Equal(("Deal", deal.DealId, new BigInteger(5)), (claim.Kind, claim.DealId, claim.Refunded));
        Assert.Equal([taskId], claim.TaskIds);
        Assert.Single(claim.TxHashes);
        Assert.Equal((before.Stake + 5, before.Locked - 5), after);
        Assert.Equal("FAILED", shown["statusName"]!.GetValue<string>());
        var again = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());
        Assert.Equal("NothingToClaim,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(again.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(nonce + 1, await DayTwo.MinedNonceAsync(Net, requester.Address));
    }

    [Fact]
    public async Task CompletedTask_IsTaskAlreadyCompleted_AndItsDealNothingToClaim_EvenPastTheDeadline()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[6];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        using (var sms = new SmsClient(Net.SmsUrl)) await sms.PushAppSecretAsync(developer, app, Encoding.UTF8.GetBytes("1;0;0;0"));
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 0);
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:deal = Invoke-IExecApp -App $app -Tag tee,scone -Watch -PollIntervalSeconds 0.2 -Force; $deal",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        Assert.True(deal.Succeeded);
        await Net.ExpireAsync(deal.DealId);
        var nonce = await DayTwo.MinedNonceAsync(Net, requester.Address);

        var task = session.Run("$deal.TaskIds | Invoke-IExecClaim -Confirm:$false", new());
        var whole = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());

        Assert.Equal("TaskAlreadyCompleted,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(task.AllErrors).FullyQualifiedErrorId);
        Assert.Equal("NothingToClaim,IExecSecrets.Commands.InvokeIExecClaimCommand", Assert.Single(whole.AllErrors).FullyQualifiedErrorId);
        Assert.Contains("1 COMPLETED", whole.AllErrors[0].Exception.Message);
        Assert.Equal(nonce, await DayTwo.MinedNonceAsync(Net, requester.Address));
    }

    [Fact]
    public async Task ClaimWhoseReceiptLacksTaskClaimed_IsClaimUnconfirmed_NotAClaimOfNothing()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[7];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 3);
        var pool = await DayTwo.IdleWorkerpoolAsync(Net, requester);
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var project = DayTwo.Project(Net);
        var chainJson = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        using var session = new ModuleHost(location: project);
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:deal = Invoke-IExecApp -App $app -Workerpool $pool -Tag tee,scone -AppMaxPrice 3 -Force; $deal",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString(), ["pool"] = pool.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        await Net.ExpireAsync(deal.DealId);
        // The node mines the claim but answers its receipt with the logs stripped.
        proxy.Rewrite = (call, answer) =>
        {
            if (call.Method != "eth_getTransactionReceipt" || HostileRpcProxy.ResultOf(answer) is not System.Text.Json.Nodes.JsonObject receipt) return null;
            receipt["logs"] = new System.Text.Json.Nodes.JsonArray();
            return new System.Text.Json.Nodes.JsonObject { ["jsonrpc"] = "2.0", ["id"] = call.Id?.DeepClone(), ["result"] = receipt.DeepClone() }.ToJsonString();
        };

        var claimed = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());

        Assert.Empty(claimed.Output);
        var error = Assert.Single(claimed.AllErrors);
        Assert.Equal("ClaimUnconfirmed,IExecSecrets.Commands.InvokeIExecClaimCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no TaskClaimed event", error.Exception.Message);
        Assert.Contains(deal.TaskIds[0], error.Exception.Message);
    }

    private async Task LogGasAsync(string what, string[] transactions)
    {
        foreach (var hash in transactions)
        {
            var receipt = await Net.Rpc.GetReceiptAsync(hash);
            output.WriteLine($"{what} {hash}: {receipt?.GasUsed} gas");
        }
    }
}
