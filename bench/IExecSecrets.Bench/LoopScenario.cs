using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Bench;

/// <summary>
/// Per-command cost (issue 10): a runbook's plain <c>foreach</c> of separate <c>Push-IExecRequesterSecret</c> commands,
/// each a whole command (parameter binding, chain/SMS resolution, client, HEAD + signed POST), beside the piped batch
/// (one command, many items) and one official <c>iexec requester push-secret</c>, all against one dev SMS in one run.
/// The loop runs in a real pwsh process (the pinned 7.6.x, found as IEXEC_BENCH_PWSH, tools/pwsh or on PATH) and in a
/// hosted runspace in this process; each is repeated and reported as best and median.
/// </summary>
internal static class LoopScenario
{
    // anvil's published test account #3 (a devnet key, public by design).
    private const string DevKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    // One script for both hosts: import, connect, then per repetition a foreach of separate commands and a piped batch,
    // each with fresh names (requester secrets are write-once). The SMS comes from ./chain.json (-Chain bench), so every
    // command pays chain resolution as a runbook's does. Prints one JSON line of milliseconds.
    private const string Script = """
        param($manifest, $dir, $count, $repeat, $key, $tag)
        $ErrorActionPreference = 'Stop'
        # Only Microsoft.PowerShell.Core commands: a hosted engine without $PSHOME modules has no Set-Location,
        # ConvertTo-SecureString or ConvertTo-Json.
        $ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null
        Import-Module $manifest
        function Secure([string] $text) { $s = [System.Security.SecureString]::new(); foreach ($c in $text.ToCharArray()) { $s.AppendChar($c) }; $s }
        Connect-IExecWallet -PrivateKey (Secure $key) | Out-Null
        $value = Secure '1'
        # warm-up: JIT and the first connection, as a runbook pays once
        foreach ($i in 1..20) { Push-IExecRequesterSecret -Name "warm$tag$i" -Value $value -Chain bench -Confirm:$false | Out-Null }
        $loop = [System.Collections.Generic.List[string]]::new(); $piped = [System.Collections.Generic.List[string]]::new()
        foreach ($r in 1..$repeat) {
            $names = foreach ($i in 1..$count) { "loop$tag$r-$i" }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            foreach ($name in $names) { Push-IExecRequesterSecret -Name $name -Value $value -Chain bench -Confirm:$false | Out-Null }
            $loop.Add($watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))
            $names = foreach ($i in 1..$count) { "pipe$tag$r-$i" }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $names | Push-IExecRequesterSecret -Value $value -Chain bench -Confirm:$false | Out-Null
            $piped.Add($watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))
        }
        '{"Loop":[' + [string]::Join(',', $loop) + '],"Piped":[' + [string]::Join(',', $piped) + ']}'
        """;

    public sealed record Figures(double[] Loop, double[] Piped);

    public static async Task<IReadOnlyList<string>> MeasureAsync(int count, int repeat, bool hosted, Action<string> log)
    {
        var dir = Directory.CreateTempSubdirectory("iexec-bench-loop-");
        try
        {
            await using var sms = await DevSmsServer.StartAsync(new DevSmsOptions { DatabasePath = Path.Combine(dir.FullName, "sms.db") });
            var url = sms.Url.ToString().TrimEnd('/');
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "chain.json"),
                "{\"default\":\"bench\",\"chains\":{\"bench\":{\"id\":\"65535\",\"host\":\"http://127.0.0.1:9\"," +
                $"\"sms\":{{\"scone\":\"{url}\",\"gramine\":\"{url}\",\"tdx\":\"{url}\"}}}}}}}}");
            var rows = new List<string>();

            var pwsh = FindPwsh();
            if (pwsh is not null)
            {
                log($"pwsh: {pwsh}");
                var file = Path.Combine(dir.FullName, "loop.ps1");
                await File.WriteAllTextAsync(file, Script);
                // The key is anvil's published test key #3, so passing it as an argument exposes nothing.
                var json = RunPwsh(pwsh, file, dir.FullName, count, repeat);
                var figures = JsonSerializer.Deserialize<Figures>(json.Trim().Split('\n')[^1])!;
                rows.AddRange(Rows("real pwsh " + PwshVersion(pwsh), figures, count));
                foreach (var row in rows) log(row);
            }
            else
            {
                log("pwsh not found: the real-pwsh row is skipped (set IEXEC_BENCH_PWSH)");
            }

            // A hosted runspace uses the module assembly this process already loaded, so it is skipped when
            // IEXEC_BENCH_MODULE measures another build.
            if (hosted) rows.AddRange(Rows("hosted runspace", Hosted(dir.FullName, count, repeat), count));

            var cli = await Scenarios.MeasureCliPushOnceAsync();
            rows.Add($"| one `iexec requester push-secret` (iexec 8.24.0, process start to exit) | {cli.TotalMilliseconds:F0} ms | — |");
            return rows;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> Rows(string host, Figures figures, int count)
    {
        string Cell(double[] samples) => string.Create(CultureInfo.InvariantCulture,
            $"{samples.Min() / count:F2} ms / {Median(samples) / count:F2} ms per push ({samples.Min() / 1000:F2} s / {Median(samples) / 1000:F2} s per {count:N0})");
        yield return $"| {count:N0} separate `Push-IExecRequesterSecret` in a `foreach`, {host} | {Cell(figures.Loop)} | best / median of {figures.Loop.Length} |";
        yield return $"| {count:N0} names piped to one `Push-IExecRequesterSecret`, {host} | {Cell(figures.Piped)} | best / median of {figures.Piped.Length} |";
    }

    private static Figures Hosted(string dir, int count, int repeat)
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(Script).AddArgument(Scenarios.ModuleManifest).AddArgument(dir).AddArgument(count).AddArgument(repeat).AddArgument(DevKey).AddArgument("h");
        var output = ps.Invoke();
        if (ps.HadErrors && ps.Streams.Error.Count > 0) throw new InvalidOperationException("hosted loop: " + ps.Streams.Error[0]);
        return JsonSerializer.Deserialize<Figures>(output[^1].ToString())!;
    }

    internal static string? FindPwsh()
    {
        if (Environment.GetEnvironmentVariable("IEXEC_BENCH_PWSH") is { Length: > 0 } env && File.Exists(env)) return env;
        var sibling = Path.GetFullPath(Path.Combine(Scenarios.RepoRoot, "..", "tools", "pwsh", "pwsh"));
        if (File.Exists(sibling)) return sibling;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "pwsh");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string PwshVersion(string pwsh) => Run(pwsh, ["-NoProfile", "-Command", "$PSVersionTable.PSVersion.ToString()"]).Trim();

    private static string RunPwsh(string pwsh, string file, string dir, int count, int repeat) =>
        Run(pwsh, ["-NoProfile", "-NonInteractive", "-File", file, Scenarios.ModuleManifest, dir,
            count.ToString(CultureInfo.InvariantCulture), repeat.ToString(CultureInfo.InvariantCulture), DevKey, "p"]);

    private static string Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static double Median(double[] samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
