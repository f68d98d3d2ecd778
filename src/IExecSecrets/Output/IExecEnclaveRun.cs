namespace IExecSecrets.Output;

/// <summary>
/// How a local run of an enclave app ended (<c>Invoke-IExecEnclaveApp</c>): exit code, output folder and the files
/// the app declared, plus what it printed. Its output files stay on disk.
/// </summary>
public sealed class IExecEnclaveRun
{
    /// <summary>True when the app exited with code 0.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The app's exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The <c>IEXEC_OUT</c> folder on this machine.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The app's <c>computed.json</c>, or null when it wrote none.</summary>
    public string? ComputedJsonPath { get; init; }

    /// <summary>The <c>deterministic-output-path</c> of computed.json on this machine (e.g. result.txt), or null.</summary>
    public string? ResultPath { get; init; }

    /// <summary>What the app printed on stdout, secret values replaced by ***.</summary>
    public required string StandardOutput { get; init; }

    /// <summary>What the app printed on stderr, secret values replaced by ***.</summary>
    public required string StandardError { get; init; }

    /// <summary>The file holding the exit code and both streams (secret values replaced by ***).</summary>
    public string? LogPath { get; init; }

    /// <summary>The result file the app named in computed.json, else the output folder.</summary>
    public override string ToString() => ResultPath ?? OutputPath;
}
