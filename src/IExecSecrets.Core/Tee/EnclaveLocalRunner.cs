using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;

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
public static class EnclaveLocalRunner
{
    /// <summary>The task id used when none is given.</summary>
    public const string ZeroTaskId = "0x0000000000000000000000000000000000000000000000000000000000000000";

    private const string ContainerOut = "/iexec_out";
    private const string ContainerIn = "/iexec_in";

    /// <summary>
    /// Checks <paramref name="request"/> before anything runs: requester secret indexes must be 1 or more
    /// (<see cref="ErrorIds.InvalidRequesterSecretIndex"/>), a process run needs an app folder
    /// (<see cref="ErrorIds.BuildContextNotFound"/>), and an image must be a valid reference.
    /// </summary>
    public static void Validate(EnclaveRunRequest request)
    {
        foreach (var index in request.RequesterSecrets.Keys.Where(i => i < 1))
        {
            throw new IExecException(ErrorIds.InvalidRequesterSecretIndex, IExecErrorCategory.InvalidArgument,
                $"Requester secret index {index} is invalid: indexes start at 1 (IEXEC_REQUESTER_SECRET_1).", index);
        }
        if (request.Image is { } image)
        {
            ImageReference.Validate(image, "Image");
        }
        else if (request.AppPath is null || !Directory.Exists(request.AppPath))
        {
            throw new IExecException(ErrorIds.BuildContextNotFound, IExecErrorCategory.ObjectNotFound,
                $"The app folder \"{request.AppPath}\" does not exist.", request.AppPath);
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
        if (!request.AppSecret.IsEmpty) environment["IEXEC_APP_DEVELOPER_SECRET"] = Encoding.UTF8.GetString(request.AppSecret.Span);
        foreach (var (index, value) in request.RequesterSecrets)
        {
            environment[$"IEXEC_REQUESTER_SECRET_{index.ToString(CultureInfo.InvariantCulture)}"] = Encoding.UTF8.GetString(value.Span);
        }

        int exitCode;
        string stdout, stderr;
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
            (exitCode, stdout, stderr) = await RunProcessAsync(request, environment, cancellationToken).ConfigureAwait(false);
        }

        var computed = Path.Combine(output, "computed.json");
        return new EnclaveRunResult(exitCode, stdout, stderr, output,
            File.Exists(computed) ? computed : null,
            File.Exists(computed) ? DeterministicOutput(computed, output, inContainer) : null);
    }

    private static async Task<(int, string, string)> RunProcessAsync(EnclaveRunRequest request, Dictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(request.AppPath!);
        var language = request.Language ?? EnclaveLanguages.Detect(folder);
        var interpreter = language == EnclaveLanguage.Python ? "python3" : "node";
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, EnclaveLanguages.AppFileName(language)));
        // The app must see only what a worker gives it, not secrets left in this session's environment.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("IEXEC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception ex)
        {
            throw new IExecException(ErrorIds.EnclaveRuntimeNotFound, IExecErrorCategory.NotInstalled,
                $"'{interpreter}' could not be started to run the {language} app: {ex.Message}", interpreter, ex)
            { RecommendedAction = $"Install {interpreter} and put it on PATH, or run the built image with -Image." };
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
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
