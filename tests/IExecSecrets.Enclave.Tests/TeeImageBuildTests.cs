using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// <see cref="TeeImageBuilder"/> on a real Docker engine with the sconify stand-in: the enclave image is built,
/// fingerprinted and recorded in iexec.json in a shape the module's deploy and the official iexec CLI accept, and
/// every failure leaves iexec.json byte-for-byte unchanged.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class TeeImageBuildTests(DockerFixture docker)
{
    [Theory]
    [InlineData(EnclaveLanguage.JavaScript)]
    [InlineData(EnclaveLanguage.Python)]
    public async Task Build_ProducesFingerprintedImageAndUpdatesTheProject(EnclaveLanguage language)
    {
        var project = NewProject();
        var tag = $"iexecsecrets-test/secret-function-{(language == EnclaveLanguage.Python ? "py" : "js")}:1.0.0-debug";
        var progress = new List<TeeBuildProgress>();

        var result = await BuildAsync(Request(language, tag, project), new SyncProgress(progress.Add));

        Assert.Matches("^([0-9a-f]{2}){32}$", result.Fingerprint);
        Assert.Equal(tag, result.SconifiedImage);
        Assert.Equal(ImageReference.NonTeeOf(tag), result.Image);
        using var engine = await DockerEngine.ConnectAsync(docker.DockerHost, default);
        var id = await engine.ImageIdAsync(tag, default);
        Assert.Equal("0x" + id!["sha256:".Length..], result.Checksum);
        var hash = await engine.RunAsync(tag, null, new[] { "SCONE_HASH=1" }, null, default);
        Assert.Equal(result.Fingerprint, hash.StandardOutput.Trim());

        var app = (JsonObject)ProjectFiles.ReadIExecJson(project)["app"]!;
        Assert.Equal(tag, (string?)app["multiaddr"]);
        Assert.Equal(result.Checksum, (string?)app["checksum"]);
        var settings = SconifySettings.ForContext(AppFolder(language));
        var expectedEntrypoint = settings.For(language).Entrypoint;
        Assert.Equal(
            $$"""{"framework":"SCONE","version":"v5.9","entrypoint":"{{expectedEntrypoint}}","heapSize":1073741824,"fingerprint":"{{result.Fingerprint}}"}""",
            app["mrenclave"]!.ToJsonString());
        Assert.Equal(result.MrEnclave, app["mrenclave"]!.ToJsonString());
        Assert.Equal("hello-world-scone", (string?)app["name"]);
        Assert.Contains(progress, p => p.Stage == TeeBuildStage.Building && p.Status.StartsWith("Step ", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Stage == TeeBuildStage.Sconifying && p.Status.Contains("sconified", StringComparison.Ordinal));
        Assert.Equal(TeeBuildStage.Completed, progress[^1].Stage);

        // The module's deploy validation and the official CLI's schema both accept the app section.
        var descriptor = AppDescriptor.FromJson(app);
        Assert.Equal(result.Fingerprint, (string?)JsonNode.Parse(descriptor.MrEnclaveText)!["fingerprint"]);
        var oracle = ValidateWithIExecCli(app);
        Assert.True(oracle.ExitCode == 0, oracle.Output);
        var validated = JsonNode.Parse(oracle.Output)!;
        // The bytes the CLI would put on chain as mrenclave equal the module's encoding.
        Assert.Equal(descriptor.MrEnclaveText, (string?)validated["mrenclave"]);
        Assert.Equal(result.Checksum, (string?)validated["checksum"]);
        Assert.Equal(tag, (string?)validated["multiaddr"]);
    }

    [Fact]
    public async Task Build_EnclaveImageComputesWhatTheLocalProcessComputes()
    {
        var tag = "iexecsecrets-test/secret-function-run:1.0.0";
        await BuildAsync(Request(EnclaveLanguage.JavaScript, tag, null), null);

        var inImage = await EnclaveAppTests.RunAsync(EnclaveLanguage.JavaScript, "1;2;3;4", "-1.5", image: tag, dockerHost: docker.DockerHost);
        var asProcess = await EnclaveAppTests.RunAsync(EnclaveLanguage.Python, "1;2;3;4", "-1.5");

        Assert.True(inImage.Run.ExitCode == 0, inImage.Run.StandardError);
        Assert.Equal(asProcess.ResultBytes, inImage.ResultBytes);
        Assert.Equal("""{"deterministic-output-path":"/iexec_out/result.txt"}""", System.Text.Encoding.UTF8.GetString(inImage.ComputedBytes!));
        Assert.Equal(Path.Combine(inImage.Run.OutputPath, "result.txt"), inImage.Run.DeterministicOutputPath);
    }

    [Fact]
    public async Task Build_IsDeterministicAndTheSignerKeyChangesTheFingerprint()
    {
        var tag = "iexecsecrets-test/secret-function-signed:1";
        var unsigned1 = await BuildAsync(Request(EnclaveLanguage.JavaScript, tag, null), null);
        var unsigned2 = await BuildAsync(Request(EnclaveLanguage.JavaScript, tag, null), null);
        var keyFile = Path.Combine(RepoPaths.NewTempFolder("signer"), "enclave-key.pem");
        File.WriteAllText(keyFile, "-----BEGIN RSA PRIVATE KEY-----\ntest-key-from-file\n-----END RSA PRIVATE KEY-----\n");
        var fromFile = await BuildAsync(Request(EnclaveLanguage.JavaScript, tag, null) with { SignerKeyPath = keyFile }, null);
        var fromBytes = await BuildAsync(Request(EnclaveLanguage.JavaScript, tag, null) with { SignerKey = File.ReadAllBytes(keyFile) }, null);

        Assert.Equal(unsigned1.Fingerprint, unsigned2.Fingerprint);
        Assert.NotEqual(unsigned1.Fingerprint, fromFile.Fingerprint);
        Assert.Equal(fromFile.Fingerprint, fromBytes.Fingerprint);
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), "iexec-signer-*.pem"));
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "sconify-rejects-arguments", ErrorIds.SconifyFailed },
        { "sconify-image-missing", ErrorIds.SconifyImageNotFound },
        { "bad-fingerprint", ErrorIds.InvalidFingerprint },
        { "registry-unreachable", ErrorIds.RegistryUnreachable },
        { "no-engine", ErrorIds.DockerEngineUnavailable },
        { "build-fails", ErrorIds.ImageBuildFailed },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Build_Failure_HasItsIdAndLeavesIExecJsonUntouched(string scenario, string errorId)
    {
        var project = NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));
        var request = Request(EnclaveLanguage.JavaScript, $"iexecsecrets-test/failing-{scenario}:1", project);
        request = scenario switch
        {
            "sconify-rejects-arguments" => request with { Settings = WithDlopen(7) },
            "sconify-image-missing" => request with { SconifyImage = "iexecsecrets-test/no-such-sconify:0" },
            "bad-fingerprint" => request with { SconifyImage = DockerFixture.SconifyBadFingerprint },
            "registry-unreachable" => request with { Tag = "127.0.0.1:9/iexecsecrets-test/app:1", Push = true },
            "no-engine" => request with { DockerHost = "unix:///tmp/iexecsecrets-no-engine/docker.sock" },
            "build-fails" => request with { BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "iexecsecrets-test/no-such-base:0" } },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var error = await Assert.ThrowsAsync<IExecException>(() => BuildAsync(request, null));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
        Assert.Single(Directory.EnumerateFiles(project, "*iexec.json*"));
        if (scenario == "no-engine") Assert.Contains("eng/docker.sh", error.Message);
    }

    [Fact]
    public async Task Build_Cancelled_StopsAndLeavesIExecJsonUntouched()
    {
        var project = NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));
        using var cancellation = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Stage == TeeBuildStage.Sconifying) cancellation.Cancel(); });

        var plan = TeeImageBuilder.Plan(Request(EnclaveLanguage.JavaScript, "iexecsecrets-test/cancelled:1", project));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TeeImageBuilder.ExecuteAsync(plan, progress, cancellation.Token));

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
    }

    internal TeeImageBuildRequest Request(EnclaveLanguage language, string tag, string? project) => new()
    {
        ContextPath = AppFolder(language),
        Tag = tag,
        SconifyImage = DockerFixture.Sconify,
        BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = language == EnclaveLanguage.Python ? DockerFixture.PythonBase : DockerFixture.NodeBase },
        ProjectDirectory = project,
        DockerHost = docker.DockerHost,
    };

    internal static string AppFolder(EnclaveLanguage language) => language == EnclaveLanguage.Python ? RepoPaths.PythonApp : RepoPaths.JsApp;

    internal static string NewProject()
    {
        var folder = RepoPaths.NewTempFolder("tee-project");
        ProjectFiles.Initialize(folder, force: false, TeeFramework.Scone, IExecSecrets.Core.Crypto.EthAddress.Parse("0x7bd4783FDCAD405A28052a0d1f11236A741da593"));
        return folder;
    }

    private static SconifySettings WithDlopen(int dlopen)
    {
        var d = SconifySettings.Default;
        return new SconifySettings(d.SconifyImage, d.SconeVersion, d.MrEnclaveVersion, d.Heap, dlopen, d.FsDir, d.HostPaths, d.Languages);
    }

    private static async Task<TeeImageBuildResult> BuildAsync(TeeImageBuildRequest request, IProgress<TeeBuildProgress>? progress) =>
        await TeeImageBuilder.ExecuteAsync(TeeImageBuilder.Plan(request), progress, default);

    private static (int ExitCode, string Output) ValidateWithIExecCli(JsonObject app)
    {
        // The CLI's own yup schema for `iexec app deploy` (validator.appSchema), run on the produced app section.
        var validator = Path.Combine(RepoPaths.NodeModules, "iexec", "dist", "esm", "common", "utils", "validator.js");
        var script = $$"""
            import { appSchema } from '{{new Uri(validator).AbsoluteUri}}';
            const app = JSON.parse(process.env.APP_JSON);
            const valid = await appSchema().validate(app, { strict: false });
            console.log(JSON.stringify({ ...valid, multiaddr: Buffer.from(valid.multiaddr).toString('utf8'), mrenclave: Buffer.from(valid.mrenclave).toString('utf8') }));
            """;
        var start = new ProcessStartInfo("node", new[] { "--input-type=module", "-e", script })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["APP_JSON"] = app.ToJsonString();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private sealed class SyncProgress(Action<TeeBuildProgress> report) : IProgress<TeeBuildProgress>
    {
        public void Report(TeeBuildProgress value) => report(value);
    }
}
