namespace IExecSecrets.Core.Tee;

/// <summary>
/// A local run of an enclave app, the way an iExec worker would start it: secrets and <c>IEXEC_*</c> settings go in
/// the environment (never on a command line), and the app writes into <see cref="OutputPath"/>.
/// </summary>
public sealed class EnclaveRunRequest
{
    /// <summary>
    /// The app folder holding <c>app.js</c> or <c>app.py</c>, or the app's script file itself (for a process run;
    /// ignored with <see cref="Image"/>).
    /// </summary>
    public string? AppPath { get; init; }

    /// <summary>The language; null detects it from <see cref="AppPath"/> (a file's extension, or a folder's files).</summary>
    public EnclaveLanguage? Language { get; init; }

    /// <summary>Run this Docker image (its entrypoint) instead of a local node/python3 process.</summary>
    public string? Image { get; init; }

    /// <summary><c>IEXEC_APP_DEVELOPER_SECRET</c> as UTF-8; empty leaves the variable unset.</summary>
    public ReadOnlyMemory<byte> AppSecret { get; init; }

    /// <summary><c>IEXEC_REQUESTER_SECRET_N</c> values as UTF-8, keyed by N (1 or more).</summary>
    public IReadOnlyDictionary<int, ReadOnlyMemory<byte>> RequesterSecrets { get; init; } = new Dictionary<int, ReadOnlyMemory<byte>>();

    /// <summary>The folder the app writes (<c>IEXEC_OUT</c>); created when missing, left on disk afterwards.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The input folder (<c>IEXEC_IN</c>); null makes an empty one next to the output.</summary>
    public string? InputPath { get; init; }

    /// <summary>
    /// The dataset file the app reads, a file name inside <see cref="InputPath"/>: it becomes
    /// <c>IEXEC_DATASET_FILENAME</c> (and <c>IEXEC_DATASET_ADDRESS</c>), as a worker sets them after decrypting a dataset
    /// into <c>IEXEC_IN</c>. Null for a run without a dataset.
    /// </summary>
    public string? DatasetFileName { get; init; }

    /// <summary><c>IEXEC_TASK_ID</c>; null uses the zero task id.</summary>
    public string? TaskId { get; init; }

    /// <summary>The Docker engine address for <see cref="Image"/> runs; null uses <c>DOCKER_HOST</c>, the docker CLI's current context or the default (see <see cref="DockerEndpointResolver"/>).</summary>
    public string? DockerHost { get; init; }

    /// <summary>
    /// Extra variables for the app, on top of the <c>IEXEC_*</c> ones (and, for a process, the minimal environment
    /// <see cref="EnclaveLocalRunner"/> describes). Names must be valid variable names outside the <c>IEXEC_</c>
    /// prefix; values are not treated as secrets.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra variables whose values are secrets (UTF-8): like <see cref="Environment"/>, and redacted from the app's output.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> SecretEnvironment { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>
    /// For a process run, start from this process's whole environment (minus its <c>IEXEC_*</c> variables) instead
    /// of the minimal one. Ignored for <see cref="Image"/> runs, whose containers never see this process's environment.
    /// </summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>
    /// A file to write what the app printed (stdout then stderr, secret values redacted) to; null writes none.
    /// Its folder is created when missing.
    /// </summary>
    public string? LogPath { get; init; }
}
