namespace IExecSecrets.Interop.Tests.DevNet;

// Runs the real `up` command as a child process and stops it the way a user does, with SIGINT.
public sealed class UpCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iexec-devnet-up-" + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<int> SendSignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    // A user's Ctrl+C reaches a devnet run in a terminal's foreground, where SIGINT has its default disposition. The
    // test run itself may have inherited SIGINT ignored (a full run started by a script with `&` or nohup: POSIX shells
    // start background jobs so), and a child inherits an ignore, which .NET then keeps: `env --default-signal=INT`
    // (GNU coreutils) gives the devnet the terminal's disposition whatever this run inherited.
    [Fact]
    public Task UpServesTheChainUntilSigintThenStopsItsChildren() =>
        UpServesTheChainUntilSignalledAsync("--default-signal=INT", "INT", "Press Ctrl+C to stop.");

    // Started as a script's background job (SIGINT ignored), the devnet cannot be stopped with Ctrl+C and must not
    // promise it: it names the SIGTERM that still stops it, and stops on it.
    [Fact]
    public Task UpStartedWithSigintIgnoredSaysSoAndStopsOnSigterm() =>
        UpServesTheChainUntilSignalledAsync("--ignore-signal=INT", "TERM", "SIGINT is ignored here (started in the background by a shell): stop with kill -TERM {0}.");

    private async Task UpServesTheChainUntilSignalledAsync(string sigintDisposition, string signal, string expectedLastLine)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // env execs dotnet, so the process id is the devnet's.
        foreach (var argument in new[] { sigintDisposition, "dotnet", Path.Combine(AppContext.BaseDirectory, "IExecSecrets.DevNet.dll"), "up", "--dir", _directory })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<string>();
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            // The last line of the banner, either form: which one is asserted below.
            if (e.Data.StartsWith("Press Ctrl+C", StringComparison.Ordinal) || e.Data.StartsWith("SIGINT is ignored", StringComparison.Ordinal))
                ready.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("ERR " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Safety nets, not bounds: the conditions are the banner's last line and the exit. A fresh clone's first
            // devnet deploys PoCo beside the Interop fixture's own devnet on 2 cores, and a 90 s net timed out in CI.
            await WithOutputOnTimeout(ready.Task.WaitAsync(TimeSpan.FromMinutes(5)), lines, "the devnet never said it was ready");
            Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expectedLastLine, process.Id), await ready.Task);
            using var devnet = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "devnet.json")));
            using var rpc = new JsonRpcClient(new Uri(devnet.RootElement.GetProperty("rpcUrl").GetString()!), maxRetries: 0);
            Assert.Equal(134UL, await rpc.ChainIdAsync());
            Assert.NotEmpty(await rpc.GetCodeAsync(Core.Crypto.EthAddress.Parse(devnet.RootElement.GetProperty("hub").GetString()!)));

            Assert.Equal(0, await SendSignalAsync(signal, process.Id));
            // A hang bound, not a speed bound: the stop takes about a second even at load 20.
            await WithOutputOnTimeout(process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2)), lines, $"the devnet did not exit after SIG{signal}");

            Assert.Equal(0, process.ExitCode);
            await Assert.ThrowsAsync<Core.Errors.IExecException>(() => rpc.ChainIdAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        lock (lines) Assert.Contains(lines, l => l.Contains("stopping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpWithoutDirectoryIsAUsageError()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IExecSecrets.DevNet.dll"));
        start.ArgumentList.Add("up");
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--dir", error);
    }

    private static async Task WithOutputOnTimeout(Task wait, List<string> lines, string what)
    {
        try { await wait; }
        catch (TimeoutException)
        {
            string output;
            lock (lines) output = string.Join(Environment.NewLine, lines.TakeLast(40));
            Assert.Fail($"{what}; its last output:{Environment.NewLine}{output}");
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
