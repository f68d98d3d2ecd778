namespace IExecSecrets.Core.Tests.Tee;

/// <summary>The TEE build's pure parts: settings, sconify command line, references, fingerprints, and input checks that run before any engine.</summary>
public sealed class TeeBuildInputTests
{
    private static string Root => RepoPaths.Root;

    [Fact]
    public void Default_EqualsTheRepositorySconifyJson()
    {
        var file = SconifySettings.Load(Path.Combine(Root, "enclave", SconifySettings.FileName));
        var d = SconifySettings.Default;

        Assert.Equal(file.SconifyImage, d.SconifyImage);
        Assert.Equal("registry.scontain.com/scone-production/iexec-sconify-image:5.9.2-v16", file.SconifyImage);
        Assert.Equal((file.SconeVersion, file.MrEnclaveVersion, file.Heap, file.HeapSizeBytes, file.Dlopen, file.FsDir),
            (d.SconeVersion, d.MrEnclaveVersion, d.Heap, d.HeapSizeBytes, d.Dlopen, d.FsDir));
        Assert.Equal(file.HostPaths, d.HostPaths);
        Assert.Equal(file.Languages.OrderBy(p => p.Key), d.Languages.OrderBy(p => p.Key));
        Assert.Equal(1073741824, file.HeapSizeBytes);
    }

