using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Processes;
using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// Runs an enclave app outside an enclave, like <c>iapp test</c>: as a local <c>node</c>/<c>python3</c> process on
/// the app folder, or as a container of a built image with the output folder mounted at <c>/iexec_out</c>. The app
/// gets <c>IEXEC_APP_DEVELOPER_SECRET</c>, <c>IEXEC_REQUESTER_SECRET_N</c>, <c>IEXEC_IN</c>, <c>IEXEC_OUT</c>,
/// <c>IEXEC_TASK_ID</c> and the bag-of-tasks variables in its environment; nothing secret is put on a command line.
/// Secret values become strings only when the environment is handed to the process or container (the OS and the
/// Docker API take text); a container's environment is visible to <c>docker inspect</c> while it exists, and it is
/// removed right after the run.
/// </summary>
/// <remarks>
/// <para>
/// <b>Environment.</b> A worker gives an app nothing of the machine it runs on, so a local process does not inherit
/// this process's environment (which may hold tokens, keys or other people's secrets). It gets the <c>IEXEC_*</c>
/// variables plus a minimal environment: <c>PATH</c> (this process's, so the interpreter and the tools it starts are
/// found), <c>HOME</c> and <c>TMPDIR</c> in a fresh private temporary folder (0700) deleted after the run, or swept at
/// the next run when the session was killed first, and
/// <c>LANG=C.UTF-8</c>; on Windows also <c>SystemRoot</c>, <c>windir</c>, <c>ComSpec</c>, <c>PATHEXT</c>,
/// <c>SystemDrive</c> (without which Windows programs fail), with <c>USERPROFILE</c>, <c>TEMP</c> and <c>TMP</c> in the
/// temporary folder. <see cref="EnclaveRunRequest.Environment"/> adds variables; <see cref="EnclaveRunRequest.InheritEnvironment"/>
/// starts from the whole environment instead (its <c>IEXEC_*</c> variables still removed). A container gets the
/// <c>IEXEC_*</c> and added variables over the image's own <c>ENV</c>, never this process's environment.
/// </para>
/// <para>
/// <b>Process.</b> A process run is started by <see cref="ChildProcessLauncher"/>: under a supervisor with an empty
/// environment (so <c>/proc/$PPID/environ</c> holds nothing inherited) in its own process group, which dies with this
/// session (SIGTERM, SIGHUP, a kill of any kind), on cancellation and when the app exits. It still runs as the user: it
/// can read the user's files and other processes' environments (this session's too, through <c>/proc</c>), and write
/// anywhere the user can. Only the container run and the enclave isolate the app.
/// </para>
/// <para>
/// <b>Output.</b> What the app prints is captured up to 1 MiB per stream and every secret value the run handed to it
/// (the app developer secret, the requester secrets, the secret added variables) is replaced by <c>***</c> in the
/// forms <see cref="SecretRedactor"/> knows before the text leaves this class: the result, the log file and any
/// message built from them only ever see redacted text.
/// </para>
/// </remarks>
public static class EnclaveLocalRunner
{
    /// <summary>The task id used when none is given.</summary>
    public const string ZeroTaskId = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The most characters kept of each output stream; the rest is read and dropped.</summary>
    public const int MaxCapturedChars = 1024 * 1024;

    private const string ContainerOut = "/iexec_out";
    private const string ContainerIn = "/iexec_in";

    /// <summary>The name prefix of the private HOME/TMPDIR folders of process runs (removed after each run, or swept at the next).</summary>
    public const string RunFolderPrefix = "iexec-enclave-";

    /// <summary>
    /// Checks <paramref name="request"/> before anything runs: requester secret indexes must be 1 or more
    /// (<see cref="ErrorIds.InvalidRequesterSecretIndex"/>), added variables need valid names outside <c>IEXEC_</c>
    /// and each once, a dataset file name is a plain name (<see cref="ErrorIds.InvalidEnclaveEnvironment"/>), a process run needs an app folder
    /// (<see cref="ErrorIds.BuildContextNotFound"/>), and an image must be a valid reference.
    /// </summary>
    public static void Validate(EnclaveRunRequest request)
    {
        foreach (var index in request.RequesterSecrets.Keys.Where(i => i < 1))
        {
            throw new IExecException(ErrorIds.InvalidRequesterSecretIndex,
                $"Requester secret index {index} is invalid: indexes start at 1 (IEXEC_REQUESTER_SECRET_1).", index);
        }
        ValidateEnvironment(request);
        if (request.DatasetFileName is { } dataset && (dataset.Length == 0 || dataset != Path.GetFileName(dataset) || dataset is "." or ".."))
        {
            throw new IExecException(ErrorIds.InvalidEnclaveEnvironment,
                $"The dataset file name \"{dataset}\" is not a plain file name inside the input folder.", dataset);
        }
        if (request.Image is { } image)
        {
            ImageReference.Validate(image, "Image");
        }
        else if (request.AppPath is null || !(Directory.Exists(request.AppPath) || File.Exists(request.AppPath)))
        {
            throw new IExecException(ErrorIds.BuildContextNotFound,
                $"The app folder or file \"{request.AppPath}\" does not exist.", request.AppPath);
        }
    }

