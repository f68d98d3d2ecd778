using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Issue 13 item 9: Wait-IExecTask -TimeoutSec ends WaitTimeout whenever the deadline is what ended the wait, also when
/// the deadline cuts a poll of a node that answered before (a loaded node, not a dead one).
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class WaitDeadlineTests(DevNetFixture fixture)
{
    [Fact]
    public async Task Wait_DeadlineCutsAPollOfANodeThatAnsweredBefore_EndsWaitTimeout()
    {
        var net = fixture.Environment;
        await using var proxy = await HostileRpcProxy.StartAsync(net.RpcUrl);
        var clock = Stopwatch.StartNew();
        // The first polls are answered at once; from 1 s on, every call takes far longer than the 5 s wait may (a timeout is
        // the subject, so it is not short: a loaded machine must not turn it into another outcome).
        proxy.Answer = call =>
        {
            if (call.Method == "eth_call" && clock.Elapsed > TimeSpan.FromSeconds(1)) Thread.Sleep(TimeSpan.FromSeconds(15));
            return null;
        };
        var work = net.Project("iexec-wait-deadline-");
        DevNetProjects.PointChainAt(work, proxy.Url);
        using var module = new ModuleHost(location: work);

        clock.Restart();
        var run = module.Run("Wait-IExecTask -TaskId $t -TimeoutSec 5 -PollIntervalSeconds 0.1", new Dictionary<string, object?> { ["t"] = "0x" + string.Concat(Enumerable.Repeat("cd", 32)) });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("WaitTimeout,IExecSecrets.Commands.WaitIExecTaskCommand", error.FullyQualifiedErrorId);
        Assert.Single(run.Output);
    }
}
