namespace IExecSecrets.Interop.Tests.Fixtures;

/// <summary>What one run of the official iexec CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs the official iexec 8.24.0 CLI, or 9.0.1 with <see cref="RunV9Async"/> (installed by eng/setup.sh) with <c>--raw --quiet</c> in a work directory, with
/// HOME pointed there so the user's own keystore and config never take part. Each call costs about 2 s of node start-up.
/// </summary>
public static class IExecCli
{
    public static Task<CliResult> RunAsync(string workDirectory, params string[] arguments) =>
        RunAsync(new ProcessStartInfo(RepoPaths.IExecCli), workDirectory, arguments);

    /// <summary>The same with the iexec 9.0.1 CLI (the npm alias iexec9), the second client of today's network.</summary>
    public static Task<CliResult> RunV9Async(string workDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add(RepoPaths.IExecCli9);
        return RunAsync(start, workDirectory, arguments);
    }

    /// <summary>The same as <see cref="RunV9Async"/>.</summary>
    public static Task<CliResult> Run9Async(string workDirectory, params string[] arguments) => RunV9Async(workDirectory, arguments);

    /// <summary>
    /// A chain.json for SDK 9 from the devnet's: SDK 9 refuses unknown keys (native, useGas, resultProxy,
    /// defaultTeeFramework) and takes one SMS URL instead of one per framework.
    /// </summary>
    public static string ChainJsonFor9(string devnetChainJson)
    {
        var chains = System.Text.Json.Nodes.JsonNode.Parse(devnetChainJson)!["chains"]!.AsObject();
        var converted = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, chain) in chains)
        {
            var entry = new System.Text.Json.Nodes.JsonObject();
            foreach (var key in new[] { "id", "host", "hub", "iexecGateway", "ipfsGateway", "pocoSubgraph" })
            {
                if (chain![key] is { } value) entry[key] = value.DeepClone();
            }
            if (chain!["sms"] is System.Text.Json.Nodes.JsonObject sms && sms["scone"] is { } scone) entry["sms"] = scone.DeepClone();
            converted[name] = entry;
        }
        return new System.Text.Json.Nodes.JsonObject { ["default"] = "devnet", ["chains"] = converted }.ToJsonString();
    }

    private static async Task<CliResult> RunAsync(ProcessStartInfo start, string workDirectory, string[] arguments)
    {
        start.WorkingDirectory = workDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--raw");
        start.ArgumentList.Add("--quiet");
        start.Environment["HOME"] = workDirectory;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"iexec {string.Join(' ', arguments.Take(2))} did not finish within 120 s");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
