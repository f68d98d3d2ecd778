using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using IExecSecrets.Bench;

// IExecSecrets benchmarks. Modes:
//   scenarios [--out FILE]   import, unlock, signatures/s, 1,000 piped pushes (plain and with 50 ms SMS latency),
//                            and the official iexec CLI's time for one push, measured in the same run
//   micro                    BenchmarkDotNet micro-benchmarks of the crypto primitives
//   pushes [ms] [throttle]   1,000 piped pushes only (tuning)
//   unlock                   keystore unlock only (tuning)
//   signatures               secp256k1 signatures/s only (the scenarios' 2-second loop, one core)
//   loop [count] [repeat] [--pwsh-only]  per-command cost (issue 10): count separate Push-IExecRequesterSecret commands in a
//                            foreach (real pwsh and a hosted runspace), the same count piped, and ONE iexec CLI push
//   run                      call to deal only, the CLI beside Invoke-IExecApp on one devnet, per-run lines (tuning)
//   run-json                 internal: the same figures as JSON, for scenarios' child process
//   run-module …             internal: the module's cold + warm runs in a fresh process, samples as JSON
//   import-once              internal: one Import-Module in this fresh process, prints milliseconds
//   tdx                      a tee,tdx run to COMPLETED on the token devnet: iexec 9.0.1 beside Invoke-IExecApp
//                            (cold in a pwsh process when pwsh is on PATH, warm in a runspace); prints a table row
//   batch [N] [--foreach M] [--no-cli]  issue 10: N runs (default 100) call to deals, a pipeline into Invoke-IExecApp
//                            beside a loop of N `iexec app run`, with JSON-RPC calls per deal; issue 14: --foreach M
//                            adds M separate Invoke-IExecApp commands in a foreach, per deal beside the pipeline;
//                            --no-cli skips the CLI loop (tuning); prints table rows
//   import-pwsh [n]          Import-Module in n (default 5) new real pwsh 7.6.9 processes (after an empty manifest),
//                            prints wall and CPU milliseconds of each and the medians
//   files                    issue 16: a 100 MiB file, Protect-IExecDataset beside `iexec dataset encrypt`, result
//                            decryption beside `iexec result decrypt` (same archive, same key), result encryption and
//                            dataset decryption as the devnet worker does them; prints table rows
var mode = args.FirstOrDefault() ?? "scenarios";
switch (mode)
{
    case "micro":
        BenchmarkRunner.Run<CryptoBenchmarks>(args: args.Skip(1).ToArray());
        return 0;
    case "import-once":
        var (warmUp, module) = Scenarios.ImportOnce();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{warmUp.TotalMilliseconds:F1} {module.TotalMilliseconds:F1}"));
        return 0;
    case "import-pwsh":
        var pwshImports = Scenarios.MeasurePwshImports(RunScenario.DotnetHost, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        foreach (var (wall, cpu) in pwshImports) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall {wall:F1} ms, cpu {cpu:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: wall {pwshImports.Select(f => f.Wall).Order().ElementAt(pwshImports.Count / 2):F1} ms, cpu {pwshImports.Select(f => f.Cpu).Order().ElementAt(pwshImports.Count / 2):F1} ms"));
        return 0;
    case "pushes":
        // Quick loop for tuning: 1,000 piped pushes against an in-process dev SMS, optional latency in ms and throttle.
        var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0);
        var throttle = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        Console.WriteLine($"{(await Scenarios.MeasurePipedPushesAsync(1000, latency, throttle)).TotalSeconds:F2} s");
        return 0;
    case "signatures":
        Console.WriteLine($"{Scenarios.MeasureSignaturesPerSecond():N0} signatures/s");
        return 0;
    case "loop":
        var loopCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var loopRepeat = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")} before the run.");
        foreach (var row in await LoopScenario.MeasureAsync(loopCount, loopRepeat, !args.Contains("--pwsh-only"), Console.Error.WriteLine)) Console.WriteLine(row);
        return 0;
    case "unlock":
        Console.WriteLine($"{Scenarios.MeasureUnlock():F0} ms");
        return 0;
    case "run":
        var figures = await RunScenario.MeasureAsync(Console.WriteLine);
        foreach (var row in Scenarios.FormatRunRows(figures)) Console.WriteLine($"| {row.What} | {row.Ours} | {row.Cli} | {row.Note} |");
        return 0;
    case "batch":
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")} before the run.");
        var foreachAt = Array.IndexOf(args, "--foreach");
        var batch = await BatchScenario.MeasureAsync(args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100, Console.Error.WriteLine,
            foreachAt > 0 && foreachAt + 1 < args.Length ? int.Parse(args[foreachAt + 1], CultureInfo.InvariantCulture) : 0, args.Contains("--no-cli"));
        foreach (var row in BatchScenario.FormatRows(batch)) Console.WriteLine(row);
        return 0;
    case "tdx":
        var tdx = await TdxScenario.MeasureAsync(Console.Error.WriteLine);
        foreach (var row in TdxScenario.FormatRows(tdx)) Console.WriteLine(row);
        return 0;
    case "files":
        foreach (var row in await FileCryptoScenario.MeasureAsync(Console.Error.WriteLine)) Console.WriteLine($"| {row.What} | {row.Ours} | {row.Cli} | {row.Note} |");
        return 0;
    case "run-json":
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(await RunScenario.MeasureAsync(Console.Error.WriteLine)));
        return 0;
    case "run-module":
        // internal: run-module <devnet chain.json> <wallet.json> <app> <workerpool> <anvil url> <hub>
        var samples = await RunScenario.MeasureModuleAsync(args[1], args[2], IExecSecrets.Core.Crypto.EthAddress.Parse(args[3]),
            IExecSecrets.Core.Crypto.EthAddress.Parse(args[4]), new Uri(args[5]), IExecSecrets.Core.Crypto.EthAddress.Parse(args[6]));
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(samples));
        return 0;
    case "scenarios":
        var outIndex = Array.IndexOf(args, "--out");
        var report = await Scenarios.RunAllAsync(RunScenario.DotnetHost, Path.GetFullPath(typeof(Scenarios).Assembly.Location));
        Console.WriteLine(report);
        if (outIndex >= 0 && outIndex + 1 < args.Length) await File.WriteAllTextAsync(args[outIndex + 1], report);
        return 0;
    default:
        Console.Error.WriteLine("usage: IExecSecrets.Bench [scenarios [--out FILE] | micro | pushes | signatures | unlock | loop [count] [repeat] | run | import-once | import-pwsh [n] | run-json | tdx | batch [N] | files]");
        return 2;
}