    [Theory]
    [InlineData("js")]
    [InlineData("python")]
    public void SconifyJsonEntrypoint_MatchesTheDockerfileEntrypoint(string language)
    {
        var settings = SconifySettings.Load(Path.Combine(Root, "enclave", SconifySettings.FileName));
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "enclave", language, "Dockerfile"));

        var entrypoint = dockerfile.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        var words = System.Text.Json.JsonSerializer.Deserialize<string[]>(entrypoint["ENTRYPOINT ".Length..])!;

        Assert.Equal(settings.Languages[language].Entrypoint, string.Join(' ', words));
    }

    [Fact]
    public void SconifyArguments_FollowTheDocumentedOrder()
    {
        var settings = SconifySettings.Default;

        var args = SconifyArguments.Build("me/app:1-non-tee", "me/app:1", settings, settings.For(EnclaveLanguage.JavaScript), withSigner: true);

        Assert.Equal(new[]
        {
            "sconify_iexec", "--scone-signer=/sig/enclave-key.pem", "--from=me/app:1-non-tee", "--to=me/app:1", "--binary-fs",
            "--fs-dir=/app", "--host-path=/etc/hosts", "--host-path=/etc/resolv.conf", "--binary=/usr/local/bin/node",
            "--heap=1G", "--dlopen=1", "--no-color", "--verbose",
        }, args);
        Assert.Equal("--binary=/usr/local/bin/python3",
            SconifyArguments.Build("a", "b", settings, settings.For(EnclaveLanguage.Python), withSigner: false)[7]);
    }

    [Theory]
    [InlineData("512M", 536870912L)]
    [InlineData("1G", 1073741824L)]
    [InlineData("64K", 65536L)]
    [InlineData("4096", 4096L)]
    public void ParseHeap_ConvertsPowersOf1024(string heap, long bytes) => Assert.Equal(bytes, SconifySettings.ParseHeap(heap));

    [Theory]
    [InlineData("")]
    [InlineData("1T")]
    [InlineData("G")]
    [InlineData("-1G")]
    public void ParseHeap_RejectsNonSizes(string heap) =>
        Assert.Equal(ErrorIds.InvalidSconifySettings, Assert.Throws<IExecException>(() => SconifySettings.ParseHeap(heap)).ErrorId);

    [Theory]
    [InlineData("me/secret-function:1.0.0-debug", true)]
    [InlineData("registry.scontain.com/scone-production/iexec-sconify-image:5.9.2-v16", true)]
    [InlineData("localhost:5000/app", true)]
    [InlineData("127.0.0.1:9/a/b:1", true)]
    [InlineData("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("Me/App:1", false)]
    [InlineData("me/app:", false)]
    [InlineData("me app", false)]
    [InlineData("", false)]
    [InlineData("me/app:1;rm -rf /", false)]
    public void ImageReference_FollowsDockersGrammar(string reference, bool valid) => Assert.Equal(valid, ImageReference.IsValid(reference));

    [Theory]
    [InlineData("me/app:1.0.0", "me/app:1.0.0-non-tee", "docker.io")]
    [InlineData("me/app", "me/app:latest-non-tee", "docker.io")]
    [InlineData("localhost:5000/me/app:2", "localhost:5000/me/app:2-non-tee", "localhost:5000")]
    [InlineData("ghcr.io/me/app:3", "ghcr.io/me/app:3-non-tee", "ghcr.io")]
    public void ImageReference_DerivesNonTeeTagAndRegistry(string reference, string nonTee, string registry)
    {
        Assert.Equal(nonTee, ImageReference.NonTeeOf(reference));
        Assert.Equal(registry, ImageReference.Registry(reference));
    }

    [Theory]
    [InlineData("2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609\n", true)]
    [InlineData("  2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609  ", true)]
    [InlineData("2D4B9EFD066D0BB058B8DA79BF8551BE7D244779BC41D03A12201A4004779609", false)]
    [InlineData("0x2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a40047796", false)]
    [InlineData("2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a400477960", false)]
    [InlineData("not-a-fingerprint", false)]
    [InlineData("", false)]
    public void Fingerprint_Is64LowerCaseHex(string output, bool valid)
    {
        if (valid)
        {
            Assert.Equal(output.Trim(), EnclaveFingerprint.Parse(output, "img"));
        }
        else
        {
            var error = Assert.Throws<IExecException>(() => EnclaveFingerprint.Parse(output, "img"));
            Assert.Equal(ErrorIds.InvalidFingerprint, error.ErrorId);
        }
    }

    [Fact]
    public void Plan_RejectsBadInputBeforeAnyEngine()
    {
        var app = NewAppFolder();

        Assert.Equal(ErrorIds.BuildContextNotFound, PlanError(new() { ContextPath = Path.Combine(app, "nope"), Tag = "me/app:1" }));
        File.Delete(Path.Combine(app, "Dockerfile"));
        Assert.Equal(ErrorIds.DockerfileNotFound, PlanError(new() { ContextPath = app, Tag = "me/app:1" }));
        File.WriteAllText(Path.Combine(app, "Dockerfile"), "FROM scratch\n");
        Assert.Equal(ErrorIds.InvalidImageReference, PlanError(new() { ContextPath = app, Tag = "ME/APP" }));
        Assert.Equal(ErrorIds.InvalidImageReference, PlanError(new() { ContextPath = app, Tag = "me/app:1", SconifyImage = "bad image" }));
        Assert.Equal(ErrorIds.SignerKeyNotFound, PlanError(new() { ContextPath = app, Tag = "me/app:1", SignerKeyPath = Path.Combine(app, "none.pem") }));
        Assert.Equal(ErrorIds.ProjectFileNotFound, PlanError(new() { ContextPath = app, Tag = "me/app:1", ProjectDirectory = app }));
        File.WriteAllText(Path.Combine(app, "iexec.json"), "{\"description\":\"no app\"}");
        Assert.Equal(ErrorIds.InvalidAppDefinition, PlanError(new() { ContextPath = app, Tag = "me/app:1", ProjectDirectory = app }));
        File.Delete(Path.Combine(app, "app.js"));
        Assert.Equal(ErrorIds.EnclaveLanguageUnknown, PlanError(new() { ContextPath = app, Tag = "me/app:1" }));
    }

    [Fact]
    public async Task Execute_WithoutEngine_SaysHowToStartOneAndLeavesIExecJsonAlone()
    {
        var app = NewAppFolder();
        IExecSecrets.Core.Config.ProjectFiles.Initialize(app, force: false, IExecSecrets.Core.Config.TeeFramework.Scone);
        var before = File.ReadAllBytes(Path.Combine(app, "iexec.json"));
        var plan = TeeImageBuilder.Plan(new TeeImageBuildRequest
        {
            ContextPath = app, Tag = "me/app:1", ProjectDirectory = app, DockerHost = "unix:///tmp/iexecsecrets-no-engine-here.sock",
        });

        var error = await Assert.ThrowsAsync<IExecException>(() => TeeImageBuilder.ExecuteAsync(plan, null, default));

        Assert.Equal(ErrorIds.DockerEngineUnavailable, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ResourceUnavailable, error.Category);
        Assert.Contains("dockerd", error.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(app, "iexec.json")));
    }

    [Fact]
    public void UpdateProject_KeepsOtherKeysAndTheirOrder()
    {
        var folder = NewAppFolder();
        IExecSecrets.Core.Config.ProjectFiles.Initialize(folder, force: false, IExecSecrets.Core.Config.TeeFramework.Scone);
        var mrenclave = new System.Text.Json.Nodes.JsonObject { ["framework"] = "SCONE", ["version"] = "v5.9", ["entrypoint"] = "node /app/app.js", ["heapSize"] = 1, ["fingerprint"] = new string('a', 64) };

        TeeImageBuilder.UpdateProject(Path.Combine(folder, "iexec.json"), "me/app:1", "0x" + new string('b', 64), mrenclave);

        var text = File.ReadAllText(Path.Combine(folder, "iexec.json"));
        var app = IExecSecrets.Core.Config.ProjectFiles.ReadIExecJson(folder)["app"]!.AsObject();
        Assert.Equal(new[] { "owner", "name", "type", "multiaddr", "checksum", "mrenclave" }, app.Select(p => p.Key));
        Assert.Equal("me/app:1", (string?)app["multiaddr"]);
        Assert.StartsWith("{\n  \"description\"", text);
        Assert.Single(Directory.EnumerateFiles(folder, "*iexec.json*"));
    }

    private static string PlanError(TeeImageBuildRequest request) =>
        Assert.Throws<IExecException>(() => TeeImageBuilder.Plan(request)).ErrorId;

    private static string NewAppFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tee-input-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(folder, "app.js"), "");
        return folder;
    }
}
