using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Errors;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Chain;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// A real Docker distribution registry on loopback with htpasswd auth (basic auth over plain HTTP, which the
/// registry accepts and the engine allows for 127.0.0.0/8): IEXEC_TEST_REGISTRY when set, else the one
/// eng/registry.sh starts (idempotent). When none can be had the fixture fails, so CI fails instead of skipping.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private HttpClient? _http;

    /// <summary>host:port of the registry, e.g. 127.0.0.1:5765.</summary>
    public string Address { get; private set; } = "";

    public string UserName { get; private set; } = "";

    /// <summary>The test registry's password (a throw-away random value from the script's password file).</summary>
    public string Password { get; private set; } = "";

    /// <summary>The file holding <see cref="Password"/> (what the devnet worker's registry login points to).</summary>
    public string PasswordFile { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["IEXEC_TEST_REGISTRY"] = Environment.GetEnvironmentVariable("IEXEC_TEST_REGISTRY") ?? "",
            ["IEXEC_TEST_REGISTRY_USER"] = Environment.GetEnvironmentVariable("IEXEC_TEST_REGISTRY_USER") ?? "",
            ["IEXEC_TEST_REGISTRY_PASSWORD_FILE"] = Environment.GetEnvironmentVariable("IEXEC_TEST_REGISTRY_PASSWORD_FILE") ?? "",
        };
        if (settings.Values.Any(string.IsNullOrEmpty)) settings = await RunScriptAsync();
        Address = settings["IEXEC_TEST_REGISTRY"];
        UserName = settings["IEXEC_TEST_REGISTRY_USER"];
        PasswordFile = settings["IEXEC_TEST_REGISTRY_PASSWORD_FILE"];
        Password = File.ReadAllText(PasswordFile).Trim();
        _http = new HttpClient { BaseAddress = new Uri($"http://{Address}/"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));
        using var probe = await _http.GetAsync("v2/");
        if (probe.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The registry at {Address} answered {(int)probe.StatusCode} to the test login.");
        }
    }

    /// <summary>
    /// Starts a devnet in <paramref name="directory"/> (native or token <paramref name="mode"/>) whose worker runs apps on
    /// <paramref name="docker"/>'s daemon and pulls their images from this registry with the test login.
    /// </summary>
    public Task<DevNetEnvironment> StartDevNetAsync(string directory, DockerFixture docker, DevNetMode mode = DevNetMode.Native) =>
        DevNetEnvironment.StartAsync(new DevNetOptions
        {
            Directory = directory,
            Mode = mode,
            DockerHost = docker.DockerHost,
            RegistryCredentials = [new RegistryLogin(Address, UserName, PasswordFile)],
        });

    public Task DisposeAsync()
    {
        _http?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The tags the registry lists for <paramref name="repository"/>; empty when it has none or no such repository.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var response = await _http!.GetAsync($"v2/{repository}/tags/list");
        if (response.StatusCode == HttpStatusCode.NotFound) return Array.Empty<string>();
        response.EnsureSuccessStatusCode();
        var tags = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["tags"] as JsonArray;
        return tags?.Select(t => (string)t!).ToList() ?? new List<string>();
    }

    /// <summary>
    /// The Docker-Content-Digest header of the manifest of <paramref name="repository"/>:<paramref name="tag"/>, after
    /// checking it is the SHA-256 of the manifest bytes the registry serves.
    /// </summary>
    public async Task<string> ManifestDigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tag}");
        foreach (var type in new[]
                 {
                     "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
                     "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                 })
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = await _http!.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)));
        return digest;
    }

    private static async Task<Dictionary<string, string>> RunScriptAsync()
    {
        using var script = Process.Start(new ProcessStartInfo("bash", new[] { Path.Combine(RepoPaths.Root, "eng", "registry.sh") })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdoutTask = script.StandardOutput.ReadToEndAsync();
        var stderr = await script.StandardError.ReadToEndAsync();
        var stdout = await stdoutTask;
        await script.WaitForExitAsync();
        var settings = stdout.Split('\n')
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim());
        if (script.ExitCode != 0 || !settings.ContainsKey("IEXEC_TEST_REGISTRY") || !settings.ContainsKey("IEXEC_TEST_REGISTRY_PASSWORD_FILE"))
        {
            throw new InvalidOperationException($"No registry answers and eng/registry.sh could not start one (exit {script.ExitCode}): {stderr}");
        }
        return settings;
    }
}

