using System.Globalization;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// <c>IExecSecrets.DevNet clock</c>, the command a script (or a Pester test) moves a running devnet's clock with: by a
/// number of seconds, or just past a deal's final deadline. The oracle is the node's latest block timestamp and the
/// real hub, which only lets a deal be claimed after that deadline.
/// </summary>
[Collection(DayTwoCollection.Name)]
public sealed class ClockCommandTests(DayTwoDevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task Advance_MovesTheChainClockByTheSeconds()
    {
        var before = await Net.ChainTimeAsync();

        var (exit, stdout, _) = await ClockAsync("--advance", "7200");

        Assert.Equal(0, exit);
        var after = await Net.ChainTimeAsync();
        Assert.True(after - before >= TimeSpan.FromSeconds(7200), $"{before:O} -> {after:O}");
        Assert.Contains($"chain time {after.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}", stdout);
    }

    [Fact]
    public async Task Expire_MovesTheClockPastADealsFinalDeadline_SoItsClaimGoesThrough()
    {
        var requester = Net.Accounts[7];
        var app = await DayTwo.DeployAppAsync(Net, Net.Accounts[1]);
        await DayTwo.PublishAppOrderAsync(Net, Net.Accounts[1], app, price: 0);
        var pool = await DayTwo.IdleWorkerpoolAsync(Net, requester);
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:deal = Invoke-IExecApp -App $app -Workerpool $pool -Tag tee,scone -Force; $deal",
            new() { ["k"] = DeployProofTests.Secure(requester), ["app"] = app.ToString(), ["pool"] = pool.ToString() });
        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        var poco = new PoCoHub(Net.Rpc, Net.Hub);
        var onChain = await poco.ViewDealAsync(Hex.Decode(deal.DealId));
        var category = await poco.ViewCategoryAsync(onChain.Category);
        var deadline = DateTimeOffset.FromUnixTimeSeconds((long)(onChain.StartTime + await poco.FinalDeadlineRatioAsync() * category.WorkClockTimeRef));

        var (exit, stdout, _) = await ClockAsync("--expire", deal.DealId);
        var claimed = session.Run("$deal | Invoke-IExecClaim -Confirm:$false", new());

        Assert.Equal(0, exit);
        Assert.Contains($"deadline {deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}", stdout);
        Assert.True(await Net.ChainTimeAsync() > deadline);
        Assert.True(claimed.AllErrors.Count == 0, string.Join(" | ", claimed.AllErrors));
        Assert.IsType<IExecClaim>(Assert.Single(claimed.Output).BaseObject);
    }

    [Theory]
    [InlineData("--advance", "0")]
    [InlineData("--advance", "soon")]
    [InlineData("--expire", "0x1234")]
    public async Task BadArgumentsAreUsageErrors(string option, string value)
    {
        var (exit, _, stderr) = await ClockAsync(option, value);

        Assert.Equal(2, exit);
        Assert.Contains("argument", stderr);
    }

    private async Task<(int Exit, string StdOut, string StdErr)> ClockAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "IExecSecrets.DevNet.dll"), "clock", "--dir", Net.Directory }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
