using System.Diagnostics;
using IExecSecrets.Core.Tests.Differential;

namespace IExecSecrets.Core.Tests.Vectors;

/// <summary>
/// The committed vector file (tests/vectors/iexec-test-vectors.json) is exactly what tests/oracle/vectors.mjs computes
/// with the pinned iexec SDK and ethers: a hand edit, or an SDK/ethers upgrade that changes a value, fails here.
/// Regenerate with <c>node tests/oracle/vectors.mjs tools/node/node_modules &gt; tests/vectors/iexec-test-vectors.json</c>.
/// </summary>
public sealed class VectorFileTests
{
    [Fact]
    public void Regeneration_ByTheOracle_EqualsTheCommittedFileByteForByte()
    {
        var committed = File.ReadAllText(RepoPaths.VectorsFile);

        var regenerated = RunGenerator(TimeSpan.FromMinutes(2));

        Assert.Equal(committed.ReplaceLineEndings("\n"), regenerated);
    }

    private static string RunGenerator(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(NodeOracle.NodeExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "oracle", "vectors.mjs"));
        start.ArgumentList.Add(NodeOracle.NodeModules);
        start.Environment["DEBUG"] = "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {NodeOracle.NodeExecutable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tests/oracle/vectors.mjs did not finish within {timeout}.");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tests/oracle/vectors.mjs exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
