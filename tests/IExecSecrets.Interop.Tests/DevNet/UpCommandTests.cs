using System.Diagnostics;
using System.Text.Json;
using IExecSecrets.Core.Chain;
using Xunit;

namespace IExecSecrets.Interop.Tests.DevNet;

// Runs the real `up` command as a child process and stops it the way a user does, with SIGINT.
public sealed class UpCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iexec-devnet-up-" + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<int> SendSigintAsync(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    [Fact]
    public async Task UpServesTheChainUntilSigintThenStopsItsChildren()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "IExecSecrets.DevNet.dll"), "up", "--dir", _directory })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var ready = new TaskCompletionSource();
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("ERR " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Safety nets, not bounds: the conditions are the "Press Ctrl+C" line and the exit. A fresh clone's first
            // devnet deploys PoCo beside the Interop fixture's own devnet on 2 cores, and a 90 s net timed out in CI.
            await WithOutputOnTimeout(ready.Task.WaitAsync(TimeSpan.FromMinutes(5)), lines, "the devnet never said it was ready");
            using var devnet = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "devnet.json")));
            using var rpc = new JsonRpcClient(new Uri(devnet.RootElement.GetProperty("rpcUrl").GetString()!), maxRetries: 0);
            Assert.Equal(134UL, await rpc.ChainIdAsync());
            Assert.NotEmpty(await rpc.GetCodeAsync(Core.Crypto.EthAddress.Parse(devnet.RootElement.GetProperty("hub").GetString()!)));

            Assert.Equal(0, await SendSigintAsync(process.Id));
            await WithOutputOnTimeout(process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2)), lines, "the devnet did not exit after SIGINT");

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
