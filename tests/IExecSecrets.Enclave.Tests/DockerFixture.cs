namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// A real Docker engine and the images the TEE tests need, all built from files on this machine (no registry):
/// a Node.js base and a Python base (the host's interpreters and their shared libraries under /usr/local, where the
/// official images keep them), the sconify stand-in of enclave/test-sconify, and a broken variant of it that prints
/// a bad fingerprint. The engine is DOCKER_HOST, else the one eng/docker.sh starts (the script is idempotent).
/// When none can be had the fixture fails, so a CI machine without Docker fails the tests instead of skipping them.
/// Each image is tagged with a hash of everything it is built from (the staged context and the build arguments): the
/// engine's data folder outlives test runs, and an image reused by a fixed tag would hide a changed sconify stand-in
/// or base (issue 17). A changed input gives a new tag, so the image is built again.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    /// <summary>The Node.js base image, <c>iexecsecrets-test/node-base:&lt;inputs hash&gt;</c> (set once the fixture is ready).</summary>
    public static string NodeBase { get; private set; } = "";

    /// <summary>The Python base image.</summary>
    public static string PythonBase { get; private set; } = "";

    /// <summary>The sconify stand-in (enclave/test-sconify).</summary>
    public static string Sconify { get; private set; } = "";

    /// <summary>The sconify stand-in that prints a bad fingerprint.</summary>
    public static string SconifyBadFingerprint { get; private set; } = "";

    public string DockerHost { get; private set; } = "";

    public async Task InitializeAsync()
    {
        DockerHost = await FindOrStartEngineAsync();
        using var engine = await DockerEngine.ConnectAsync(DockerHost, default);
        NodeBase = await BuildForInputsAsync(engine, "iexecsecrets-test/node-base", StageNodeBase, null);
        PythonBase = await BuildForInputsAsync(engine, "iexecsecrets-test/python-base", StagePythonBase, null);
        Sconify = await BuildForInputsAsync(engine, "iexecsecrets-test/sconify", StageSconify, null);
        SconifyBadFingerprint = await BuildForInputsAsync(engine, "iexecsecrets-test/sconify-bad-fingerprint", StageSconify,
            new Dictionary<string, string> { ["FINGERPRINT_OVERRIDE"] = "not-a-fingerprint" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> FindOrStartEngineAsync()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("DOCKER_HOST"), "unix:///tmp/iexecsecrets-docker/docker.sock", DockerEngine.DefaultEndpoint };
        foreach (var candidate in candidates.Where(c => !string.IsNullOrEmpty(c)))
        {
            try
            {
                using var engine = await DockerEngine.ConnectAsync(candidate, default);
                return candidate!;
            }
            catch (IExecSecrets.Core.Errors.IExecException)
            {
            }
        }
        var script = Process.Start(new ProcessStartInfo("bash", new[] { Path.Combine(RepoPaths.Root, "eng", "docker.sh") })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = await script.StandardOutput.ReadToEndAsync();
        var stderr = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("export DOCKER_HOST=", StringComparison.Ordinal));
        if (script.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"No Docker engine answers and eng/docker.sh could not start one (exit {script.ExitCode}): {stderr}");
        }
        return line["export DOCKER_HOST=".Length..].Trim();
    }

    // Stages the context, names the image after a hash of it and of the build arguments, and builds it unless the
    // engine already has an image of that name: same inputs, same image; any change, a new build.
    private static async Task<string> BuildForInputsAsync(DockerEngine engine, string repository, Action<string> stage, IReadOnlyDictionary<string, string>? buildArgs)
    {
        var folder = RepoPaths.NewTempFolder("docker-context");
        try
        {
            stage(folder);
            var tag = $"{repository}:{InputsHash(folder, buildArgs)}";
            if (await engine.ImageIdAsync(tag, default) is not null) return tag;
            using var context = BuildContextArchive.Create(folder);
            await engine.BuildImageAsync(context, tag, buildArgs, null, default);
            return tag;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The first 16 hex digits of a SHA-256 over every file of the context (path, mode, bytes) and the build arguments.</summary>
    internal static string InputsHash(string folder, IReadOnlyDictionary<string, string>? buildArgs)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\0"));
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(folder, file).Replace('\\', '/'));
            if (!OperatingSystem.IsWindows()) Add(((int)File.GetUnixFileMode(file)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var info = new FileInfo(file);
            if (info.LinkTarget is { } target)
            {
                Add("-> " + target);
                continue;
            }
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            for (int read; (read = stream.Read(buffer)) > 0;) hash.AppendData(buffer, 0, read);
        }
        foreach (var (name, value) in (buildArgs ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal)) Add($"--build-arg {name}={value}");
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void StageNodeBase(string folder)
    {
        var rootfs = new Rootfs(Path.Combine(folder, "rootfs"));
        rootfs.AddExecutable(Which("node"), "/usr/local/bin/node");
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n");
    }

    private static void StagePythonBase(string folder)
    {
        var (executable, stdlib, platStdlib, version) = PythonLayout();
        var rootfs = new Rootfs(Path.Combine(folder, "rootfs"));
        rootfs.AddExecutable(executable, "/usr/local/bin/python3");
        var target = $"/usr/local/lib/python{version}";
        // Only what an app like app.py imports, plus the compiled modules: the full standard library is 100+ MB.
        foreach (var file in Directory.EnumerateFiles(stdlib, "*.py")) rootfs.AddFile(file, $"{target}/{Path.GetFileName(file)}");
        foreach (var package in new[] { "encodings", "json", "re", "collections", "importlib" })
        {
            var source = Path.Combine(stdlib, package);
            if (Directory.Exists(source)) rootfs.AddTree(source, $"{target}/{package}");
        }
        var dynload = Path.Combine(platStdlib, "lib-dynload");
        if (Directory.Exists(dynload)) rootfs.AddTree(dynload, $"{target}/lib-dynload");
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n");
    }

    private static void StageSconify(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Enclave, "test-sconify")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var rootfs = new Rootfs(Path.Combine(folder, "rootfs"));
        rootfs.AddExecutable(StaticBusybox(), "/bin/busybox");
        var docker = new[] { "/usr/local/bin/docker", "/usr/bin/docker" }.FirstOrDefault(File.Exists) ?? Which("docker");
        rootfs.AddExecutable(docker, "/usr/local/bin/docker");
    }

    private static string StaticBusybox() =>
        new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("busybox-static is not installed (eng/docker.sh installs it).");

    private static (string Executable, string Stdlib, string PlatStdlib, string Version) PythonLayout()
    {
        var lines = Capture("python3", "-c",
            "import sys, sysconfig; print(sys.executable); print(sysconfig.get_path('stdlib')); print(sysconfig.get_path('platstdlib')); print('%d.%d' % sys.version_info[:2])")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0], lines[1], lines[2], lines[3]);
    }

    internal static string Which(string command) =>
        Capture("sh", "-c", $"command -v {command}").Trim() is { Length: > 0 } path
            ? Path.GetFullPath(new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path)
            : throw new InvalidOperationException($"{command} is not on PATH.");

    internal static string Capture(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