    /// <summary>
    /// Runs the app and waits for it. A non-zero exit is returned, not thrown (the caller decides); a missing
    /// interpreter throws <see cref="ErrorIds.EnclaveRuntimeNotFound"/>, a missing engine
    /// <see cref="ErrorIds.DockerEngineUnavailable"/>. Cancelling kills the process or container.
    /// </summary>
    public static async Task<EnclaveRunResult> RunAsync(EnclaveRunRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var output = Path.GetFullPath(request.OutputPath);
        Directory.CreateDirectory(output);
        var input = Path.GetFullPath(request.InputPath ?? Path.Combine(output, "..", Path.GetFileName(output) + "-in"));
        Directory.CreateDirectory(input);

        var inContainer = request.Image is not null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IEXEC_OUT"] = inContainer ? ContainerOut : output,
            ["IEXEC_IN"] = inContainer ? ContainerIn : input,
            ["IEXEC_TASK_ID"] = request.TaskId ?? ZeroTaskId,
            ["IEXEC_INPUT_FILES_NUMBER"] = "0",
            ["IEXEC_BOT_SIZE"] = "1",
            ["IEXEC_BOT_FIRST_INDEX"] = "0",
            ["IEXEC_BOT_TASK_INDEX"] = "0",
        };
        if (request.DatasetFileName is { } dataset)
        {
            environment["IEXEC_DATASET_ADDRESS"] = dataset;
            environment["IEXEC_DATASET_FILENAME"] = dataset;
        }
        if (!request.AppSecret.IsEmpty) environment["IEXEC_APP_DEVELOPER_SECRET"] = Encoding.UTF8.GetString(request.AppSecret.Span);
        foreach (var (index, value) in request.RequesterSecrets)
        {
            environment[$"IEXEC_REQUESTER_SECRET_{index.ToString(CultureInfo.InvariantCulture)}"] = Encoding.UTF8.GetString(value.Span);
        }

        foreach (var (name, value) in request.Environment) environment[name] = value;
        foreach (var (name, value) in request.SecretEnvironment) environment[name] = Encoding.UTF8.GetString(value.Span);
        var redactor = SecretRedactor.FromUtf8(
            request.RequesterSecrets.Values.Append(request.AppSecret).Concat(request.SecretEnvironment.Values));

        int exitCode;
        string stdout, stderr;
        bool outTruncated = false, errTruncated = false;
        if (inContainer)
        {
            using var engine = await DockerEngine.ConnectAsync(request.DockerHost, cancellationToken).ConfigureAwait(false);
            var run = await engine.RunAsync(request.Image!, null,
                environment.Select(p => $"{p.Key}={p.Value}").ToList(),
                new[] { $"{output}:{ContainerOut}", $"{input}:{ContainerIn}:ro" },
                cancellationToken).ConfigureAwait(false);
            (exitCode, stdout, stderr) = ((int)run.ExitCode, run.StandardOutput, run.StandardError);
        }
        else
        {
            (exitCode, stdout, stderr, outTruncated, errTruncated) = await RunProcessAsync(request, environment, cancellationToken).ConfigureAwait(false);
        }
        // From here on only redacted text exists outside this method.
        stdout = redactor.RedactAndTruncate(stdout, MaxCapturedChars, outTruncated);
        stderr = redactor.RedactAndTruncate(stderr, MaxCapturedChars, errTruncated);

        string? logPath = null;
        if (request.LogPath is { } log)
        {
            logPath = Path.GetFullPath(log);
            WriteLog(logPath, exitCode, stdout, stderr);
        }

