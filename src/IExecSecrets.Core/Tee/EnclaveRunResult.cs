namespace IExecSecrets.Core.Tee;

/// <summary>How a local enclave run ended and where its files are.</summary>
/// <param name="ExitCode">The app's exit code (0 is success).</param>
/// <param name="StandardOutput">What it printed on stdout, secret values replaced by <c>***</c>, at most 1 MiB.</param>
/// <param name="StandardError">What it printed on stderr, secret values replaced by <c>***</c>, at most 1 MiB.</param>
/// <param name="OutputPath">The <c>IEXEC_OUT</c> folder on this machine.</param>
/// <param name="ComputedJsonPath">The <c>computed.json</c> it wrote, or null when it wrote none.</param>
/// <param name="DeterministicOutputPath">
/// The file <c>computed.json</c> names as <c>deterministic-output-path</c>, mapped to this machine, or null.
/// </param>
public sealed record EnclaveRunResult(
    int ExitCode,
    string StandardOutput,
    string StandardError,
    string OutputPath,
    string? ComputedJsonPath,
    string? DeterministicOutputPath)
{
    /// <summary>The file the redacted output was written to, or null when the request named none.</summary>
    public string? LogPath { get; init; }
}
