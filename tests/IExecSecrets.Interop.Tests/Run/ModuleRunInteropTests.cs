using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// The cmdlets in a real PowerShell engine against the devnet: Publish-IExecAppOrder, Invoke-IExecApp -Watch with
/// its progress records, Save-IExecTaskResult -Expand from the pipeline, -WhatIf spending nothing, and Ctrl+C
/// stopping the watch while the deal runs on.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class ModuleRunInteropTests(DevNetFixture fixture)
{
    [Fact]
    public async Task InvokeWatch_ThenSaveResult_GivesResultTxtWithFOfX()
    {
        var net = fixture.Environment;
        var developer = net.Accounts[1];
        var requester = net.Accounts[6];
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(net, developer, chain);
        var secretName = "x-" + Guid.NewGuid().ToString("N")[..8];
        using (var sms = new SmsClient(net.SmsUrl))
        {
            await sms.PushAppSecretAsync(developer, app, Encoding.UTF8.GetBytes("2;0;0;1"));
            await sms.PushRequesterSecretAsync(requester, secretName, Encoding.UTF8.GetBytes("5"));
        }
        using var session = new ModuleHost(location: net.Directory);

        var published = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 5 -Confirm:$false",
            new() { ["k"] = Secure(developer), ["app"] = app.ToString() });
        var run = session.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; $d = Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Watch -PollIntervalSeconds 0.2 -Force; $d; $d.Tasks | Save-IExecTaskResult -Expand",
            new() { ["k"] = Secure(requester), ["app"] = app.ToString(), ["name"] = secretName });

        Assert.Empty(published.AllErrors);
        var order = Assert.IsType<IExecOrder>(Assert.Single(published.Output).BaseObject);
        Assert.Matches("^0x[0-9a-f]{64}$", order.OrderHash);
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var deal = Assert.IsType<IExecDeal>(run.Output[0].BaseObject);
        var saved = Assert.IsType<IExecTaskResult>(run.Output[1].BaseObject);
        Assert.True(deal.Succeeded);
        Assert.Equal("COMPLETED", Assert.Single(deal.Tasks).StatusName);
        Assert.Equal(deal.TaskIds[0], saved.TaskId);
        Assert.Equal(Path.Combine(net.Directory, deal.TaskIds[0] + ".zip"), saved.Path);
        Assert.Equal("{\"x\":5,\"result\":251}", File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
        Assert.Contains(run.Progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.Contains("tasks final", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
    }

    [Fact]
    public async Task Invoke_MissingSecretWithVault_PushesItFromTheVaultThenRuns()
    {
        var (net, requester, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 6);
        var secretName = "vault-x-" + Guid.NewGuid().ToString("N")[..8];
        using (var sms = new SmsClient(net.SmsUrl))
        {
            await sms.PushAppSecretAsync(requester, app, Encoding.UTF8.GetBytes("0;0;1;0"));
        }
        var standIn = Path.Combine(RepoPaths.Root, "tests", "SecretManagementStandIn", "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");
        using var session = new ModuleHost(location: net.Directory);

        var run = session.Run(
            "Import-Module $standIn; Register-SecretVault -ModuleName StandIn -Name RunbookVault; Set-Secret -Name $name -Secret '42' -Vault RunbookVault; "
            + "Connect-IExecWallet -PrivateKey $k | Out-Null; $d = Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Vault RunbookVault -Watch -PollIntervalSeconds 0.2 -Force; $d; $d.Tasks | Save-IExecTaskResult -Expand",
            new() { ["k"] = Secure(requester), ["app"] = app.ToString(), ["name"] = secretName, ["standIn"] = standIn });
        bool pushed;
        using (var sms = new SmsClient(net.SmsUrl))
        {
            pushed = await sms.RequesterSecretExistsAsync(requester.Address, secretName);
        }

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.True(pushed);
        var saved = Assert.IsType<IExecTaskResult>(run.Output[^1].BaseObject);
        Assert.Equal("{\"x\":42,\"result\":42}", File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
    }

    [Fact]
    public async Task Invoke_MissingSecretWithoutVault_FailsRequesterSecretMissingAndSendsNothing()
    {
        var (net, owner, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 5);
        using var rpc = new Core.Chain.JsonRpcClient(net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(owner.Address);
        using var session = new ModuleHost(location: net.Directory);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1='nowhere-to-be-found'} -Force",
            new() { ["k"] = Secure(owner), ["app"] = app.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("RequesterSecretMissing,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Vault", error.ErrorDetails.RecommendedAction);
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(owner.Address));
    }

    [Fact]
    public async Task Invoke_PipedToWaitAndReadBack_DealAndTasksAgree()
    {
        var (net, owner, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 5);
        using var session = new ModuleHost(location: net.Directory);

        var run = session.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; $d = Invoke-IExecApp -App $app -Tag tee,scone -Force; $w = $d | Wait-IExecTask -PollIntervalSeconds 0.2; "
            + "$r = Get-IExecDeal $d.DealId; $t = $r | Get-IExecTask; $d; $w; $r; $t",
            new() { ["k"] = Secure(owner), ["app"] = app.ToString() });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var matched = Assert.IsType<IExecDeal>(run.Output[0].BaseObject);
        var waited = Assert.IsType<IExecTask>(run.Output[1].BaseObject);
        var read = Assert.IsType<IExecDeal>(run.Output[2].BaseObject);
        var task = Assert.IsType<IExecTask>(run.Output[3].BaseObject);
        Assert.Matches("^0x[0-9a-f]{64}$", matched.TxHash);
        Assert.Empty(matched.Tasks);
        Assert.Equal(matched.TaskIds[0], waited.TaskId);
        Assert.Equal("COMPLETED", waited.StatusName);
        Assert.Equal(matched.DealId, read.DealId);
        Assert.Equal(app.ToString(), read.App);
        Assert.Equal(owner.Address.ToString(), read.Requester);
        Assert.Equal("tee,scone", read.Tag);
        Assert.Equal(net.Workerpool.ToString(), read.Workerpool);
        Assert.True(read.Succeeded);
        Assert.Equal(("COMPLETED", matched.DealId, "ipfs"), (task.StatusName, task.DealId, task.ResultStorage));
        Assert.StartsWith("/ipfs/", task.ResultLocation);
    }

    [Fact]
    public async Task Invoke_WhatIf_ShowsTheOrdersAndSpendsNothing()
    {
        var (net, owner, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 5);
        using var rpc = new Core.Chain.JsonRpcClient(net.RpcUrl);
        var nonceBefore = await rpc.GetTransactionCountAsync(owner.Address);
        using var session = new ModuleHost(location: net.Directory);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Arguments 7 -WhatIf",
            new() { ["k"] = Secure(owner), ["app"] = app.ToString() });

        Assert.Empty(run.AllErrors);
        var plan = Assert.IsType<IExecRunPlan>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("Self", plan.AppOrder.Source);
        Assert.Equal("Market", plan.WorkerpoolOrder.Source);
        Assert.Equal("{\"iexec_result_storage_provider\":\"ipfs\",\"iexec_args\":\"7\"}", plan.RequestOrder.Params);
        Assert.Equal(nonceBefore, await rpc.GetTransactionCountAsync(owner.Address));
        Assert.False((await new PoCoHub(rpc, net.Hub).ViewDealAsync(Hex.Decode(plan.PredictedDealId))).Exists);
    }

    [Fact]
    public async Task Invoke_StoppedWhileWatching_StopsQuicklyAndTheDealGoesOn()
    {
        var (net, owner, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 5);
        using var session = new ModuleHost(location: net.Directory);
        session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new() { ["k"] = Secure(owner) });
        using var powershell = PowerShell.Create(session.Runspace);
        powershell.AddScript("Invoke-IExecApp -App $args[0] -Tag tee,scone -Watch -PollIntervalSeconds 60 -Force").AddArgument(app.ToString());
        var matched = new TaskCompletionSource<string>();
        powershell.Streams.Information.DataAdded += (_, e) =>
        {
            var message = powershell.Streams.Information[e.Index].MessageData?.ToString() ?? "";
            if (message.StartsWith("Deal ", StringComparison.Ordinal)) matched.TrySetResult(message.Split(' ')[1]);
        };

        var invocation = powershell.BeginInvoke();
        var dealId = await matched.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var stopClock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Factory.FromAsync(powershell.BeginStop(null, null), powershell.EndStop).WaitAsync(TimeSpan.FromSeconds(30));
        stopClock.Stop();

        Assert.Equal(PSInvocationState.Stopped, powershell.InvocationStateInfo.State);
        // The bound is the behaviour, with a wide margin: a stop that waited for the next poll would take 60 s.
        Assert.True(stopClock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopClock.Elapsed}");
        using var rpc = new Core.Chain.JsonRpcClient(net.RpcUrl);
        var watcher = new Core.Execution.DealWatcher(rpc, net.Hub);
        var tasks = await watcher.WatchAsync(Hex.Decode(dealId), TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(Assert.Single(tasks).IsFinal);
        _ = invocation;
    }

    private static SecureString Secure(DevNetAccount account)
    {
        var secure = new SecureString();
        foreach (var c in account.PrivateKeyHex) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

}
