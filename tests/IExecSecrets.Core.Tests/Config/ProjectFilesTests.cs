namespace IExecSecrets.Core.Tests.Config;

public sealed class ProjectFilesTests
{
    private static string NewDirectory() => Directory.CreateTempSubdirectory("project-").FullName;

    [Fact]
    public void Templates_HaveTheDocumentedSizesAndLayout()
    {
        Assert.Equal(165, File.ReadAllBytes(WriteInit()[1]).Length);
        Assert.Equal(304, ProjectFiles.IExecJsonTemplate.Length);
        Assert.StartsWith("{\n  \"default\": \"arbitrum-sepolia-testnet\",\n  \"chains\": {\n    \"mainnet\": {},", ProjectFiles.ChainJsonTemplate);
        Assert.EndsWith("}", ProjectFiles.IExecJsonTemplate);
    }

    [Fact]
    public void Initialize_SkipWallet_IsByteIdenticalToTheRealCli()
    {
        var cliDirectory = NewDirectory();
        var (exitCode, stdout, stderr) = IExecCli.Run(cliDirectory, "init", "--skip-wallet", "--raw");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("\"ok\":true", stdout);

        var ours = WriteInit();

        Assert.Equal(File.ReadAllBytes(Path.Combine(cliDirectory, "iexec.json")), File.ReadAllBytes(ours[0]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(cliDirectory, "chain.json")), File.ReadAllBytes(ours[1]));
    }

    [Theory]
    [InlineData("scone", TeeFramework.Scone)]
    [InlineData("gramine", TeeFramework.Gramine)]
    [InlineData("tdx", TeeFramework.Tdx)]
    public void Initialize_WithAppTemplate_IsByteIdenticalToCliAppInit(string cliName, TeeFramework framework)
    {
        var cliDirectory = NewDirectory();
        Assert.Equal(0, IExecCli.Run(cliDirectory, "init", "--skip-wallet", "--raw").ExitCode);
        var (exitCode, _, stderr) = IExecCli.Run(cliDirectory, "app", "init", "--tee-framework", cliName, "--raw");
        Assert.True(exitCode == 0, stderr);
        var ours = NewDirectory();

        var result = ProjectFiles.Initialize(ours, force: false, framework);

        Assert.Equal(framework, result.AppTemplate);
        Assert.Equal(File.ReadAllText(Path.Combine(cliDirectory, "iexec.json")), File.ReadAllText(result.IExecJsonPath));
    }

    [Fact]
    public void Initialize_ExistingIExecJsonWithoutForce_ThrowsProjectFileExistsAndWritesNothing()
    {
        var directory = NewDirectory();
        var iexecPath = Path.Combine(directory, "iexec.json");
        File.WriteAllText(iexecPath, "mine");

        var error = Assert.Throws<IExecException>(() => ProjectFiles.Initialize(directory, force: false));

        Assert.Equal(ErrorIds.ProjectFileExists, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ResourceExists, error.Category);
        Assert.Equal(iexecPath, error.Target);
        Assert.Equal("mine", File.ReadAllText(iexecPath));
        Assert.False(File.Exists(Path.Combine(directory, "chain.json")));
    }

    // Issue 15: an existing chain.json holds the user's chains; Initialize writes only what is missing, and says so.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Initialize_ExistingChainJson_IsKept_WithOrWithoutForce_AndOnlyIExecJsonIsWritten(bool force)
    {
        var directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, "chain.json"), "mine");

        var result = ProjectFiles.Initialize(directory, force);

        Assert.True(result.ChainJsonKept);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(directory, "chain.json")));
        Assert.Equal(ProjectFiles.IExecJsonTemplate, File.ReadAllText(Path.Combine(directory, "iexec.json")));
    }

    [Fact]
    public void Initialize_ExistingIExecJsonWithForce_ReplacesIt_AndWritesAMissingChainJson()
    {
        var directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, "iexec.json"), "mine");

        var result = ProjectFiles.Initialize(directory, force: true);

        Assert.False(result.ChainJsonKept);
        Assert.Equal(ProjectFiles.IExecJsonTemplate, File.ReadAllText(Path.Combine(directory, "iexec.json")));
        Assert.Equal(ProjectFiles.ChainJsonTemplate, File.ReadAllText(Path.Combine(directory, "chain.json")));
    }

    [Fact]
    public void Initialize_WithOwner_WritesTheChecksummedOwner()
    {
        var directory = NewDirectory();
        var owner = EthAddress.Parse("0xfcad0b19bb29d4674531d6f115237e16afce377c");

        ProjectFiles.Initialize(directory, force: false, TeeFramework.Scone, owner);

        Assert.Equal("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", ProjectFiles.ReadIExecJson(directory)["app"]!["owner"]!.GetValue<string>());
    }

    [Fact]
    public void SaveDeployedAddress_ExistingEntries_ArePreservedAndLayoutMatchesCli()
    {
        var directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, "deployed.json"), """{"app":{"1":"0x0000000000000000000000000000000000000001"},"dataset":{"134":"0x0000000000000000000000000000000000000002"}}""");
        var address = EthAddress.Parse("0xfcad0b19bb29d4674531d6f115237e16afce377c");

        ProjectFiles.SaveDeployedAddress(directory, "app", 134, address);

        Assert.Equal(
            "{\n  \"app\": {\n    \"1\": \"0x0000000000000000000000000000000000000001\",\n    \"134\": \"0xFCAd0B19bB29D4674531d6f115237E16AfCE377c\"\n  },\n"
            + "  \"dataset\": {\n    \"134\": \"0x0000000000000000000000000000000000000002\"\n  }\n}",
            File.ReadAllText(Path.Combine(directory, "deployed.json")));
        Assert.Equal(address, ProjectFiles.ReadDeployedAddress(directory, "app", 134));
        Assert.Null(ProjectFiles.ReadDeployedAddress(directory, "app", 42161));
    }

    [Fact]
    public void ReadDeployedAddress_NoFile_ReturnsNull()
    {
        Assert.Null(ProjectFiles.ReadDeployedAddress(NewDirectory(), "app", 134));
    }

    [Fact]
    public void ReadIExecJson_Missing_ThrowsProjectFileNotFoundWithCliMessage()
    {
        var error = Assert.Throws<IExecException>(() => ProjectFiles.ReadIExecJson(NewDirectory()));

        Assert.Equal(ErrorIds.ProjectFileNotFound, error.ErrorId);
        Assert.Equal("Missing \"iexec.json\" file, did you forget to run \"iexec init\"?", error.Message);
    }

    [Fact]
    public void ReadAppDefinition_NoAppSection_ThrowsInvalidAppDefinition()
    {
        var directory = NewDirectory();
        ProjectFiles.Initialize(directory, force: false);

        var error = Assert.Throws<IExecException>(() => ProjectFiles.ReadAppDefinition(directory));

        Assert.Equal(ErrorIds.InvalidAppDefinition, error.ErrorId);
    }

    [Fact]
    public void ReadIExecJson_NotJson_ThrowsInvalidProjectFile()
    {
        var directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, "iexec.json"), "{");

        var error = Assert.Throws<IExecException>(() => ProjectFiles.ReadIExecJson(directory));

        Assert.Equal(ErrorIds.InvalidProjectFile, error.ErrorId);
    }

    private static string[] WriteInit()
    {
        var result = ProjectFiles.Initialize(NewDirectory(), force: false);
        return [result.IExecJsonPath, result.ChainJsonPath];
    }
}
