using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace IExecSecrets.Core.Processes;

/// <summary>
/// Starts a <c>node</c> or <c>python3</c> program for a local app run (<c>Invoke-IExecEnclaveApp</c>, the devnet
/// worker) with exactly the environment it is given, captures its output up to a cap, kills it on cancellation, and
/// makes it die with this process.
/// </summary>
/// <remarks>
/// <para>On Linux and macOS the program is not this process's child: a small supervisor written in the program's own
/// interpreter (<c>node -e</c> / <c>python3 -I -c</c>) is started with an empty environment, reads the program's
/// argv, folder and environment as one JSON line on its stdin (never on a command line), and starts the program in a
/// new session (its own process group). So <c>/proc/$PPID/environ</c> of the program holds nothing inherited. The
/// supervisor kills the program's whole process group when its stdin closes (this process exited or was killed, by
/// any signal, or the run was cancelled), when it gets SIGTERM, SIGHUP or SIGINT, and when the program exits (so
/// nothing it left running keeps the secrets). Python also sets the program's parent-death signal (PR_SET_PDEATHSIG)
/// on Linux.</para>
/// <para>The program can still read whatever its user can: other processes' <c>/proc/PID/environ</c> (this
/// session's, two levels up), the user's files, the network. A local run is a test of the app, not an isolation; the
/// container run (<c>-Image</c>) and the enclave are.</para>
/// <para>On Windows the program is started directly with the given environment and killed with its process tree on
/// cancellation; it does not die with a PowerShell that is killed.</para>
/// </remarks>
public static class ChildProcessLauncher
{
    // Reads {"argv":[...],"cwd":"...","env":{...}} from stdin, runs argv in a new session, kills the group on stdin EOF,
    // on SIGTERM/SIGHUP/SIGINT and after the program exits, and exits with the program's code (128+signal if killed).
    private const string NodeSupervisor = """
        const cp = require('child_process'), os = require('os');
        let buffer = '', child = null, done = false;
        const kill = () => { if (child && child.pid) { try { process.kill(-child.pid, 'SIGKILL'); } catch (e) {} } };
        const quit = (code) => { if (done) return; done = true; kill(); process.exit(code); };
        for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(s, () => quit(128 + os.constants.signals[s]));
        process.stdin.on('data', (data) => {
          if (child) return;
          buffer += data;
          const end = buffer.indexOf('\n');
          if (end < 0) return;
          const run = JSON.parse(buffer.slice(0, end));
          child = cp.spawn(run.argv[0], run.argv.slice(1), { cwd: run.cwd, env: run.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
          child.on('error', (e) => { process.stderr.write('could not start ' + run.argv[0] + ': ' + e.message + '\n'); quit(127); });
          child.on('exit', (code, signal) => quit(code === null ? 128 + (os.constants.signals[signal] || 9) : code));
        });
        process.stdin.on('end', () => quit(137));
        process.stdin.on('error', () => quit(137));
        """;

    private const string PythonSupervisor = """
        import json, os, signal, subprocess, sys, threading
        run = json.loads(sys.stdin.readline())
        def death_signal():
            try:
                import ctypes
                ctypes.CDLL(None).prctl(1, 9)
            except Exception:
                pass
        try:
            child = subprocess.Popen(run["argv"], cwd=run["cwd"], env=run["env"], stdin=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=death_signal if sys.platform.startswith("linux") else None)
        except OSError as e:
            sys.stderr.write("could not start %s: %s\n" % (run["argv"][0], e))
            sys.exit(127)
        def kill():
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except OSError:
                pass
        def on_signal(number, frame):
            kill()
            os._exit(128 + number)
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(s, on_signal)
        def watch():
            try:
                while sys.stdin.buffer.read1(65536):
                    pass
            except Exception:
                pass
            kill()
            os._exit(137)
        threading.Thread(target=watch, daemon=True).start()
        code = child.wait()
        kill()
        # os._exit: a normal exit would wait for the stdin watcher, which never ends before this process does
        sys.stderr.flush()
        os._exit(code if code >= 0 else 128 - code)
        """;

