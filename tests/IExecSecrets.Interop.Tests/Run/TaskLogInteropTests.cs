using IExecSecrets.Interop.Tests.Worker;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Get-IExecTaskLog against the devnet workerpool API, found through the devnet's Compass: the requester reads what
/// an app printed on a COMPLETED and on a FAILED task, as the dev worker kept it (the dev worker, like iexec-worker,
/// replaces the secret values it gave the app by ***: that redaction is the devnet's, the module shows the log as the
/// API answers it); another wallet is refused before any log request. The devnet API's own login checks are tested in
/// DevNet/DevWorkerpoolApiTests.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class TaskLogInteropTests(DevNetFixture fixture) : IDisposable
{
    private readonly string _scripts = Directory.CreateTempSubdirectory("tasklog-apps-").FullName;

    [Theory]
    [InlineData(0, PoCoTaskStatus.Completed)]
    [InlineData(3, PoCoTaskStatus.Failed)]
    public async Task Requester_ReadsTheAppOutputOfItsTask_AsTheDevWorkerRedactedIt(int exitCode, PoCoTaskStatus expected)
    {
        var net = fixture.Environment;
        // A task another test left failing makes the worker claim it, which moves the devnet clock past that task's
        // deadline and with it any task in flight: start only once the worker is idle.
        await WorkerIdleAsync();
        var harness = new RunHarness(net);
        var appSecret = "app-canary-" + RandomNumberGenerator.GetHexString(12);
        var requesterSecret = "req-canary-" + RandomNumberGenerator.GetHexString(12);
        var app = await harness.DeployAppAsync("file://" + EchoApp(exitCode), appSecret);
        var secretName = await harness.PushRequesterSecretAsync(requesterSecret);
        var (taskId, task, _) = await harness.RunAsync(app, RunHarness.Params(secretName));
        await SettledAsync(taskId);
        Assert.True(expected == task.Status, $"task ended {task.Status}: {net.Worker.GetReport(Hex.Encode(taskId))?.Reason}");
        using var module = new ModuleHost(location: net.Directory);

        var (output, errors) = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Get-IExecTaskLog -TaskId $t",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(harness.Requester.PrivateKeyHex), ["t"] = Hex.Encode(taskId) });

        Assert.True(errors.Count == 0, string.Join(" | ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var log = Assert.IsType<IExecTaskLog>(Assert.Single(output).BaseObject);
        Assert.Equal(Hex.Encode(taskId), log.TaskId);
        Assert.Equal(net.Worker.Address.ToString(), log.Worker);
        Assert.Contains("stdout-marker", log.StandardOutput);
        Assert.Contains("stderr-marker", log.StandardError);
        Assert.Contains("requester=***", log.StandardOutput);
        Assert.Contains("developer=***", log.StandardError);
        foreach (var text in new[] { log.StandardOutput, log.StandardError })
        {
            Assert.DoesNotContain(requesterSecret, text);
            Assert.DoesNotContain(appSecret, text);
        }
    }

    [Fact]
    public async Task AnotherWallet_IsRefusedAsNotTaskRequester_WithoutALogRequest()
    {
        var net = fixture.Environment;
        var harness = new RunHarness(net);
        var app = await harness.DeployAppAsync("file://" + EchoApp(0), "x");
        var secretName = await harness.PushRequesterSecretAsync("y");
        var (taskId, _, _) = await harness.RunAsync(app, RunHarness.Params(secretName));
        var refusedBefore = net.WorkerpoolApi.RefusedLogRequests;
        using var module = new ModuleHost(location: net.Directory);

        var (output, errors) = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Get-IExecTaskLog -TaskId $t",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(net.Accounts[8].PrivateKeyHex), ["t"] = Hex.Encode(taskId) });

        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.StartsWith("NotTaskRequester,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal(refusedBefore, net.WorkerpoolApi.RefusedLogRequests);
    }

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    // A node app that prints its secrets (which the worker must redact) and markers, writes a result and exits.
    private string EchoApp(int exitCode)
    {
        var path = Path.Combine(_scripts, $"echo-{exitCode}-{Guid.NewGuid():N}.js");
        File.WriteAllText(path, $$"""
            const fs = require('fs');
            const out = process.env.IEXEC_OUT;
            console.log('stdout-marker requester=' + process.env.IEXEC_REQUESTER_SECRET_1);
            console.error('stderr-marker developer=' + process.env.IEXEC_APP_DEVELOPER_SECRET);
            fs.writeFileSync(out + '/result.txt', 'done');
            fs.writeFileSync(out + '/computed.json', JSON.stringify({ 'deterministic-output-path': out + '/result.txt' }));
            process.exit({{exitCode}});
            """);
        return path;
    }

    private async Task WorkerIdleAsync()
    {
        // Idle for 2 s in a row: long enough for the worker to have picked up any deal matched before this test.
        var idle = 0;
        for (var wait = 0; wait < 900 && idle < 20; wait++)
        {
            idle = fixture.Environment.Worker.Reports.Any(r => r.State == "RUNNING") ? 0 : idle + 1;
            await Task.Delay(100);
        }
    }

    private async Task SettledAsync(byte[] taskId)
    {
        for (var wait = 0; wait < 100 && fixture.Environment.Worker.GetReport(Hex.Encode(taskId)) is not { State: not "RUNNING" }; wait++)
        {
            await Task.Delay(100);
        }
    }
}
