using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Results;

namespace IExecSecrets.Bench;

/// <summary>
/// Encrypted datasets and results on a 100 MiB file (issue 16), each beside the official iexec CLI 8.24.0 where the
/// CLI does the same thing, on the same file in the same run:
/// <list type="bullet">
/// <item><c>Protect-IExecDataset</c> (hosted runspace, module imported, key stored in the SecretManagement stand-in
/// vault) beside <c>iexec dataset encrypt</c> (process start to exit: the CLI reads, encrypts and hashes in one process);</item>
/// <item>the module's result decryption (<c>ResultEncryption.Decrypt</c>, the step <c>Save-IExecTaskResult -Decrypt</c>
/// takes after the download, including the plain zip's CRC-32 check) beside <c>iexec result decrypt</c> of the same
/// archive with the same key;</item>
/// <item>with no CLI counterpart: result encryption (what the devnet worker does, as iExec's post-compute) and dataset
/// decryption (what the devnet worker does, as iExec's pre-compute).</item>
/// </list>
/// Each figure is the median of <see cref="Samples"/> runs; the file is random, so compression cannot flatter it.
/// </summary>
internal static class FileCryptoScenario
{
    private const int Samples = 3;
    private const int MiB = 1 << 20;
    private const int SizeMiB = 100;

    public static async Task<IReadOnlyList<(string What, string Ours, string Cli, string Note)>> MeasureAsync(Action<string> log)
    {
        var root = Directory.CreateTempSubdirectory("iexec-bench-files-");
        try
        {
            var cli = Path.Combine(Scenarios.RepoRoot, "tools", "node", "node_modules", ".bin", "iexec");
            var cliWork = Directory.CreateDirectory(Path.Combine(root.FullName, "cli")).FullName;
            await RunAsync(cli, cliWork, "init", "--skip-wallet", "--force", "--raw");
            await RunAsync(cli, cliWork, "dataset", "init", "--encrypted", "--raw");
            var original = Path.Combine(cliWork, "datasets", "original", "data.bin");
            WriteRandomFile(original, SizeMiB);
            log($"{SizeMiB} MiB random file written");

            // Datasets: the CLI's encrypt, then Protect-IExecDataset on the same file.
            var cliEncrypt = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                var watch = Stopwatch.StartNew();
                await RunAsync(cli, cliWork, "dataset", "encrypt", "--force", "--raw");
                cliEncrypt.Add(watch.Elapsed.TotalMilliseconds);
            }
            var moduleEncrypt = MeasureProtect(root.FullName, original);
            log("dataset encryption measured");

            // Dataset decryption as the worker does it, on the module's file and key.
            var key = DatasetEncryption.GenerateKey();
            var encrypted = Path.Combine(root.FullName, "core.enc");
            using (var input = File.OpenRead(original))
            using (var output = File.Create(encrypted))
            {
                DatasetEncryption.Encrypt(input, key, output);
            }
            var datasetDecrypt = Measure(() =>
            {
                using var input = File.OpenRead(encrypted);
                using var output = File.Create(Path.Combine(root.FullName, "core.plain"));
                DatasetEncryption.Decrypt(input, key, output);
            });
            CryptographicOperations.ZeroMemory(key);

            // Results: a plain result archive holding the file, encrypted for a fresh 4096-bit key (the worker's step),
            // decrypted by the module and by the CLI with that key.
            var plainZip = Path.Combine(root.FullName, "iexec_out.zip");
            using (var zip = ZipFile.Open(plainZip, ZipArchiveMode.Create))
            {
                zip.CreateEntryFromFile(original, "data.bin", CompressionLevel.NoCompression);
            }
            using var pair = ResultKeyPair.Generate();
            var encryptedResult = Path.Combine(root.FullName, "result.zip");
            var resultEncrypt = Measure(() =>
            {
                using var rsa = ResultEncryption.ReadPublicKeyPem(pair.PublicKeyPem);
                using var input = File.OpenRead(plainZip);
                using var output = File.Create(encryptedResult);
                ResultEncryption.Encrypt(input, rsa, output);
            });
            var resultDecrypt = Measure(() =>
            {
                using var decryptionKey = ResultDecryptionKey.FromPem(pair.PrivateKeyPem.Span, "bench");
                ResultEncryption.Decrypt(encryptedResult, decryptionKey, Path.Combine(root.FullName, "plain.zip"));
            });
            var beneficiary = Directory.CreateDirectory(Path.Combine(cliWork, ".secrets", "beneficiary")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(beneficiary, "bench_key"), pair.PrivateKeyPem.ToArray());
            var cliDecrypt = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                var watch = Stopwatch.StartNew();
                await RunAsync(cli, cliWork, "result", "decrypt", encryptedResult, "--beneficiary-key-file", "bench_key", "--force", "--raw");
                cliDecrypt.Add(watch.Elapsed.TotalMilliseconds);
            }
            if (!File.ReadAllBytes(Path.Combine(cliWork, "results.zip")).AsSpan().SequenceEqual(File.ReadAllBytes(plainZip)))
            {
                throw new InvalidOperationException("iexec result decrypt gave other bytes than the plain archive.");
            }
            log("result encryption measured");

