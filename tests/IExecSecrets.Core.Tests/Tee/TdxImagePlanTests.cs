namespace IExecSecrets.Core.Tests.Tee;

/// <summary>
/// Build-IExecTeeImage -TeeFramework tdx before any engine: the plan builds the tag itself with no sconify step,
/// sconify-only options and gramine are refused with their ids, and the project update drops the mrenclave.
/// </summary>
public sealed class TdxImagePlanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tdx-plan-").FullName;

    public TdxImagePlanTests() => File.WriteAllText(Path.Combine(_folder, "Dockerfile"), "FROM scratch\nCOPY app.js /app/app.js\n");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Plan_Tdx_BuildsTheTagItselfWithNoSconifyStep()
    {
        File.WriteAllText(Path.Combine(_folder, "app.js"), "");

        var plan = TeeImageBuilder.Plan(new TeeImageBuildRequest { ContextPath = _folder, Tag = "127.0.0.1:5765/me/app:1", TeeFramework = TeeFramework.Tdx, Push = true });

        Assert.Equal(("127.0.0.1:5765/me/app:1", "127.0.0.1:5765/me/app:1", ""), (plan.Image, plan.SconifiedImage, plan.SconifyImage));
        Assert.Empty(plan.SconifyCommand);
        Assert.DoesNotContain("docker run", plan.Describe(), StringComparison.Ordinal);
        Assert.Contains("docker push 127.0.0.1:5765/me/app:1", plan.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SignerKeyPath")]
    [InlineData("SignerKey")]
    [InlineData("SconifyImage")]
    public void Plan_TdxWithASconifyOnlyOption_FailsSconifyOptionNotApplicable(string option)
    {
        File.WriteAllText(Path.Combine(_folder, "app.js"), "");
        var key = Path.Combine(_folder, "key.pem");
        File.WriteAllText(key, "not a key");
        var request = new TeeImageBuildRequest { ContextPath = _folder, Tag = "me/app:1", TeeFramework = TeeFramework.Tdx };
        request = option switch
        {
            "SignerKeyPath" => request with { SignerKeyPath = key },
            "SignerKey" => request with { SignerKey = new byte[] { 1, 2, 3 } },
            _ => request with { SconifyImage = "me/sconify:1" },
        };

        var error = Assert.Throws<IExecException>(() => TeeImageBuilder.Plan(request));

        Assert.Equal((ErrorIds.SconifyOptionNotApplicable, IExecErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(option, error.Target);
    }

    [Fact]
    public void Plan_Gramine_FailsUnsupportedTeeFramework()
    {
        var error = Assert.Throws<IExecException>(() =>
            TeeImageBuilder.Plan(new TeeImageBuildRequest { ContextPath = _folder, Tag = "me/app:1", TeeFramework = TeeFramework.Gramine }));

        Assert.Equal((ErrorIds.UnsupportedTeeFramework, "gramine"), (error.ErrorId, error.Target));
    }

    [Fact]
    public void UpdateProject_WithoutMrEnclave_RemovesItAndKeepsEverythingElse()
    {
        ProjectFiles.Initialize(_folder, force: false, TeeFramework.Scone, EthAddress.Parse("0x7bd4783FDCAD405A28052a0d1f11236A741da593"));
        var file = Path.Combine(_folder, ProjectFiles.IExecFileName);
        Assert.NotNull(ProjectFiles.ReadIExecJson(_folder)["app"]!["mrenclave"]);

        TeeImageBuilder.UpdateProject(file, "127.0.0.1:5765/me/app:1", "0x" + new string('a', 64), null);

        var app = (JsonObject)ProjectFiles.ReadIExecJson(_folder)["app"]!;
        Assert.False(app.ContainsKey("mrenclave"));
        Assert.Equal(("127.0.0.1:5765/me/app:1", "0x" + new string('a', 64), "DOCKER"), ((string?)app["multiaddr"], (string?)app["checksum"], (string?)app["type"]));
    }
}
