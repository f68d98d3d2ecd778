using System.Diagnostics;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Differential;

/// <summary>
/// Runs <c>tests/oracle/oracle.mjs</c> under node with the repository's npm tools (ethers, the iexec SDK) and returns
/// its answer. One call is one node process, so callers batch every case into a single request.
/// </summary>
internal static class NodeOracle
{
    /// <summary>The npm tools folder <c>eng/setup.sh</c> fills.</summary>
    public static string NodeModules => Path.Combine(RepoPaths.Root, "tools", "node", "node_modules");

    /// <summary>The oracle script.</summary>
    public static string Script => Path.Combine(RepoPaths.Root, "tests", "oracle", "oracle.mjs");

    /// <summary>The node executable: <c>$IEXEC_NODE</c> when set, otherwise <c>node</c> from PATH.</summary>
    public static string NodeExecutable => Environment.GetEnvironmentVariable("IEXEC_NODE") is { Length: > 0 } node ? node : "node";

    /// <summary>Sends <paramref name="request"/> on stdin and parses stdout; any failure throws with node's stderr.</summary>
    public static JsonElement Run(JsonObject request, TimeSpan timeout)
    {
        foreach (var package in new[] { "ethers", "iexec" })
        {
            if (!Directory.Exists(Path.Combine(NodeModules, package)))
                throw new InvalidOperationException($"The oracle needs npm package '{package}' in {NodeModules}; run 'bash eng/setup.sh' first.");
        }
        var start = new ProcessStartInfo(NodeExecutable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(NodeModules);
        start.Environment["NODE_PATH"] = NodeModules;
        start.Environment["DEBUG"] = "";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {NodeExecutable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The node oracle did not answer within {timeout}.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The node oracle exited with {process.ExitCode}: {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