            return
            [
                ($"Protect-IExecDataset, {SizeMiB} MiB file (key into the vault; median of {Samples})", Figure(moduleEncrypt), Figure(cliEncrypt),
                    $"CLI: iexec dataset encrypt, process start to exit; ratio CLI / ours = {Median(cliEncrypt) / Median(moduleEncrypt):F2}"),
                ($"Result decryption, {SizeMiB} MiB result (RSA-4096 + AES-256-CBC, plain zip's CRC-32 checked; median of {Samples})", Figure(resultDecrypt), Figure(cliDecrypt),
                    $"ours: ResultEncryption.Decrypt, the step Save-IExecTaskResult -Decrypt takes after the download; CLI: iexec result decrypt --beneficiary-key-file, process start to exit, same archive and key; ratio CLI / ours = {Median(cliDecrypt) / Median(resultDecrypt):F2}"),
                ($"Result encryption, {SizeMiB} MiB result (devnet worker, as iExec's post-compute; median of {Samples})", Figure(resultEncrypt), "—", "the CLI has no result encryption"),
                ($"Dataset decryption, {SizeMiB} MiB file (devnet worker, as iExec's pre-compute; median of {Samples})", Figure(datasetDecrypt), "—", "the CLI has no dataset decryption"),
            ];
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary><c>Protect-IExecDataset</c> of <paramref name="original"/> in a runspace with the module and the stand-in vault, a new key and folder per sample.</summary>
    private static List<double> MeasureProtect(string root, string original)
    {
        var standIn = Path.Combine(Scenarios.RepoRoot, "tests", "SecretManagementStandIn", "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("param($module, $standIn) Import-Module $module; Import-Module $standIn; Register-SecretVault -ModuleName StandIn -Name BenchVault")
            .AddParameter("module", Scenarios.ModuleManifest).AddParameter("standIn", standIn).Invoke();
        if (ps.Streams.Error.Count > 0) throw new InvalidOperationException("set-up: " + ps.Streams.Error[0]);
        var samples = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            ps.Commands.Clear();
            ps.AddScript("param($path, $name, $destination) Protect-IExecDataset $path -Vault BenchVault -VaultSecretName $name -Destination $destination -Confirm:$false")
                .AddParameter("path", original).AddParameter("name", "bench-" + i.ToString(CultureInfo.InvariantCulture))
                .AddParameter("destination", Path.Combine(root, "protected-" + i.ToString(CultureInfo.InvariantCulture)));
            var watch = Stopwatch.StartNew();
            var output = ps.Invoke();
            samples.Add(watch.Elapsed.TotalMilliseconds);
            if (ps.Streams.Error.Count > 0 || output.Count != 1) throw new InvalidOperationException("Protect-IExecDataset: " + string.Join(" | ", ps.Streams.Error));
        }
        return samples;
    }

    private static List<double> Measure(Action action)
    {
        var samples = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        return samples;
    }

    private static void WriteRandomFile(string path, int sizeMiB)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        var buffer = new byte[MiB];
        for (var i = 0; i < sizeMiB; i++)
        {
            RandomNumberGenerator.Fill(buffer);
            file.Write(buffer);
        }
    }

    private static string Figure(List<double> milliseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(milliseconds):F0} ms ({SizeMiB / (Median(milliseconds) / 1000):F0} MiB/s)");

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task RunAsync(string file, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"iexec {string.Join(' ', arguments.Take(2))} exited {process.ExitCode}: {await stderr} {await stdout}");
    }
}
