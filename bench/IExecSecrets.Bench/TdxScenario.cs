using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.PoCo;
using IExecSecrets.Core.Sms;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Chain;
using IExecSecrets.Output;

namespace IExecSecrets.Bench;

/// <summary>
/// A tee,tdx run with requester and app secrets on the token devnet, call to COMPLETED (<c>--watch</c>), the official
/// iexec 9.0.1 CLI (<c>app run &lt;app&gt; --tag tee,tdx --secret 1=x1 --watch --force</c>, chain.v9.json) beside
/// <c>Invoke-IExecApp -Tag tee,tdx -Secret @{1='x1'} -Watch</c>: in a fresh pwsh process (cold: pwsh start, import,
/// connect, run) when pwsh is on PATH, and in a runspace with the module imported and the wallet connected (warm).
/// Same devnet, same app (file:// enclave/js/app.js, no mrenclave), same owner, same worker; every figure includes
/// the devnet worker's run, which both clients wait for.
/// </summary>
internal static class TdxScenario
{
    private const int Runs = 3;

    public sealed record Figures(IReadOnlyList<double> Cli, IReadOnlyList<double> ModuleCold, IReadOnlyList<double> ModuleWarm, string CliVersion, string? Pwsh);

    public static async Task<Figures> MeasureAsync(Action<string> log)
    {
        var root = Directory.CreateTempSubdirectory("iexec-bench-tdx-");
        try
        {
            await using var net = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Path.Combine(root.FullName, "devnet"), Mode = DevNetMode.Token });
            var owner = net.Accounts[5];
            using var key = WalletKey.FromHex(owner.PrivateKeyHex);
            var script = Path.Combine(Scenarios.RepoRoot, "enclave", "js", "app.js");
            var definition = new AppDefinition(owner.Address, "bench-tdx-" + Guid.NewGuid().ToString("N")[..8], "DOCKER",
                Encoding.UTF8.GetBytes(new Uri(script).AbsoluteUri), SHA256.HashData(await File.ReadAllBytesAsync(script)), []);
            var registry = await AppRegistry.FromHubAsync(net.Rpc, new PoCoHub(net.Rpc, net.Hub));
            var app = (await registry.CreateAppAsync(net.CreateSender(owner), definition)).Address;
            using (var sms = new SmsClient(net.TdxSmsUrl))
            {
                await sms.PushAppSecretAsync(key, app, "1;2;3;4"u8.ToArray());
                await sms.PushRequesterSecretAsync(key, "x1", "3"u8.ToArray());
            }