    /// <summary>
    /// Runs <paramref name="request"/> and waits for it. A non-zero exit is returned, not thrown. A program or
    /// interpreter that cannot be started throws <see cref="Win32Exception"/>. Cancelling kills the program and its
    /// process group and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(ChildProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var program = ResolveProgram(request.Program, request.Environment);
        var supervisor = OperatingSystem.IsWindows() ? null : SupervisorFor(program);
        if (supervisor is not null)
        {
            program = await RealInterpreterAsync(program, cancellationToken).ConfigureAwait(false);
            supervisor = supervisor with { Interpreter = program };
        }
        var start = new ProcessStartInfo(supervisor?.Interpreter ?? program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = supervisor is not null,
            UseShellExecute = false,
            WorkingDirectory = request.WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment.Clear();
        if (supervisor is null)
        {
            foreach (var argument in request.Arguments) start.ArgumentList.Add(argument);
            foreach (var (name, value) in request.Environment) start.Environment[name] = value;
        }
        else
        {
            foreach (var argument in supervisor.Arguments) start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new Win32Exception($"'{start.FileName}' did not start.");
        using (process)
        {
            var stdout = ReadCappedAsync(process.StandardOutput, request.MaxCapturedChars);
            var stderr = ReadCappedAsync(process.StandardError, request.MaxCapturedChars);
            try
            {
                if (supervisor is not null)
                {
                    // The secrets travel here, on a pipe only the supervisor reads, never on its command line or in its environment.
                    var run = new JsonObject
                    {
                        ["argv"] = new JsonArray([JsonValue.Create(program), .. request.Arguments.Select(a => (JsonNode?)JsonValue.Create(a))]),
                        ["cwd"] = request.WorkingDirectory,
                        ["env"] = new JsonObject(request.Environment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
                    };
                    await process.StandardInput.WriteAsync(run.ToJsonString() + "\n").ConfigureAwait(false);
                    await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
                    // stdin stays open: its end is the supervisor's signal that this process is gone
                }
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Stop(process);
                throw;
            }
            catch (IOException)
            {
                // the supervisor died before reading its instructions; its exit code and stderr tell why
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (supervisor is not null) CloseQuietly(process.StandardInput);
            }
            var (outText, outCut) = await stdout.ConfigureAwait(false);
            var (errText, errCut) = await stderr.ConfigureAwait(false);
            return new ChildProcessResult(process.ExitCode, outText, errText, outCut, errCut);
        }
    }

    private static void Stop(Process process)
    {
        // Closing stdin makes the supervisor kill the program's group; the tree kill covers the rest.
        CloseQuietly(process.StandardInput);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    private static void CloseQuietly(StreamWriter? writer)
    {
        try
        {
            writer?.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // the supervisor is gone already
        }
    }

    // An interpreter found on PATH may be a shim (pyenv, asdf: a shell script that sets variables and execs the real
    // one), which would put those variables into the supervisor's environment. The real executable, asked once per
    // shim (with this process's environment, which the shim may need; it gets no secret), is started instead.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> RealInterpreters = new(StringComparer.Ordinal);

    private static async Task<string> RealInterpreterAsync(string program, CancellationToken cancellationToken)
    {
        if (RealInterpreters.TryGetValue(program, out var known)) return known;
        var isNode = Path.GetFileNameWithoutExtension(program).StartsWith("node", StringComparison.OrdinalIgnoreCase);
        // a folder that surely exists: a shim may fail in a deleted current directory
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in isNode ? new[] { "-p", "process.execPath" } : ["-c", "import sys; print(sys.executable)"]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new Win32Exception($"'{program}' did not start.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await error.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var real = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        if (process.ExitCode != 0 || !Path.IsPathRooted(real) || !File.Exists(real)) return program; // asked again next time
        RealInterpreters[program] = real;
        return real;
    }

    private static Supervisor? SupervisorFor(string program)
    {
        var name = Path.GetFileNameWithoutExtension(program).ToLowerInvariant();
        if (name is "node" or "nodejs") return new Supervisor(program, ["-e", NodeSupervisor]);
        if (name.StartsWith("python", StringComparison.Ordinal)) return new Supervisor(program, ["-I", "-c", PythonSupervisor]);
        return null;
    }

    // The program's full path, found on the PATH of the environment it will get (then on this process's), so the
    // supervisor (started with no environment) runs the same interpreter the user expects.
    private static string ResolveProgram(string program, IReadOnlyDictionary<string, string> environment)
    {
        // A name with a folder in it is a path, not a PATH lookup; on Windows either separator makes one.
        if (Path.IsPathRooted(program) || program.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) >= 0) return program;
        var paths = (environment.TryGetValue("PATH", out var childPath) ? childPath : null) ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var extensions = OperatingSystem.IsWindows() ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE").Split(';') : [""];
        foreach (var folder in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(folder, program + extension);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new Win32Exception($"'{program}' was not found on PATH.");
    }

    private static async Task<(string Text, bool Truncated)> ReadCappedAsync(StreamReader reader, int cap)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        var truncated = false;
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            // Keep draining past the cap so the program never blocks on a full pipe.
            var taken = Math.Min(read, cap - text.Length);
            if (taken > 0) text.Append(buffer, 0, taken);
            truncated |= taken < read;
        }
        return (text.ToString(), truncated);
    }

    private sealed record Supervisor(string Interpreter, string[] Arguments);
}

/// <summary>One program to run: what, where, with exactly which environment, and how much output to keep.</summary>
public sealed record ChildProcessRequest
{
    /// <summary>The program: <c>node</c> or <c>python3</c> (found on PATH) or a full path.</summary>
    public required string Program { get; init; }

    /// <summary>Its arguments (the script first).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Its working directory.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Its whole environment: nothing of this process's is added.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The most characters kept of each output stream; the rest is read and dropped.</summary>
    public int MaxCapturedChars { get; init; } = 1024 * 1024;
}

/// <summary>A finished program: its exit code and captured output (truncated at the cap when the flags say so).</summary>
/// <param name="ExitCode">The exit code; 128 + the signal number when a signal ended it.</param>
/// <param name="StandardOutput">What it printed on stdout, up to the cap.</param>
/// <param name="StandardError">What it printed on stderr, up to the cap.</param>
/// <param name="OutputTruncated">True when stdout was longer than the cap.</param>
/// <param name="ErrorTruncated">True when stderr was longer than the cap.</param>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError, bool OutputTruncated, bool ErrorTruncated);
