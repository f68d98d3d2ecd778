using System.Management.Automation;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Enclave.Tests;

/// <summary>Build-IExecTeeImage and Invoke-IExecEnclaveApp in a hosted PowerShell engine, on the real Docker engine.</summary>
[Collection(DockerCollection.Name)]
public sealed class CmdletTests(DockerFixture docker)
{
    private const string BuildCommand = "IExecSecrets.Commands.BuildIExecTeeImageCommand";

    [Fact]
    public void BuildIExecTeeImage_UpdatesProjectAndWritesTypedResultWithProgress()
    {
        using var host = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();

        var (output, errors, progress, _) = host.Run(
            "Build-IExecTeeImage -Path $app -Tag iexecsecrets-test/cmdlet-js:1 -SconifyImage $sconify -BuildArg @{ BASE_IMAGE = $base } -UpdateProject -ProjectPath $project -DockerHost $dockerHost",
            Variables(project));

        Assert.Empty(errors);
        var image = Assert.IsType<IExecTeeImage>(Assert.Single(output).BaseObject);
        Assert.True(image.ProjectUpdated);
        Assert.Matches("^[0-9a-f]{64}$", image.Fingerprint);
        var app = ProjectFiles.ReadIExecJson(project)["app"]!;
        Assert.Equal(image.MrEnclave, app["mrenclave"]!.ToJsonString());
        Assert.Equal(image.Checksum, (string?)app["checksum"]);
        Assert.Contains(progress, p => p.StatusDescription.StartsWith("Step ", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public async Task BuildIExecTeeImage_WhatIf_BuildsNothingAndLeavesProjectAlone()
    {
        using var host = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));
        var tag = $"iexecsecrets-test/whatif-{Guid.NewGuid():N}:1";

        var (output, errors, _, _) = host.Run(
            $"Build-IExecTeeImage -Path $app -Tag {tag} -SconifyImage $sconify -BuildArg @{{ BASE_IMAGE = $base }} -UpdateProject -ProjectPath $project -DockerHost $dockerHost -WhatIf",
            Variables(project));

        Assert.Empty(errors);
        Assert.Empty(output);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
        using var engine = await IExecSecrets.Core.Tee.DockerEngine.ConnectAsync(docker.DockerHost, default);
        Assert.Null(await engine.ImageIdAsync(tag, default));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "Build-IExecTeeImage -Path ($project + '/nowhere') -Tag me/app:1 -UpdateProject -ProjectPath $project", ErrorIds.BuildContextNotFound },
        { "Build-IExecTeeImage -Path $project -Tag me/app:1 -UpdateProject -ProjectPath $project", ErrorIds.DockerfileNotFound },
        { "Build-IExecTeeImage -Path $app -Tag 'Me/App:1' -UpdateProject -ProjectPath $project", ErrorIds.InvalidImageReference },
        { "Build-IExecTeeImage -Path $app -Tag me/app:1 -SignerKeyPath ($project + '/none.pem') -UpdateProject -ProjectPath $project", ErrorIds.SignerKeyNotFound },
        { "Build-IExecTeeImage -Path $app -Tag me/app:1 -UpdateProject -ProjectPath $project -DockerHost unix:///tmp/iexecsecrets-no-engine.sock", ErrorIds.DockerEngineUnavailable },
        { "Build-IExecTeeImage -Path $app -Tag me/app:1 -SconifyImage $badSconify -BuildArg @{ BASE_IMAGE = $base } -UpdateProject -ProjectPath $project -DockerHost $dockerHost", ErrorIds.InvalidFingerprint },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BuildIExecTeeImage_BadInput_FailsWithItsIdAndLeavesProjectAlone(string script, string errorId)
    {
        using var host = new ModuleHost();
        var project = TeeImageBuildTests.NewProject();
        var before = File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName));

        var (_, errors, _, _) = host.Run(script, Variables(project));

        Assert.Equal($"{errorId},{BuildCommand}", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(project, ProjectFiles.IExecFileName)));
    }

    [Fact]
    public void InvokeIExecEnclaveApp_MapsVaultSecretsAndSecureStringToTheApp()
    {
        using var host = new ModuleHost();
        var output = RepoPaths.NewTempFolder("cmdlet-out");
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name x1 -Secret '3' -Vault V; Set-Secret -Name poly -Secret '1;0;-2;0.5' -Vault V");

        var fromVault = host.Run("Invoke-IExecEnclaveApp -Path $py -AppSecretName poly -Secret @{1='x1'} -Vault V -OutputPath $out",
            new Dictionary<string, object?> { ["py"] = RepoPaths.PythonApp, ["out"] = output });
        var secure = new System.Security.SecureString();
        foreach (var c in "1;0;-2;0.5") secure.AppendChar(c);
        var fromSecureString = host.Run("Invoke-IExecEnclaveApp -Path $js -AppSecret $secret -Secret @{1='x1'} -Vault V -OutputPath $out2",
            new Dictionary<string, object?> { ["js"] = RepoPaths.JsApp, ["secret"] = secure, ["out2"] = output + "-js" });

        Assert.Empty(fromVault.AllErrors);
        var run = Assert.IsType<IExecEnclaveRun>(Assert.Single(fromVault.Output).BaseObject);
        Assert.True(run.Succeeded);
        Assert.Equal("""{"x":3,"result":21.5}""", File.ReadAllText(run.ResultPath!));
        Assert.Empty(fromSecureString.AllErrors);
        var jsRun = Assert.IsType<IExecEnclaveRun>(Assert.Single(fromSecureString.Output).BaseObject);
        Assert.Equal(File.ReadAllText(run.ResultPath!), File.ReadAllText(jsRun.ResultPath!));
    }

    [Fact]
    public void InvokeIExecEnclaveApp_FailingApp_WritesRunAndEnclaveAppFailed()
    {
        using var host = new ModuleHost();
        var secure = new System.Security.SecureString();
        foreach (var c in "1;2;3") secure.AppendChar(c);

        var (output, errors, _, _) = host.Run("Invoke-IExecEnclaveApp -Path $js -AppSecret $secret -OutputPath $out",
            new Dictionary<string, object?> { ["js"] = RepoPaths.JsApp, ["secret"] = secure, ["out"] = RepoPaths.NewTempFolder("cmdlet-fail") });

        var run = Assert.IsType<IExecEnclaveRun>(Assert.Single(output).BaseObject);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("EnclaveAppFailed,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.DoesNotContain("1;2;3", errors[0].ToString());
    }

    [Fact]
    public void InvokeIExecEnclaveApp_IndexZero_FailsBeforeRunning()
    {
        using var host = new ModuleHost();

        var (output, errors, _, _) = host.Run("Invoke-IExecEnclaveApp -Path $js -Secret @{0='x1'} -OutputPath $out",
            new Dictionary<string, object?> { ["js"] = RepoPaths.JsApp, ["out"] = RepoPaths.NewTempFolder("cmdlet-zero") });

        Assert.Empty(output);
        Assert.Equal("InvalidRequesterSecretIndex,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", Assert.Single(errors).FullyQualifiedErrorId);
    }

    private Dictionary<string, object?> Variables(string project) => new()
    {
        ["app"] = RepoPaths.JsApp,
        ["project"] = project,
        ["sconify"] = DockerFixture.Sconify,
        ["badSconify"] = DockerFixture.SconifyBadFingerprint,
        ["base"] = DockerFixture.NodeBase,
        ["dockerHost"] = docker.DockerHost,
    };
}
