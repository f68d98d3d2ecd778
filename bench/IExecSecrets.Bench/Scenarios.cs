using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Bench;

/// <summary>
/// End-to-end timings a user feels, each measured the same way every run and set beside the official CLI's figure
/// from the same machine and run, so a ratio is meaningful even on a busy or slow machine.
/// </summary>
internal static class Scenarios
{
    // anvil's published test account #3 (a devnet key, public by design).
    private const string DevKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    internal static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IExecSecrets.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
        }
    }

    // IEXEC_BENCH_MODULE measures another build of the module (say, main's, for before/after figures). Only where that
    // build runs in a process of its own (real pwsh: the loop rows): in this process its cmdlets bind to the
    // IExecSecrets.Core.dll this bench already loaded, so a Core change is measured on both sides.
    internal static string ModuleManifest => Environment.GetEnvironmentVariable("IEXEC_BENCH_MODULE") is { Length: > 0 } other
        ? other
        : Path.Combine(RepoRoot, "out", "IExecSecrets", "IExecSecrets.psd1");

    /// <summary>
    /// One fresh engine: first an empty manifest (PowerShell's one-time module-system warm-up, which pwsh has already
    /// paid for by the time a user imports anything: PSReadLine is imported at start-up), then this module.
    /// </summary>
    public static (TimeSpan WarmUp, TimeSpan Module) ImportOnce()
    {
        var emptyModule = Directory.CreateTempSubdirectory("iexec-bench-empty-");
        try
        {
            var emptyManifest = Path.Combine(emptyModule.FullName, "Empty.psd1");
            File.WriteAllText(emptyManifest, "@{ ModuleVersion = '1.0'; CmdletsToExport = @() }");
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            var watch = Stopwatch.StartNew();
            ps.AddCommand("Import-Module").AddParameter("Name", emptyManifest).Invoke();
            var warmUp = watch.Elapsed;
            ps.Commands.Clear();
            watch.Restart();
            ps.AddCommand("Import-Module").AddParameter("Name", ModuleManifest).Invoke();
            var module = watch.Elapsed;
            if (ps.HadErrors) throw new InvalidOperationException("Import-Module failed: " + ps.Streams.Error[0]);
            return (warmUp, module);
        }
        finally
        {
            emptyModule.Delete(recursive: true);
        }
    }

    public static async Task<string> RunAllAsync(string dotnetHost, string benchDll)
    {
        var rows = new List<(string What, string Ours, string Cli, string Note)>();

        var warmUps = new List<double>();
        var imports = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var parts = RunProcess(dotnetHost, [benchDll, "import-once"]).Trim().Split(' ');
            warmUps.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
            imports.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        rows.Add(("Import-Module IExecSecrets (fresh process, median of 5)", $"{Median(imports):F0} ms", "—",
            $"target < 300 ms; plus PowerShell's one-time module-system warm-up of {Median(warmUps):F0} ms (an empty manifest), which pwsh pays at start-up"));
        var pwshImports = MeasurePwshImports(dotnetHost, 5);
        rows.Add(("Import-Module IExecSecrets in pwsh 7.6.9 (new pwsh per sample, median of 5)", $"{Median(pwshImports.Select(f => f.Wall).ToList()):F0} ms", "—",
            $"target < 100 ms; {Median(pwshImports.Select(f => f.Cpu).ToList()):F0} ms of CPU; the pinned dotnet tool, -NoProfile, after the module system's warm-up"));

        rows.Add(("Keystore unlock, scrypt n=131072 (median of 3)", $"{MeasureUnlock():F0} ms", "—", "target < 1 s"));
        rows.Add(("secp256k1 signatures per second (one core)", $"{MeasureSignaturesPerSecond():N0}", "—", "RFC 6979 + low-s + recovery id"));

        var cliPush = await MeasureCliPushAsync();
        var plain = await MeasurePipedPushesAsync(1000, TimeSpan.Zero, throttle: 8);
        rows.Add(("1,000 piped Push-IExecRequesterSecret, dev SMS", $"{plain.TotalSeconds:F2} s", $"{cliPush.TotalSeconds:F2} s for ONE push",
            $"ratio 1,000 pushes / 1 CLI push = {plain.TotalSeconds / cliPush.TotalSeconds:F2}; target < 3 s"));
        var latent = await MeasurePipedPushesAsync(1000, TimeSpan.FromMilliseconds(50), throttle: 32);
        rows.Add(("1,000 piped pushes, SMS +50 ms per request, -ThrottleLimit 32", $"{latent.TotalSeconds:F2} s", "—", "target < 15 s"));
        var serial = await MeasurePipedPushesAsync(100, TimeSpan.FromMilliseconds(50), throttle: 1);
        rows.Add(("100 pushes one at a time (-ThrottleLimit 1), SMS +50 ms", $"{serial.TotalSeconds:F2} s", "—",
            $"extrapolated to 1,000: {serial.TotalSeconds * 10:F0} s"));

        rows.AddRange(RunRows(RunProcess(dotnetHost, [benchDll, "run-json"])));
        rows.AddRange(await FileCryptoScenario.MeasureAsync(_ => { }));

        var report = new StringBuilder();
        report.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; iexec CLI 8.24.0 (node {RunProcess("node", ["--version"]).Trim()}).");
        report.AppendLine();
        report.AppendLine("| measurement | IExecSecrets | iexec CLI | note |");
        report.AppendLine("| --- | --- | --- | --- |");
        foreach (var row in rows) report.AppendLine($"| {row.What} | {row.Ours} | {row.Cli} | {row.Note} |");
        return report.ToString();
    }

    /// <summary>
    /// The call-to-deal rows from a child process's <see cref="RunScenario"/> figures (JSON), so "cold" really is the
    /// module's first run in its process, untouched by the scenarios measured before it here.
    /// </summary>
    private static IEnumerable<(string What, string Ours, string Cli, string Note)> RunRows(string json)
    {
        var figures = JsonSerializer.Deserialize<RunFigures>(json) ?? throw new InvalidOperationException("run-json printed nothing");
        return FormatRunRows(figures);
    }

    /// <summary>Table rows for the call-to-deal figures: time (cold / warm) and JSON-RPC calls per run, ours beside the CLI's.</summary>
    public static IEnumerable<(string What, string Ours, string Cli, string Note)> FormatRunRows(RunFigures figures)
    {
        var cliTime = Median(figures.Cli.Select(s => s.Milliseconds).ToList());
        var warmTime = Median(figures.ModuleWarm.Select(s => s.Milliseconds).ToList());
        var cliCalls = Median(figures.Cli.Select(s => (double)s.Calls).ToList());
        var cliHttp = Median(figures.Cli.Select(s => (double)s.HttpRequests).ToList());
        var warmCalls = Median(figures.ModuleWarm.Select(s => (double)s.Calls).ToList());
        var warmHttp = Median(figures.ModuleWarm.Select(s => (double)s.HttpRequests).ToList());
        yield return ("app run … --tag tee,scone --secret 1=x1 --workerpool <pool> --force: call to deal on the devnet (cold / warm)",
            $"{figures.ModuleCold.Milliseconds:F0} ms / {warmTime:F0} ms",
            $"{cliTime:F0} ms",
            $"CLI: process start to exit, median of {figures.Cli.Count}; ours: Invoke-IExecApp in a runspace with the module imported and the wallet connected, first run in a fresh process / median of the next {figures.ModuleWarm.Count}; target < 500 ms warm; ratio CLI / warm = {cliTime / warmTime:F1}");
        yield return ("JSON-RPC calls per run (HTTP requests), counted by a proxy in front of anvil",
            $"{figures.ModuleCold.Calls} ({figures.ModuleCold.HttpRequests}) cold / {warmCalls:F0} ({warmHttp:F0}) warm",
            $"{cliCalls:F0} ({cliHttp:F0})",
            $"target < 25 requests; a batch counts as its entries; warm: {figures.ModuleWarm[^1].Methods}; CLI: {figures.Cli[^1].Methods}");
    }

    public static double MeasureUnlock()
    {
        using var key = WalletKey.FromHex(DevKey);
        var password = "benchmark password"u8.ToArray();
        var json = KeystoreV3.Encrypt(key, password);
        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var unlocked = KeystoreV3.Decrypt(json, password);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Median(samples);
    }

    public static double MeasureSignaturesPerSecond()
    {
        using var key = WalletKey.FromHex(DevKey);
        var digest = Keccak256.HashUtf8("benchmark");
        for (var i = 0; i < 50; i++) key.SignDigest(digest);
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            digest[0] = (byte)count;
            key.SignDigest(digest);
            count++;
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    public static async Task<TimeSpan> MeasurePipedPushesAsync(int count, TimeSpan latency, int throttle)
    {
        var dir = Directory.CreateTempSubdirectory("iexec-bench-");
        try
        {
            await using var sms = await DevSmsServer.StartAsync(new DevSmsOptions
            {
                DatabasePath = Path.Combine(dir.FullName, "sms.db"),
                AddedLatency = latency,
            });
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", ModuleManifest).Invoke();
            ps.Commands.Clear();
            ps.AddCommand("Connect-IExecWallet").AddParameter("PrivateKey", ToSecureString(DevKey)).Invoke();
            ThrowOnErrors(ps, "Connect-IExecWallet");
            ps.Commands.Clear();

            var names = Enumerable.Range(1, count).Select(i => $"bench{i}").ToArray();
            ps.AddScript("param($names, $value, $url, $throttle) $names | Push-IExecRequesterSecret -Value $value -SmsUrl $url -ThrottleLimit $throttle -Confirm:$false")
                .AddParameter("names", names).AddParameter("value", ToSecureString("1")).AddParameter("url", sms.Url.ToString())
                .AddParameter("throttle", throttle);
            var watch = Stopwatch.StartNew();
            var results = ps.Invoke();
            watch.Stop();
            ThrowOnErrors(ps, "Push-IExecRequesterSecret");
            if (results.Count != count) throw new InvalidOperationException($"Expected {count} results, got {results.Count}.");
            return watch.Elapsed;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>One official <c>iexec requester push-secret</c> against a fresh dev SMS, process start to exit.</summary>
    internal static Task<TimeSpan> MeasureCliPushOnceAsync() => MeasureCliPushAsync(1);

    private static async Task<TimeSpan> MeasureCliPushAsync(int samplesWanted = 3)
    {
        var dir = Directory.CreateTempSubdirectory("iexec-bench-cli-");
        try
        {
            await using var sms = await DevSmsServer.StartAsync(new DevSmsOptions { DatabasePath = Path.Combine(dir.FullName, "sms.db") });
            var url = sms.Url.ToString().TrimEnd('/');
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "chain.json"),
                "{\"default\":\"bench\",\"chains\":{\"bench\":{\"id\":\"134\",\"host\":\"http://127.0.0.1:9\",\"native\":true," +
                $"\"sms\":{{\"scone\":\"{url}\",\"gramine\":\"{url}\",\"tdx\":\"{url}\"}}}}}}}}");
            using (var key = WalletKey.FromHex(DevKey))
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, "wallet.json"), UnencryptedWallet.ToJson(key));
            }
            var cli = Path.Combine(RepoRoot, "tools", "node", "node_modules", ".bin", "iexec");
            var samples = new List<double>();
            for (var i = 0; i < samplesWanted; i++)
            {
                var watch = Stopwatch.StartNew();
                // The value is a benchmark constant, not a secret; the CLI has no other non-interactive input.
                RunProcess(cli, ["requester", "push-secret", $"cli{i}", "--secret-value", "1", "--raw", "--quiet"], dir.FullName);
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
            return TimeSpan.FromMilliseconds(Median(samples));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private static void ThrowOnErrors(PowerShell ps, string what)
    {
        if (ps.Streams.Error.Count > 0) throw new InvalidOperationException($"{what}: {ps.Streams.Error.Count} errors, first: {ps.Streams.Error[0]}");
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Import-Module timed inside a new real pwsh (the dotnet tool pinned in .config/dotnet-tools.json), once per
    /// process, after an empty manifest: an interactive pwsh has paid the module system's one-time warm-up at start-up
    /// (PSReadLine), a -Command one has not. Wall-clock milliseconds, and the process CPU time in the same span (the
    /// figure that holds on a loaded machine).
    /// </summary>
    public static List<(double Wall, double Cpu)> MeasurePwshImports(string dotnetHost, int samples)
    {
        var emptyModule = Directory.CreateTempSubdirectory("iexec-bench-empty-");
        try
        {
            var emptyManifest = Path.Combine(emptyModule.FullName, "Empty.psd1");
            File.WriteAllText(emptyManifest, "@{ ModuleVersion = '1.0.0' }");
            static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
            var script = "Import-Module " + Quote(emptyManifest) + "; $p = [System.Diagnostics.Process]::GetCurrentProcess(); $p.Refresh(); " +
                "$c = $p.TotalProcessorTime; $w = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module " + Quote(ModuleManifest) +
                "; $w.Stop(); $p.Refresh(); '{0} {1}' -f $w.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), " +
                "($p.TotalProcessorTime - $c).TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
            var figures = new List<(double, double)>();
            for (var i = 0; i < samples; i++)
            {
                var output = RunProcess(dotnetHost, ["tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", script], RepoRoot);
                var parts = output.Trim().Split('\n')[^1].Trim().Split(' ');
                figures.Add((double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)));
            }
            return figures;
        }
        finally
        {
            emptyModule.Delete(recursive: true);
        }
    }

    private static string RunProcess(string file, string[] arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