/// <summary>
/// Build-IExecTeeImage -Push in a hosted PowerShell engine, to a real registry: the image lands there under the tag,
/// iexec.json records the pushed reference and 0x + the registry's manifest digest, the login comes from a
/// PSCredential or a vault, and a refused login fails with its id, leaves iexec.json alone and leaks the password
/// into no stream.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class RegistryPushTests(DockerFixture docker, RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string BuildCommand = "IExecSecrets.Commands.BuildIExecTeeImageCommand";
    private const string Repository = "iexecsecrets-test/pushed-js";

    [Theory]
    [InlineData("credential")]
    [InlineData("vault")]
    public async Task Push_RecordsThePushedReferenceAndManifestDigest(string loginSource)
    {
        using var session = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        var tag = $"{loginSource}-{Guid.NewGuid():N}"[..20];
        var reference = $"{registry.Address}/{Repository}:{tag}";
        var login = loginSource == "credential"
            ? "-RegistryCredential $cred"
            : "-RegistryCredentialVault RegV -RegistryCredentialSecretName registry-login";
        if (loginSource == "vault")
        {
            var stored = session.Run("Register-SecretVault -ModuleName StandIn -Name RegV; Set-Secret -Name registry-login -Secret $cred -Vault RegV",
                new() { ["cred"] = Credential(registry.Password) });
            Assert.Empty(stored.AllErrors);
        }

        var run = session.Run(
            $"Build-IExecTeeImage -Path $app -Tag $ref -SconifyImage $sconify -BuildArg @{{ BASE_IMAGE = $base }} -Push {login} -UpdateProject -ProjectPath $project -DockerHost $dockerHost",
            Variables(project, reference, Credential(registry.Password)));

        Assert.Empty(run.AllErrors);
        var image = Assert.IsType<IExecTeeImage>(Assert.Single(run.Output).BaseObject);
        Assert.True(image.Pushed);
        Assert.Contains(tag, await registry.TagsAsync(Repository));
        var digest = await registry.ManifestDigestAsync(Repository, tag);
        Assert.Equal("0x" + digest["sha256:".Length..], image.Checksum);
        var app = ProjectFiles.ReadIExecJson(project)["app"]!;
        Assert.Equal(image.Checksum, (string?)app["checksum"]);
        Assert.Equal(reference, (string?)app["multiaddr"]);
        Assert.Contains(run.Progress, p => p.CurrentOperation == "Pushing");
    }

    [Fact]
    public async Task Tdx_WithoutPush_RecordsNoLocalImageId_AndOnceThatImageWasPushedItsRegistryDigest()
    {
        using var session = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        // A checksum of an earlier image, which would name the wrong one once the image is rebuilt.
        var iexec = ProjectFiles.ReadIExecJson(project);
        iexec["app"]!["checksum"] = "0x" + string.Concat(Enumerable.Repeat("ee", 32));
        File.WriteAllText(Path.Combine(project, ProjectFiles.IExecFileName), iexec.ToJsonString());
        var repository = $"iexecsecrets-test/tdx-nopush-{Guid.NewGuid():N}"[..48];
        var reference = $"{registry.Address}/{repository}:1";
        const string build = "Build-IExecTeeImage -Path $app -Tag $ref -TeeFramework tdx -BuildArg @{ BASE_IMAGE = $base } -UpdateProject -ProjectPath $project -DockerHost $dockerHost";

        var local = session.Run(build, Variables(project, reference, Credential(registry.Password)));
        var localApp = (JsonObject)ProjectFiles.ReadIExecJson(project)["app"]!;
        var refused = Record.Exception(() => Core.Apps.AppDescriptor.FromJson(localApp));
        var pushed = session.Run(build + " -Push -RegistryCredential $cred", Variables(project, reference, Credential(registry.Password)));
        var digest = await registry.ManifestDigestAsync(repository, "1");
        var rebuilt = session.Run(build, Variables(project, reference, Credential(registry.Password)));

        Assert.Empty(local.Errors);
        var image = Assert.IsType<IExecTeeImage>(Assert.Single(local.Output).BaseObject);
        Assert.Equal(("tdx", (string?)null, false), (image.TeeFramework, image.Checksum, image.Pushed));
        var warning = Assert.Single(local.Warning);
        Assert.Contains("built but not pushed, so it has no registry digest yet", warning);
        Assert.Contains("No checksum was recorded (app.checksum was removed from", warning);
        Assert.Contains("Build-IExecTeeImage -Push -UpdateProject", warning);
        Assert.False(localApp.ContainsKey("checksum"));
        Assert.Equal(reference, (string?)localApp["multiaddr"]);
        Assert.Equal("checksum is a required field", Assert.IsType<IExecException>(refused).Message);
        Assert.Empty(pushed.Errors);
        Assert.Equal("0x" + digest["sha256:".Length..], ((IExecTeeImage)Assert.Single(pushed.Output).BaseObject).Checksum);
        Assert.Empty(rebuilt.Errors);
        var again = Assert.IsType<IExecTeeImage>(Assert.Single(rebuilt.Output).BaseObject);
        Assert.Equal(("0x" + digest["sha256:".Length..], false), (again.Checksum, again.Pushed));
        var known = Assert.Single(rebuilt.Warning);
        Assert.Contains("was not pushed; its checksum is the registry digest Docker recorded when this same image was pushed to or pulled from its repository", known);
        Assert.Contains($"its repository ({digest})", known);
        Assert.Equal("0x" + digest["sha256:".Length..], (string?)ProjectFiles.ReadIExecJson(project)["app"]!["checksum"]);
    }

    [Theory]
    [InlineData("credential")]
    [InlineData("vault")]
    [InlineData("anonymous")]
    public async Task Push_RefusedLogin_FailsWithItsIdLeavesProjectAloneAndLeaksNoPassword(string loginSource)
    {
        using var session = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));
        var tag = $"refused-{loginSource}-{Guid.NewGuid():N}"[..24];
        var canary = $"canary-{Guid.NewGuid():N}";
        var login = loginSource switch
        {
            "credential" => "-RegistryCredential $cred",
            "vault" => "-RegistryCredentialVault RegV -RegistryCredentialSecretName registry-login",
            _ => "",
        };
        if (loginSource == "vault")
        {
            Assert.Empty(session.Run("Register-SecretVault -ModuleName StandIn -Name RegV; Set-Secret -Name registry-login -Secret $cred -Vault RegV",
                new() { ["cred"] = Credential(canary) }).AllErrors);
        }

        var run = session.Run(
            $"Build-IExecTeeImage -Path $app -Tag $ref -SconifyImage $sconify -BuildArg @{{ BASE_IMAGE = $base }} -Push {login} -UpdateProject -ProjectPath $project -DockerHost $dockerHost -Verbose -Debug",
            Variables(project, $"{registry.Address}/{Repository}:{tag}", Credential(canary)));

        Assert.Empty(run.Output);
        var error = Assert.Single(run.AllErrors);
        Assert.Equal($"{ErrorIds.RegistryAuthenticationFailed},{BuildCommand}", error.FullyQualifiedErrorId);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
        Assert.DoesNotContain(tag, await registry.TagsAsync(Repository));
        Assert.NotEmpty(run.Verbose);
        foreach (var text in new[] { run.Everything() })
        {
            Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
            Assert.DoesNotContain(registry.Password, text, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> ConflictingLogins => new()
    {
        "-RegistryCredential $cred -RegistryCredentialVault RegV -RegistryCredentialSecretName registry-login",
        "-RegistryCredentialVault RegV",
        "-RegistryCredentialSecretName registry-login",
        "-RegistryCredentialVault RegV -RegistryCredentialSecretName bare-password",
    };

    [Theory]
    [MemberData(nameof(ConflictingLogins))]
    public void Push_BadLoginParameters_FailBeforeTheEngineIsContacted(string login)
    {
        using var session = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));
        var canary = $"canary-{Guid.NewGuid():N}";
        Assert.Empty(session.Run("Register-SecretVault -ModuleName StandIn -Name RegV; Set-Secret -Name bare-password -Secret $pw -Vault RegV",
            new() { ["pw"] = canary }).AllErrors);

        // No engine answers at this address: a network step would fail with DockerEngineUnavailable instead.
        var run = session.Run(
            $"Build-IExecTeeImage -Path $app -Tag $ref -Push {login} -UpdateProject -ProjectPath $project -DockerHost unix:///tmp/iexecsecrets-no-engine.sock",
            Variables(project, $"{registry.Address}/{Repository}:never", Credential(canary)));

        Assert.Equal($"{ErrorIds.InvalidRegistryCredential},{BuildCommand}", Assert.Single(run.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
        Assert.DoesNotContain(canary, run.Everything(), StringComparison.Ordinal);
    }

    private static PSCredential Credential(string password)
    {
        var secure = new SecureString();
        foreach (var c in password) secure.AppendChar(c);
        secure.MakeReadOnly();
        return new PSCredential("iexec-test", secure);
    }

    private Dictionary<string, object?> Variables(string project, string reference, PSCredential credential) => new()
    {
        ["app"] = RepoPaths.JsApp,
        ["project"] = project,
        ["ref"] = reference,
        ["cred"] = credential,
        ["sconify"] = DockerFixture.Sconify,
        ["base"] = DockerFixture.NodeBase,
        ["dockerHost"] = docker.DockerHost,
    };
}
