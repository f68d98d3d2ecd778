using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Module.Tests.Run;

/// <summary>
/// Wait-IExecTask -TimeoutSec ends with WaitTimeout whenever the deadline is what ended the wait (issue 13, item 9): a
/// node that is slow, not down, while the deadline cancels its call in flight is no RpcUnreachable. Main reported
/// RpcUnreachable here (seen in a fresh-clone CI run under load).
/// </summary>
public sealed class WaitTimeoutTests
{
    private const string Task = "0x1111111111111111111111111111111111111111111111111111111111111111";

    private static string ProjectWith(Uri rpc)
    {
        var project = Directory.CreateTempSubdirectory("iexec-wait-").FullName;
        File.WriteAllText(Path.Combine(project, "chain.json"),
            """{"default":"slow","chains":{"slow":{"id":"65535","host":"RPC","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f"}}}""".Replace("RPC", rpc.ToString(), StringComparison.Ordinal));
        return project;
    }

    [Fact]
    public void Wait_DeadlineCancelsACallTheSlowNodeIsStillAnswering_IsWaitTimeout()
    {
        using var release = new ManualResetEventSlim();
        // A node that takes every call and answers none before the test ends: slow, never failing.
        using var node = new RawHttpServer
        {
            Respond = _ =>
            {
                release.Wait(TimeSpan.FromSeconds(60));
                return RawHttpServer.Answer(503, "Service Unavailable", "");
            },
        };
        using var host = new ModuleHost(location: ProjectWith(node.Url));

        var result = host.Run($"Wait-IExecTask -TaskId {Task} -TimeoutSec 5 -PollIntervalSeconds 0.2");
        release.Set();

        var error = result.SingleError();
        Assert.Equal("WaitTimeout,IExecSecrets.Commands.WaitIExecTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.NotEmpty(node.Requests);   // the call was in flight when the deadline came
    }

    [Fact]
    public void Wait_NodeThatFailedAndThenNeverAnsweredTheLastPoll_IsRpcUnreachable()
    {
        // The first poll's call (one body, resent on each retry) always gets a 503; every later call is held without
        // an answer. The last poll then sees nothing at all before the deadline, as a poll started a moment before it
        // does under load: that must not wipe out the failures the earlier poll saw (Manners.Tests' dead node ended
        // WaitTimeout in a loaded full run).
        using var release = new ManualResetEventSlim();
        string? firstBody = null;
        using var node = new RawHttpServer
        {
            Respond = request =>
            {
                var body = System.Text.Encoding.UTF8.GetString(request.Body);
                if (Interlocked.CompareExchange(ref firstBody, body, null) is null || firstBody == body)
                    return RawHttpServer.Answer(503, "Service Unavailable", "");
                release.Wait(TimeSpan.FromSeconds(60));
                return RawHttpServer.Answer(503, "Service Unavailable", "");
            },
        };
        using var host = new ModuleHost(location: ProjectWith(node.Url));

        var result = host.Run($"Wait-IExecTask -TaskId {Task} -TimeoutSec 10 -PollIntervalSeconds 0.2");
        release.Set();

        // The first poll ended (its warning) and a second one reached the node before the deadline.
        Assert.Single(result.Warning, w => w.StartsWith("The RPC node did not answer", StringComparison.Ordinal));
        Assert.True(node.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)).Distinct().Count() >= 2, "no second poll reached the node");
        var error = result.SingleError();
        Assert.Equal("RpcUnreachable,IExecSecrets.Commands.WaitIExecTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Wait_NodeRefusingEveryConnectionPastTheDeadline_IsRpcUnreachable()
    {
        int port;
        using (var probe = new RawHttpServer()) port = probe.Port;   // a port nothing listens on any more
        using var host = new ModuleHost(location: ProjectWith(new Uri($"http://127.0.0.1:{port}/")));

        var result = host.Run($"Wait-IExecTask -TaskId {Task} -TimeoutSec 5 -PollIntervalSeconds 0.2 -WarningAction SilentlyContinue");

        Assert.Equal("RpcUnreachable,IExecSecrets.Commands.WaitIExecTaskCommand", result.SingleError().FullyQualifiedErrorId);
    }
}
