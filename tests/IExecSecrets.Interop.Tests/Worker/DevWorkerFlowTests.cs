using System.IO.Compression;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.Interop.Tests.Worker;

[Collection(DevNetCollection.Name)]
public sealed class DevWorkerFlowTests(DevNetFixture fixture, ITestOutputHelper output)
{
    private IExecSecrets.DevNet.DevNetEnvironment Net => fixture.Environment;

    [Theory]
    [InlineData("js/app.js")]
    [InlineData("python/app.py")]
    public async Task TutorialAppRunsToCompletedWithItsResultInTheGateway(string script)
    {
        var harness = new RunHarness(Net);
        var (a, b, c, d) = (RandomNumberGenerator.GetInt32(1, 9), RandomNumberGenerator.GetInt32(0, 9), RandomNumberGenerator.GetInt32(0, 9), RandomNumberGenerator.GetInt32(0, 99));
        var x = RandomNumberGenerator.GetInt32(2, 1000);
        var app = await harness.DeployAppAsync("file://" + Path.Combine(RunHarness.RepositoryRoot, "enclave", script), $"{a};{b};{c};{d}");
        var secretName = await harness.PushRequesterSecretAsync(x.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (taskId, task, elapsed) = await harness.RunAsync(app, RunHarness.Params(secretName));
        output.WriteLine($"{script}: matchOrders -> {task.Status} in {elapsed.TotalMilliseconds:0} ms");

        var report = Net.Worker.GetReport(Hex.Encode(taskId));
        Assert.True(task.Status == PoCoTaskStatus.Completed, $"task ended {task.Status}: {report?.Reason}");
        var results = JsonNode.Parse(Encoding.UTF8.GetString(task.Results))!;
        Assert.Equal("ipfs", results["storage"]!.GetValue<string>());
        var location = results["location"]!.GetValue<string>();
        Assert.StartsWith("/ipfs/Qm", location);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(Net.Ipfs.Url, location));
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.GetEntry("result.txt")!.Open());
        var resultText = await reader.ReadToEndAsync();
        BigInteger big = x;
        var expected = a * big * big * big + b * big * big + c * big + d;
        Assert.Equal($"{{\"x\":{x},\"result\":{expected}}}", resultText);
        Assert.NotNull(zip.GetEntry("computed.json"));

        // The on-chain digest is the SHA-256 of the deterministic output the requester downloads.
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(resultText)), task.ResultDigest);

        // The chain shows COMPLETED as soon as the block is mined; the worker records it once it has read the receipt.
        var reportUrl = $"{Net.Market.Url.ToString().TrimEnd('/')}/tasks/{Hex.Encode(taskId)}";
        var status = JsonNode.Parse(await http.GetStringAsync(reportUrl))!;
        for (var wait = 0; wait < 100 && status["task"]!["state"]!.GetValue<string>() == WorkerTaskReport.Running; wait++)
        {
            await Task.Delay(100);
            status = JsonNode.Parse(await http.GetStringAsync(reportUrl))!;
        }
        Assert.Equal(WorkerTaskReport.Completed, status["task"]!["state"]!.GetValue<string>());
        Assert.Equal(location, status["task"]!["resultLocation"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailingAppEndsFailedOnChainWithItsReasonAndNoSecret()
    {
        var harness = new RunHarness(Net);
        // Two coefficients instead of four: the tutorial app refuses the developer secret and exits with code 1.
        var app = await harness.DeployAppAsync("file://" + Path.Combine(RunHarness.RepositoryRoot, "enclave", "js", "app.js"), "7;9");
        var requesterValue = "731" + RandomNumberGenerator.GetInt32(100000, 999999);
        var secretName = await harness.PushRequesterSecretAsync(requesterValue);

        var (taskId, task, elapsed) = await harness.RunAsync(app, RunHarness.Params(secretName));
        output.WriteLine($"failing app: matchOrders -> {task.Status} in {elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(PoCoTaskStatus.Failed, task.Status);
        var report = await SettledReportAsync(taskId);
        Assert.Equal(WorkerTaskReport.Failed, report.State);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains("exited with code 1", report.Reason);
        Assert.Contains("malformed", report.Reason);
        var log = await File.ReadAllTextAsync(Path.Combine(Net.Directory, "worker", "worker.log"));
        foreach (var text in new[] { report.Reason!, log })
        {
            Assert.DoesNotContain(requesterValue, text);
            Assert.DoesNotContain("7;9", text);
        }
    }

    [Fact]
    public async Task MissingRequesterSecretFailsTheTaskWithoutRunningTheApp()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("file://" + Path.Combine(RunHarness.RepositoryRoot, "enclave", "js", "app.js"), "1;1;1;1");
        var missing = "never-pushed-" + Guid.NewGuid().ToString("N")[..8];

        var (taskId, task, _) = await harness.RunAsync(app, RunHarness.Params(missing));

        Assert.Equal(PoCoTaskStatus.Failed, task.Status);
        var report = await SettledReportAsync(taskId);
        Assert.Null(report.ExitCode);
        Assert.Contains($"requester secret \"{missing}\" is not set", report.Reason);
    }

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("\"hello world\" 2", new[] { "hello world", "2" })]
    [InlineData("'it''s' x\\ y \"q\\\"uote\"", new[] { "its", "x y", "q\"uote" })]
    [InlineData("   ", new string[0])]
    public void ArgumentsSplitLikeAShellWordList(string args, string[] expected) =>
        Assert.Equal(expected, WorkerArguments.Split(args));

    // The chain is final as soon as the block is mined; the worker records its report once it has read the receipt.
    private async Task<WorkerTaskReport> SettledReportAsync(byte[] taskId)
    {
        var report = Net.Worker.GetReport(Hex.Encode(taskId));
        for (var wait = 0; wait < 100 && (report is null || report.State == WorkerTaskReport.Running); wait++)
        {
            await Task.Delay(100);
            report = Net.Worker.GetReport(Hex.Encode(taskId));
        }
        return report!;
    }
}
