using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets.TestSupport.Oracles;

/// <summary>
/// Runs <c>tests/oracle/encryption-oracle.mjs</c>: the installed iexec SDK's result decryption and dataset encryption
/// (8.24.0 by default, 9.0.1 with <c>sdk: "iexec9"</c>) and node's crypto, on files the operations name. One call is one
/// node process, so callers batch their operations.
/// </summary>
public static class EncryptionOracle
{
    /// <summary>The repository root (the folder holding IExecSecrets.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs <paramref name="operations"/> and returns one answer per operation (an object with "error" when it failed).</summary>
    public static IReadOnlyList<JsonElement> Run(JsonArray operations, string sdk = "iexec")
    {
        var modules = Path.Combine(RepositoryRoot, "tools", "node", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, sdk)) || !Directory.Exists(Path.Combine(modules, "jszip")))
            throw new InvalidOperationException($"The encryption oracle needs npm packages '{sdk}' and 'jszip' in {modules}; run 'bash eng/setup.sh' first.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("IEXEC_NODE") is { Length: > 0 } node ? node : "node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "tests", "oracle", "encryption-oracle.mjs"));
        start.ArgumentList.Add(modules);
        start.ArgumentList.Add(sdk);
        start.Environment["DEBUG"] = "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(operations.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The encryption oracle did not answer within 5 minutes.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The encryption oracle exited with {process.ExitCode}: {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Runs one operation and fails with its error when it has one.</summary>
    public static JsonElement RunOne(JsonObject operation, string sdk = "iexec")
    {
        var answer = Run([operation], sdk)[0];
        if (answer.TryGetProperty("error", out var error)) throw new InvalidOperationException($"oracle {operation["op"]}: {error.GetString()}");
        return answer;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IExecSecrets.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No IExecSecrets.sln above {AppContext.BaseDirectory}.");
    }
}