            var cliWork = Directory.CreateDirectory(Path.Combine(root.FullName, "cli")).FullName;
            File.Copy(net.ChainV9JsonPath, Path.Combine(cliWork, "chain.json"));
            await File.WriteAllTextAsync(Path.Combine(cliWork, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
            var moduleWork = Directory.CreateDirectory(Path.Combine(root.FullName, "module")).FullName;
            File.Copy(net.ChainJsonPath, Path.Combine(moduleWork, "chain.json"));

            var version = (await RunProcessAsync("node", cliWork, [Cli9, "--version"])).Output.Trim();
            var cli = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var run = await RunProcessAsync("node", cliWork, [Cli9, "app", "run", app.ToString(), "--tag", "tee,tdx", "--secret", "1=x1", "--watch", "--force", "--raw", "--quiet"]);
                if (!run.Output.Contains("\"COMPLETED\"", StringComparison.Ordinal)) throw new InvalidOperationException("iexec9 app run: " + run.Output);
                cli.Add(run.Milliseconds);
                log($"iexec 9.0.1 app run --tag tee,tdx --watch {i + 1}: {run.Milliseconds:F0} ms");
            }

            var cold = new List<double>();
            var pwsh = FindPwsh();
            if (pwsh is not null)
            {
                for (var i = 0; i < Runs; i++)
                {
                    // The key reaches pwsh through its standard input, never its command line.
                    var command = "$k = [Console]::In.ReadLine(); $s = [securestring]::new(); foreach ($c in $k.ToCharArray()) { $s.AppendChar($c) }; $k = $null; " +
                        $"Import-Module '{Scenarios.ModuleManifest}'; Connect-IExecWallet -PrivateKey $s | Out-Null; " +
                        $"$d = Invoke-IExecApp -App {app} -Tag tee,tdx -Secret @{{ 1 = 'x1' }} -Watch -PollIntervalSeconds 0.2 -Force; if (-not $d.Succeeded) {{ exit 3 }}";
                    var run = await RunProcessAsync(pwsh, moduleWork, ["-NoProfile", "-NonInteractive", "-Command", command], owner.PrivateKeyHex);
                    cold.Add(run.Milliseconds);
                    log($"pwsh -Command Invoke-IExecApp -Tag tee,tdx -Watch (cold) {i + 1}: {run.Milliseconds:F0} ms");
                }
            }

            var warm = new List<double>();
            using (var runspace = OpenConnectedRunspace(moduleWork, owner.PrivateKeyHex))
            {
                for (var i = 0; i < Runs + 1; i++)
                {
                    using var ps = PowerShell.Create(runspace);
                    ps.AddCommand("Invoke-IExecApp").AddParameter("App", app.ToString()).AddParameter("Tag", new[] { "tee", "tdx" })
                        .AddParameter("Secret", new System.Collections.Hashtable { [1] = "x1" }).AddParameter("Watch").AddParameter("PollIntervalSeconds", 0.2).AddParameter("Force");
                    var clock = Stopwatch.StartNew();
                    var output = ps.Invoke();
                    clock.Stop();
                    if (ps.HadErrors || output.Count == 0 || !((IExecDeal)output[0].BaseObject).Succeeded) throw new InvalidOperationException("Invoke-IExecApp: " + string.Join(" | ", ps.Streams.Error));
                    // The first run in this process compiles the run path: it is neither cold (pwsh start) nor warm.
                    if (i > 0) warm.Add(clock.Elapsed.TotalMilliseconds);
                    log($"Invoke-IExecApp -Tag tee,tdx -Watch in a runspace {i}: {clock.Elapsed.TotalMilliseconds:F0} ms{(i == 0 ? " (first, not counted)" : "")}");
                }
            }
            return new Figures(cli, cold, warm, version, pwsh);
        }
        finally
        {
            try
            {
                root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    public static IEnumerable<string> FormatRows(Figures figures)
    {
        static string Ms(IReadOnlyList<double> values) => values.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{Median(values):F0} ms");
        var cli = Median(figures.Cli);
        yield return $"| tee,tdx run to COMPLETED with requester + app secrets, token devnet (pwsh process cold / runspace warm) | {Ms(figures.ModuleCold)} / {Ms(figures.ModuleWarm)} | {Ms(figures.Cli)} | " +
            string.Create(CultureInfo.InvariantCulture, $"CLI {figures.CliVersion}: `app run <app> --tag tee,tdx --secret 1=x1 --watch --force`, process start to exit; ours: `Invoke-IExecApp -Tag tee,tdx -Secret @{{1='x1'}} -Watch`; medians of {Runs}; both include the devnet worker's run; ratio CLI / warm = {cli / Math.Max(1, Median(figures.ModuleWarm)):F1}") +
            (figures.Pwsh is null ? "; no pwsh on PATH, so no cold figure" : "") + " |";
    }

    private static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Cli9 => Path.Combine(Scenarios.RepoRoot, "tools", "node", "node_modules", "iexec9", "dist", "esm", "cli", "cmd", "iexec.js");

    private static string? FindPwsh() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "pwsh")).FirstOrDefault(File.Exists);

    private static async Task<(double Milliseconds, string Output)> RunProcessAsync(string file, string work, string[] arguments, string? standardInput = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["HOME"] = work;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteLineAsync(standardInput);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments.Take(3))} exited {process.ExitCode}: {await stderr}{await stdout}");
        return (clock.Elapsed.TotalMilliseconds, await stdout);
    }

    private static Runspace OpenConnectedRunspace(string work, string privateKeyHex)
    {
        var session = InitialSessionState.CreateDefault2();
        session.ImportPSModule(Scenarios.ModuleManifest);
        var runspace = RunspaceFactory.CreateRunspace(session);
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(work);
        using var key = new SecureString();
        foreach (var c in privateKeyHex) key.AppendChar(c);
        key.MakeReadOnly();
        using var ps = PowerShell.Create(runspace);
        ps.AddCommand("Connect-IExecWallet").AddParameter("PrivateKey", key).Invoke();
        if (ps.HadErrors) throw new InvalidOperationException("Connect-IExecWallet: " + ps.Streams.Error[0]);
        return runspace;
    }
}