        var computed = Path.Combine(output, "computed.json");
        return new EnclaveRunResult(exitCode, stdout, stderr, output,
            File.Exists(computed) ? computed : null,
            File.Exists(computed) ? DeterministicOutput(computed, output, inContainer) : null)
        { LogPath = logPath };
    }

    /// <summary>
    /// The environment a process run starts from when it does not inherit this process's (see the class remarks):
    /// <paramref name="home"/> is the private temporary folder of the run.
    /// </summary>
    public static Dictionary<string, string> MinimalEnvironment(string home)
    {
        var tmp = Path.Combine(home, "tmp");
        var minimal = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } path
                ? path
                : (OperatingSystem.IsWindows() ? "" : "/usr/local/bin:/usr/bin:/bin"),
        };
        if (OperatingSystem.IsWindows())
        {
            foreach (var name in new[] { "SystemRoot", "windir", "ComSpec", "PATHEXT", "SystemDrive" })
            {
                if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) minimal[name] = value;
            }
            minimal["USERPROFILE"] = home;
            minimal["TEMP"] = tmp;
            minimal["TMP"] = tmp;
        }
        else
        {
            minimal["HOME"] = home;
            minimal["TMPDIR"] = tmp;
            minimal["LANG"] = "C.UTF-8";
        }
        return minimal;
    }

    private static void ValidateEnvironment(EnclaveRunRequest request)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in request.Environment.Keys.Concat(request.SecretEnvironment.Keys))
        {
            var reason =
                !IsVariableName(name) ? "is not a variable name (letters, digits and '_', not starting with a digit)"
                : name.StartsWith("IEXEC_", StringComparison.OrdinalIgnoreCase) ? "starts with IEXEC_, which only the run sets (use -Secret, -AppSecret, -TaskId, -InputPath, -OutputPath)"
                : !seen.Add(name) ? "is given twice"
                : null;
            if (reason is not null)
            {
                throw new IExecException(ErrorIds.InvalidEnclaveEnvironment,
                    $"The environment variable name '{name}' {reason}.", name);
            }
        }
    }

    private static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 256 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void WriteLog(string path, int exitCode, string stdout, string stderr)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder()
            .Append("# exit code ").Append(exitCode.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("# stdout (secret values replaced by ").Append(SecretRedactor.Mask).Append(")\n").Append(stdout);
        if (stdout.Length > 0 && !stdout.EndsWith('\n')) text.Append('\n');
        text.Append("# stderr (secret values replaced by ").Append(SecretRedactor.Mask).Append(")\n").Append(stderr);
        if (stderr.Length > 0 && !stderr.EndsWith('\n')) text.Append('\n');
        File.WriteAllText(path, text.ToString());
    }

    private static async Task<(int, string, string, bool, bool)> RunProcessAsync(EnclaveRunRequest request, Dictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        // A folder runs its app.js/app.py; a file (what a user tab-completes, e.g. ./enclave/js/app.js) runs itself,
        // from its folder, in the language its extension names.
        var appPath = Path.GetFullPath(request.AppPath!);
        var isFile = File.Exists(appPath);
        var folder = isFile ? Path.GetDirectoryName(appPath)! : appPath;
        var language = request.Language ?? (isFile ? EnclaveLanguages.FromFile(appPath) : EnclaveLanguages.Detect(folder));
        var interpreter = language == EnclaveLanguage.Python ? "python3" : "node";
        // Leftovers of runs whose session was killed before it could remove them.
        PrivateFolder.Sweep(RunFolderPrefix);
        using var home = PrivateFolder.Create(RunFolderPrefix);
        // The app must see only what a worker gives it, not secrets left in this session's environment: by default
        // nothing of it but the minimal variables; when inheriting, everything but IEXEC_* (case-insensitive, as
        // Windows names are).
        var childEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.InheritEnvironment)
        {
            foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
            {
                var name = (string)variable.Key;
                if (!name.StartsWith("IEXEC_", StringComparison.OrdinalIgnoreCase)) childEnvironment[name] = (string?)variable.Value ?? "";
            }
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(home.Path, "tmp"));
            foreach (var (name, value) in MinimalEnvironment(home.Path)) childEnvironment[name] = value;
        }
        foreach (var (name, value) in environment) childEnvironment[name] = value;
        try
        {
            var run = await ChildProcessLauncher.RunAsync(new ChildProcessRequest
            {
                Program = interpreter,
                Arguments = [isFile ? appPath : Path.Combine(folder, EnclaveLanguages.AppFileName(language))],
                WorkingDirectory = folder,
                Environment = childEnvironment,
                // Keep a little more than the cap, so the redactor still sees a secret that straddles it whole.
                MaxCapturedChars = MaxCapturedChars + 64 * 1024,
            }, cancellationToken).ConfigureAwait(false);
            return (run.ExitCode, run.StandardOutput, run.StandardError, run.OutputTruncated, run.ErrorTruncated);
        }
        catch (Win32Exception ex)
        {
            throw new IExecException(ErrorIds.EnclaveRuntimeNotFound,
                $"'{interpreter}' could not be started to run the {language} app: {ex.Message}", interpreter, ex)
            { RecommendedAction = $"Install {interpreter} and put it on PATH, or run the built image with -Image." };
        }
    }

    private static string? DeterministicOutput(string computedJson, string output, bool inContainer)
    {
        try
        {
            var path = (JsonNode.Parse(File.ReadAllText(computedJson)) as JsonObject)?["deterministic-output-path"]?.GetValue<string>();
            if (path is null) return null;
            if (inContainer && path.StartsWith(ContainerOut, StringComparison.Ordinal))
            {
                path = output + path[ContainerOut.Length..];
            }
            return path;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
