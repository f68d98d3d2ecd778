using System.Diagnostics;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tests.Platform;

/// <summary>
/// The Docker engine is chosen as the docker CLI chooses it: parameter, DOCKER_HOST, the CLI's current context
/// (DOCKER_CONTEXT, else currentContext in config.json, in DOCKER_CONFIG or ~/.docker), then the OS default (npipe on
/// Windows). Context folders are written by the real docker CLI (the oracle for the meta.json layout); every branch
/// runs against temporary config folders and a test platform, and every bad value is refused before any connection.
/// </summary>
public sealed class DockerEndpointResolverTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "iexec-dockerctx-" + Guid.NewGuid().ToString("N"));

    public DockerEndpointResolverTests() => Directory.CreateDirectory(_home);

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string DefaultConfig => Path.Combine(_home, ".docker");

    private HostPlatform Platform(HostOs os = HostOs.Linux, Dictionary<string, string>? environment = null) =>
        new(os, _home, environment, new RecordingWindowsAcl());

    [Theory]
    [InlineData(HostOs.Linux, "unix:///var/run/docker.sock")]
    [InlineData(HostOs.MacOS, "unix:///var/run/docker.sock")]
    [InlineData(HostOs.Windows, "npipe://./pipe/docker_engine")]
    public void NothingConfigured_GivesTheOsDefault(HostOs os, string expected)
    {
        var endpoint = DockerEndpointResolver.Resolve(null, Platform(os));
        Assert.Equal(new Uri(expected), endpoint.Uri);
        Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
    }

    [Fact]
    public void Parameter_WinsOverDockerHost_WhichWinsOverTheContext()
    {
        Docker(DefaultConfig, "context", "create", "ctx", "--docker", "host=unix:///ctx.sock");
        Docker(DefaultConfig, "context", "use", "ctx");
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = "tcp://127.0.0.1:2375" };

        var fromParameter = DockerEndpointResolver.Resolve("unix:///param.sock", Platform(environment: environment));
        Assert.Equal((new Uri("unix:///param.sock"), DockerEndpointSource.Parameter), (fromParameter.Uri, fromParameter.Source));

        var fromEnvironment = DockerEndpointResolver.Resolve(null, Platform(environment: environment));
        Assert.Equal((new Uri("tcp://127.0.0.1:2375"), DockerEndpointSource.DockerHost), (fromEnvironment.Uri, fromEnvironment.Source));

        var fromContext = DockerEndpointResolver.Resolve(null, Platform());
        Assert.Equal((new Uri("unix:///ctx.sock"), DockerEndpointSource.Context, "ctx"), (fromContext.Uri, fromContext.Source, fromContext.ContextName));
    }

    [Fact]
    public void CurrentContext_FromConfigJson_MatchesWhatTheDockerCliInspects()
    {
        // A name with characters that matter to the hash; the docker CLI itself writes the folders and says the host.
        Docker(DefaultConfig, "context", "create", "desktop-linux.2", "--docker", "host=unix:///home/alice/.docker/run/docker.sock");
        Docker(DefaultConfig, "context", "use", "desktop-linux.2");
        var cliHost = Docker(DefaultConfig, "context", "inspect", "--format", "{{.Endpoints.docker.Host}}").Trim();

        var endpoint = DockerEndpointResolver.Resolve(null, Platform());
        Assert.Equal(new Uri(cliHost), endpoint.Uri);
        Assert.Equal("desktop-linux.2", endpoint.ContextName);
        Assert.Null(endpoint.TlsFolder);
    }

    [Fact]
    public void DockerContextVariable_WinsOverConfigJson_AndDockerConfigMovesTheFolder()
    {
        var config = Path.Combine(_home, "elsewhere");
        Docker(config, "context", "create", "one", "--docker", "host=unix:///one.sock");
        Docker(config, "context", "create", "two", "--docker", "host=tcp://127.0.0.1:2380");
        Docker(config, "context", "use", "one");
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config, ["DOCKER_CONTEXT"] = "two" };

        Assert.Equal(new Uri("tcp://127.0.0.1:2380"), DockerEndpointResolver.Resolve(null, Platform(environment: environment)).Uri);
        environment.Remove("DOCKER_CONTEXT");
        Assert.Equal(new Uri("unix:///one.sock"), DockerEndpointResolver.Resolve(null, Platform(environment: environment)).Uri);
        // ~/.docker holds nothing: without DOCKER_CONFIG the default applies.
        Assert.Equal(DockerEndpointSource.Default, DockerEndpointResolver.Resolve(null, Platform()).Source);
    }

    [Fact]
    public void DefaultContext_MeansNoContext()
    {
        Docker(DefaultConfig, "context", "create", "ctx", "--docker", "host=unix:///ctx.sock");
        Docker(DefaultConfig, "context", "use", "ctx");
        var endpoint = DockerEndpointResolver.Resolve(null, Platform(environment: new() { ["DOCKER_CONTEXT"] = "default" }));
        Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
    }

    [Fact]
    public void Windows_ContextFolderUnderTheProfile_AndTheCliNpipeSpellingIsAccepted()
    {
        var platform = Platform(HostOs.Windows, new() { ["DOCKER_HOST"] = "npipe:////./pipe/dockerDesktopLinuxEngine" });
        var endpoint = DockerEndpointResolver.Resolve(null, platform);
        Assert.Equal("npipe://./pipe/dockerDesktopLinuxEngine", endpoint.Uri.OriginalString);
        Assert.Equal(_home + @"\.docker", DockerEndpointResolver.ConfigDirectory(platform));
    }

    [Fact]
    public void ContextWithTlsMaterial_BringsItsOwnCertificateFolder()
    {
        var material = Path.Combine(_home, "certs");
        Directory.CreateDirectory(material);
        WriteSelfSignedPem(material);
        Docker(DefaultConfig, "context", "create", "remote", "--docker",
            $"host=tcp://docker.example:2376,ca={material}/ca.pem,cert={material}/cert.pem,key={material}/key.pem");
        Docker(DefaultConfig, "context", "use", "remote");

        var endpoint = DockerEndpointResolver.Resolve(null, Platform());
        Assert.NotNull(endpoint.TlsFolder);
        Assert.Equal(File.ReadAllText(Path.Combine(material, "ca.pem")), File.ReadAllText(Path.Combine(endpoint.TlsFolder!, "ca.pem")));
        Assert.Equal(endpoint.TlsFolder, DockerEngine.RequireTls(endpoint.Uri, "1", endpoint.TlsFolder, Platform()));
    }

    [Theory]
    [InlineData("docker.sock")]
    [InlineData("ssh://alice@build-host")]
    [InlineData("unix://")]
    [InlineData("npipe://./docker_engine")]
    [InlineData("npipe://./pipe/")]
    [InlineData("tcp://")]
    [InlineData("fd://")]
    public void MalformedAddresses_AreRefusedBeforeAnyConnection(string value)
    {
        foreach (var platform in new[] { Platform(HostOs.Linux, new() { ["DOCKER_HOST"] = value }), Platform(HostOs.Windows, new() { ["DOCKER_HOST"] = value }) })
        {
            var error = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(null, platform));
            Assert.Equal((ErrorIds.InvalidDockerEndpoint, IExecErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        }
        var fromParameter = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(value, Platform()));
        Assert.Equal(ErrorIds.InvalidDockerEndpoint, fromParameter.ErrorId);
    }

    [Fact]
    public async Task MalformedContextHost_FailsInConnectAsync_BeforeAnyConnection()
    {
        WriteMeta("hostile", "{\"Name\":\"hostile\",\"Endpoints\":{\"docker\":{\"Host\":\"ssh://attacker@evil.example\"}}}");
        var platform = Platform(environment: new() { ["DOCKER_CONTEXT"] = "hostile" });
        var error = await Assert.ThrowsAsync<IExecException>(() => DockerEngine.ConnectAsync(null, platform, default));
        Assert.Equal((ErrorIds.InvalidDockerEndpoint, IExecErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public async Task ContextPointingOffLoopbackWithoutTls_IsStillRefusedAsInsecure()
    {
        // A context file only chooses an engine; it cannot lower the TLS rule for an engine across the network.
        WriteMeta("plain", "{\"Name\":\"plain\",\"Endpoints\":{\"docker\":{\"Host\":\"tcp://203.0.113.7:2375\"}}}");
        var platform = Platform(environment: new() { ["DOCKER_CONTEXT"] = "plain" });
        var error = await Assert.ThrowsAsync<IExecException>(() => DockerEngine.ConnectAsync(null, platform, default));
        Assert.Equal(ErrorIds.InsecureDockerEndpoint, error.ErrorId);
    }

    [Fact]
    public void MissingContext_IsObjectNotFound_NamingTheContext()
    {
        var error = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(null, Platform(environment: new() { ["DOCKER_CONTEXT"] = "gone" })));
        Assert.Equal((ErrorIds.DockerContextNotFound, IExecErrorCategory.ObjectNotFound, "gone"), (error.ErrorId, error.Category, error.Target as string));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"currentContext\":42}")]
    public void BrokenConfigJson_IsInvalidData(string content)
    {
        Directory.CreateDirectory(DefaultConfig);
        File.WriteAllText(Path.Combine(DefaultConfig, "config.json"), content);
        var error = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(null, Platform()));
        Assert.Equal((ErrorIds.DockerContextInvalid, IExecErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"Endpoints\":{\"Docker\":{\"Host\":\"unix:///x.sock\"}}}")]
    [InlineData("{\"Endpoints\":{\"docker\":{\"Host\":\"\"}}}")]
    [InlineData("{\"Endpoints\":{\"docker\":{\"Host\":7}}}")]
    public void ContextWithoutADockerHost_IsInvalidData(string meta)
    {
        WriteMeta("ctx", meta);
        var error = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(null, Platform(environment: new() { ["DOCKER_CONTEXT"] = "ctx" })));
        Assert.Equal((ErrorIds.DockerContextInvalid, IExecErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    [Fact]
    public void OversizedContextFile_IsRefused_NotReadOn()
    {
        WriteMeta("big", "{\"Endpoints\":{\"docker\":{\"Host\":\"unix:///x.sock\"}},\"pad\":\"" + new string('a', 2 << 20) + "\"}");
        var error = Assert.Throws<IExecException>(() => DockerEndpointResolver.Resolve(null, Platform(environment: new() { ["DOCKER_CONTEXT"] = "big" })));
        Assert.Equal((ErrorIds.DockerContextInvalid, IExecErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    [Fact]
    public void HostKeyMatchesCaseInsensitively_AsGoJsonDoes()
    {
        WriteMeta("lower", "{\"endpoints\":{\"docker\":{\"host\":\"unix:///lower.sock\"}}}");
        Assert.Equal(new Uri("unix:///lower.sock"), DockerEndpointResolver.Resolve(null, Platform(environment: new() { ["DOCKER_CONTEXT"] = "lower" })).Uri);
    }

    // The folder name is the docker CLI's: we take it from a context the CLI writes, so the hash is never ours alone.
    private void WriteMeta(string name, string json)
    {
        var scratch = Path.Combine(_home, "scratch-" + Guid.NewGuid().ToString("N"));
        Docker(scratch, "context", "create", name, "--docker", "host=unix:///placeholder.sock");
        var folder = Directory.GetDirectories(Path.Combine(scratch, "contexts", "meta")).Single();
        var target = Path.Combine(DefaultConfig, "contexts", "meta", Path.GetFileName(folder));
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "meta.json"), json);
    }

    private static void WriteSelfSignedPem(string folder)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = certificate.ExportCertificatePem();
        File.WriteAllText(Path.Combine(folder, "ca.pem"), pem);
        File.WriteAllText(Path.Combine(folder, "cert.pem"), pem);
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Runs the real docker CLI (installed by eng/docker.sh) against <paramref name="configFolder"/> only.</summary>
    private static string Docker(string configFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOCKER_CONFIG"] = configFolder;
        start.Environment.Remove("DOCKER_HOST");
        start.Environment.Remove("DOCKER_CONTEXT");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The docker CLI is the oracle for its context store: run 'bash eng/docker.sh' to install it.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"docker {string.Join(' ', arguments)} failed: {error}");
            return output.Result;
        }
    }
}
