using System.Globalization;

namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// The official iexec 8.24.0 CLI as the requester on the devnet: <c>app run --tag tee,scone --secret 1=x1 --watch</c>
/// against the devnet market (app order published by the developer, tee,scone workerpool order by the pool owner),
/// the dev SMS and the devnet worker, all the way to COMPLETED; then the module, in a real PowerShell engine, reads
/// the same task and downloads its result.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class CliAppRunInteropTests(DevNetFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task CliAppRunWatch_CompletesAndTheModuleSeesTheSameTaskAndResult()
    {
        var (net, developer, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 1);
        using var market = new MarketClient(new Uri(chain.IExecGateway!));
        await AppRunInteropTests.PublishAppOrderAsync(net, market, developer, app, chain);
        var coefficients = Enumerable.Range(0, 4).Select(_ => Random.Shared.Next(-9, 10)).ToArray();
        var x = Random.Shared.Next(2, 50);
        var expected = coefficients.Aggregate(BigInteger.Zero, (sum, c) => sum * x + c);

        // A requester that never existed before: its address owns nothing on chain, so the CLI must take both the
        // app order and the workerpool order from the market, and "x1" is new on the SMS. Gas is free on the devnet.
        var work = net.Project("iexec-cli-run-");
        using var requester = WalletKey.Generate();
        await File.WriteAllTextAsync(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(requester));
        using (var sms = new SmsClient(net.SmsUrl))
        {
            await sms.PushAppSecretAsync(developer, app, Encoding.UTF8.GetBytes(string.Join(';', coefficients)));
            await sms.PushRequesterSecretAsync(requester, "x1", Encoding.UTF8.GetBytes(x.ToString(CultureInfo.InvariantCulture)));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await IExecCli.RunAsync(work, "app", "run", app.ToString(), "--tag", "tee,scone", "--secret", "1=x1",
            "--workerpool", net.Workerpool.ToString(), "--watch", "--force");
        output.WriteLine($"iexec app run --watch: exit {run.ExitCode} after {clock.ElapsedMilliseconds} ms");
        output.WriteLine(run.StdOut);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StdErr}{run.StdOut}");
        var shown = JsonNode.Parse(run.StdOut)!;
        Assert.True(shown["ok"]!.GetValue<bool>());
        var dealId = shown["deals"]![0]!["dealid"]!.GetValue<string>();
        Assert.Matches("^0x[0-9a-f]{64}$", dealId);
        Assert.Null(shown["failedTasks"]?.AsArray().FirstOrDefault());
        var cliTask = Assert.Single(shown["tasks"]!.AsArray())!;
        var taskId = cliTask["taskid"]!.GetValue<string>();
        Assert.Equal(Hex.Encode(Core.Orders.ExecutionIds.TaskId(Hex.Decode(dealId), 0)), taskId);
        Assert.Equal("COMPLETED", cliTask["statusName"]!.GetValue<string>());

        // The deal the CLI made is the one asked for: this app, the devnet pool, the fresh requester, the secret mapping.
        using var rpc = new JsonRpcClient(net.RpcUrl);
        var deal = await new PoCoHub(rpc, net.Hub).ViewDealAsync(Hex.Decode(dealId));
        Assert.True(deal.Exists);
        Assert.Equal("{\"iexec_secrets\":{\"1\":\"x1\"},\"iexec_result_storage_provider\":\"ipfs\"}", deal.Params);

        using var module = new ModuleHost(location: work);
        var read = module.Run("Get-IExecTask -TaskId $id; Get-IExecDeal -DealId $deal", new Dictionary<string, object?> { ["id"] = taskId, ["deal"] = dealId });
        Assert.True(read.AllErrors.Count == 0, string.Join(" | ", read.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var task = Assert.IsType<IExecTask>(read.Output[0].BaseObject);
        var readDeal = Assert.IsType<IExecDeal>(read.Output[1].BaseObject);
        Assert.Equal((taskId, dealId, IExecTaskStatus.COMPLETED, "COMPLETED", "ipfs"), (task.TaskId, task.DealId, task.Status, task.StatusName, task.ResultStorage));
        if (cliTask["results"] is JsonObject cliResults) Assert.Equal(cliResults["location"]!.GetValue<string>(), task.ResultLocation);
        Assert.StartsWith("/ipfs/", task.ResultLocation);
        Assert.Equal(app.ToString(), readDeal.App);
        Assert.Equal(net.Workerpool.ToString(), readDeal.Workerpool);
        Assert.Equal(requester.Address.ToString(), readDeal.Requester);
        Assert.Equal("tee,scone", readDeal.Tag);
        // Issue 15: read back, a deal the CLI made names its requester secrets (from its params) and its cost.
        Assert.NotNull(readDeal.RequesterSecrets);
        Assert.Equal("x1", readDeal.RequesterSecrets![1]);
        Assert.Equal(((deal.App.Price + deal.Dataset.Price + deal.Workerpool.Price) * deal.BotSize).ToString(CultureInfo.InvariantCulture), readDeal.Cost);

        var saved = module.Run("Save-IExecTaskResult -TaskId $id -Expand", new Dictionary<string, object?> { ["id"] = taskId });
        Assert.True(saved.AllErrors.Count == 0, string.Join(" | ", saved.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var result = Assert.IsType<IExecTaskResult>(Assert.Single(saved.Output).BaseObject);
        Assert.Equal(
            $"{{\"x\":{x},\"result\":{expected.ToString(CultureInfo.InvariantCulture)}}}",
            File.ReadAllText(Path.Combine(result.ExpandedPath!, "result.txt")));
        Directory.Delete(work, recursive: true);
    }
}
