using System.ComponentModel;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Processes;
using IExecSecrets.Core.Tee;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// Starts the app a deal names and waits for it, with a timeout. The on-chain multiaddr decides how:
/// <c>file:///…/app.js</c> runs <c>node</c> and <c>file:///…/app.py</c> runs <c>python3</c> as a child process
/// through Core's <see cref="ChildProcessLauncher"/> (working directory = the app's folder, the worker's <c>IEXEC_*</c>
/// variables over a minimal environment with a private <c>HOME</c>/<c>TMPDIR</c>, nothing of this process's
/// environment; the app dies with this process); an IPFS multiaddr is refused;
/// anything else is a Docker image run through the Docker engine with <c>/iexec_in</c> and <c>/iexec_out</c> mounted
/// (fails with a clear reason when no engine is reachable). Arguments go on argv, secrets only in the environment.
/// </summary>
internal static class AppLauncher
{
    public const string ContainerOut = "/iexec_out";
    public const string ContainerIn = "/iexec_in";
    private const int MaxCapturedChars = 64 * 1024;

    /// <summary>The name prefix of the apps' private HOME/TMPDIR folders (removed after each run, or swept at the next).</summary>
    public const string RunFolderPrefix = "iexec-devworker-";

    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>True when the app runs in a container, so IEXEC_IN/IEXEC_OUT must be the mount points.</summary>
    public static bool RunsInContainer(string multiaddr) => !multiaddr.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for an IPFS multiaddr, which the devnet worker refuses.</summary>
    public static bool IsIpfs(string multiaddr) =>
        multiaddr.StartsWith("/ipfs/", StringComparison.Ordinal) || multiaddr.StartsWith("/p2p/", StringComparison.Ordinal);

    public static async Task<Outcome> RunAsync(string multiaddr, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        string inputFolder, string outputFolder, TimeSpan timeout, string? dockerHost, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (IsIpfs(multiaddr))
                throw new WorkerTaskException($"the app multiaddr {multiaddr} is an IPFS address; the devnet worker runs file:// scripts and Docker images only");
            return RunsInContainer(multiaddr)
                ? await RunContainerAsync(multiaddr, arguments, environment, inputFolder, outputFolder, dockerHost, deadline.Token).ConfigureAwait(false)
                : await RunProcessAsync(multiaddr, arguments, environment, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WorkerTaskException($"the app did not finish within {timeout.TotalSeconds:0.#} s and was killed");
        }
    }

    private static async Task<Outcome> RunProcessAsync(string multiaddr, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(multiaddr, UriKind.Absolute, out var uri) || !uri.IsFile)
            throw new WorkerTaskException($"the app multiaddr {multiaddr} is not a valid file:// URI");
        var script = uri.LocalPath;
        var interpreter = Path.GetExtension(script).ToLowerInvariant() switch
        {
            ".js" => "node",
            ".py" => "python3",
            _ => throw new WorkerTaskException($"the app script {script} is neither a .js nor a .py file"),
        };
        if (!File.Exists(script)) throw new WorkerTaskException($"the app script {script} does not exist");

        // The app gets what a worker provisions and nothing of this process's environment, through the same launcher
        // as Invoke-IExecEnclaveApp (private HOME/TMPDIR, a supervisor that dies with this process).
        PrivateFolder.Sweep(RunFolderPrefix);
        using var home = PrivateFolder.Create(RunFolderPrefix);
        Directory.CreateDirectory(Path.Combine(home.Path, "tmp"));
        var childEnvironment = EnclaveLocalRunner.MinimalEnvironment(home.Path);
        foreach (var (name, value) in environment) childEnvironment[name] = value;
        try
        {
            var run = await ChildProcessLauncher.RunAsync(new ChildProcessRequest
            {
                Program = interpreter,
                Arguments = [script, .. arguments],
                WorkingDirectory = Path.GetDirectoryName(script)!,
                Environment = childEnvironment,
                MaxCapturedChars = MaxCapturedChars,
            }, cancellationToken).ConfigureAwait(false);
            return new Outcome(run.ExitCode, run.StandardOutput, run.StandardError);
        }
        catch (Win32Exception e)
        {
            throw new WorkerTaskException($"'{interpreter}' could not be started: {e.Message}", e);
        }
    }

    private static async Task<Outcome> RunContainerAsync(string image, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        string inputFolder, string outputFolder, string? dockerHost, CancellationToken cancellationToken)
    {
        DockerEngine engine;
        try
        {
            engine = await DockerEngine.ConnectAsync(dockerHost, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException e) when (e.ErrorId == ErrorIds.DockerEngineUnavailable)
        {
            throw new WorkerTaskException($"the app is the Docker image {image} but no Docker engine is reachable ({e.Message})", e);
        }
        using (engine)
        {
            var run = await engine.RunAsync(image, arguments.Count > 0 ? arguments : null,
                environment.Select(pair => $"{pair.Key}={pair.Value}").ToList(),
                [$"{outputFolder}:{ContainerOut}", $"{inputFolder}:{ContainerIn}:ro"], cancellationToken).ConfigureAwait(false);
            return new Outcome((int)run.ExitCode, Cap(run.StandardOutput), Cap(run.StandardError));
        }
    }

    private static string Cap(string text) => text.Length <= MaxCapturedChars ? text : text[..MaxCapturedChars];
}
