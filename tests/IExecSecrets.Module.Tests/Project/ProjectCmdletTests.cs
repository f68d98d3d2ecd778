using IExecSecrets.Core.Config;

namespace IExecSecrets.Module.Tests.Project;

public sealed class ProjectCmdletTests
{
    private const string TestAddress = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";

    private static string NewDirectory() => Directory.CreateTempSubdirectory("iexec-project-").FullName;

    [Fact]
    public void InitializeIExecProject_EmptyFolder_WritesTheCliTemplates()
    {
        var project = NewDirectory();
        using var host = new ModuleHost(location: project);

        var result = host.Run("Initialize-IExecProject").ThrowIfFailed();

        var init = Assert.IsType<IExecProjectInitResult>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(Path.Combine(project, "iexec.json"), init.ConfigFile);
        Assert.Equal(ProjectFiles.IExecJsonTemplate, File.ReadAllText(init.ConfigFile));
        Assert.Equal(ProjectFiles.ChainJsonTemplate, File.ReadAllText(init.ChainConfigFile));
        Assert.Null(init.AppTemplate);
    }

    [Fact]
    public void InitializeIExecProject_ExistingFilesWithoutForce_FailsProjectFileExistsAndKeepsThem()
    {
        var project = NewDirectory();
        File.WriteAllText(Path.Combine(project, "iexec.json"), "{}");
        using var host = new ModuleHost(location: project);

        var result = host.Run("Initialize-IExecProject");

        var error = result.SingleError();
        Assert.Equal("ProjectFileExists,IExecSecrets.Commands.InitializeIExecProjectCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(project, "iexec.json")));
        Assert.False(File.Exists(Path.Combine(project, "chain.json")));
    }

    [Fact]
    public void InitializeIExecProject_Force_ReplacesFiles()
    {
        var project = NewDirectory();
        File.WriteAllText(Path.Combine(project, "iexec.json"), "{}");
        using var host = new ModuleHost(location: project);

        host.Run("Initialize-IExecProject -Force").ThrowIfFailed();

        Assert.Equal(ProjectFiles.IExecJsonTemplate, File.ReadAllText(Path.Combine(project, "iexec.json")));
    }

    [Fact]
    public void InitializeIExecProject_WhatIf_WritesNothing()
    {
        var project = Path.Combine(NewDirectory(), "sub");
        using var host = new ModuleHost();

        var result = host.Run("Initialize-IExecProject -Path $p -WhatIf", new Dictionary<string, object?> { ["p"] = project }).ThrowIfFailed();

        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(project));
    }

    [Fact]
    public void InitializeIExecProject_TeeSconeWithWallet_WritesTheAppTemplateOwnedByTheWallet()
    {
        var project = NewDirectory();
        using var host = new ModuleHost(location: project);
        host.ConnectTestWallet();

        var result = host.Run("Initialize-IExecProject -Tee SCONE").ThrowIfFailed();

        var init = Assert.IsType<IExecProjectInitResult>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("scone", init.AppTemplate);
        Assert.Equal(TestAddress, init.Owner);
        var app = ProjectFiles.ReadAppDefinition(project);
        Assert.Equal(TestAddress, app.Owner.ToString());
        Assert.Equal("hello-world-scone", app.Name);
    }

    [Fact]
    public void InitializeIExecProject_UnknownTee_FailsUnknownTeeFrameworkAndWritesNothing()
    {
        var project = NewDirectory();
        using var host = new ModuleHost(location: project);

        var result = host.Run("Initialize-IExecProject -Tee sgx");

        Assert.Equal("UnknownTeeFramework,IExecSecrets.Commands.InitializeIExecProjectCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Empty(Directory.EnumerateFiles(project));
    }

    [Fact]
    public void GetIExecChain_NoChainJson_ListsTheBuiltInChainsWithTheirSms()
    {
        using var host = new ModuleHost(location: NewDirectory());

        var chains = host.Run("Get-IExecChain").ThrowIfFailed().Output.Select(o => (IExecChain)o.BaseObject).ToList();

        Assert.Equal(["mainnet", "bellecour", "arbitrum-mainnet", "arbitrum-sepolia-testnet"], chains.Select(c => c.Name));
        var bellecour = chains.Single(c => c.Name == "bellecour");
        Assert.Equal("https://sms.iex.ec", bellecour.Sms["scone"]);
        Assert.Equal("https://sms.gramine.v8-bellecour.iex.ec", bellecour.Sms["gramine"]);
        Assert.Equal("0", bellecour.ForcedGasPrice);
        Assert.True(chains.Single(c => c.IsDefault).Name == "arbitrum-sepolia-testnet");
    }

    [Fact]
    public void GetIExecChain_PartialSmsMap_ShowsOnlyTheFrameworksItNames()
    {
        var project = NewDirectory();
        File.WriteAllText(Path.Combine(project, "chain.json"), """{"default":"bellecour","chains":{"bellecour":{"sms":{"scone":"http://127.0.0.1:5000"}}}}""");
        using var host = new ModuleHost(location: project);

        var chain = (IExecChain)Assert.Single(host.Run("Get-IExecChain -Default").ThrowIfFailed().Output).BaseObject;

        Assert.Equal(new[] { "scone" }, chain.Sms.Keys.Cast<string>());
        Assert.Equal(Path.Combine(project, "chain.json"), chain.ConfigPath);
        Assert.Equal("https://bellecour.iex.ec", chain.Host);
    }

    [Fact]
    public void GetIExecChain_WildcardAndUnknownName_ListsMatchesAndReportsTheMissingOne()
    {
        using var host = new ModuleHost(location: NewDirectory());

        var result = host.Run("Get-IExecChain 'arb*', goerli");

        Assert.Equal(["arbitrum-mainnet", "arbitrum-sepolia-testnet"], result.Output.Select(o => ((IExecChain)o.BaseObject).Name));
        Assert.Equal("ChainNotFound,IExecSecrets.Commands.GetIExecChainCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetIExecChain_UnknownKeyInChainJson_FailsInvalidChainConfig()
    {
        var project = NewDirectory();
        File.WriteAllText(Path.Combine(project, "chain.json"), """{"chains":{"dev":{"id":"134","ipfsNode":"http://x"}}}""");
        using var host = new ModuleHost(location: project);

        var error = host.Run("Get-IExecChain").SingleError();

        Assert.Equal("InvalidChainConfig,IExecSecrets.Commands.GetIExecChainCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("Unknown key \"ipfsNode\"", error.Exception.Message);
    }

    [Fact]
    public void DeployIExecApp_InvalidType_FailsInvalidAppDefinitionBeforeAnyNetworkCall()
    {
        var project = UnreachableChainProject();
        var app = ProjectFiles.AppTemplate(TeeFramework.Scone, Core.Crypto.EthAddress.Parse(TestAddress));
        app["type"] = "docker";
        File.WriteAllText(Path.Combine(project, "iexec.json"), new System.Text.Json.Nodes.JsonObject { ["app"] = app }.ToJsonString());
        ConnectAndRun(project, "Deploy-IExecApp", out var result);

        var error = result.SingleError();
        Assert.Equal("InvalidAppDefinition,IExecSecrets.Commands.DeployIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal("docker is not a valid type", error.Exception.Message);
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
    }

    [Fact]
    public void DeployIExecApp_SconeWithoutHeapSize_FailsInvalidAppDefinition()
    {
        var project = UnreachableChainProject();
        ConnectAndRun(project,
            "Deploy-IExecApp -Name a -Multiaddr docker.io/a:1 -Checksum ('0x' + 'ab' * 32) -MrEnclave ([ordered]@{framework='SCONE';version='v5';entrypoint='e';fingerprint='f'})",
            out var result);

        Assert.Equal("InvalidAppDefinition,IExecSecrets.Commands.DeployIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal("heapSize is a required field", result.SingleError().Exception.Message);
    }

    [Fact]
    public void DeployIExecApp_WithoutWallet_FailsWalletNotConnected()
    {
        var project = UnreachableChainProject();
        using var host = new ModuleHost(location: project);

        var result = host.Run("Deploy-IExecApp -Name a -Multiaddr docker.io/a:1 -Checksum ('0x' + 'ab' * 32)");

        Assert.Equal("WalletNotConnected,IExecSecrets.Commands.DeployIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void DeployIExecApp_NoIExecJson_FailsProjectFileNotFound()
    {
        var project = UnreachableChainProject();
        ConnectAndRun(project, "Deploy-IExecApp", out var result);

        Assert.Equal("ProjectFileNotFound,IExecSecrets.Commands.DeployIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetIExecApp_MalformedAddress_FailsInvalidAddress()
    {
        using var host = new ModuleHost(location: UnreachableChainProject());

        var result = host.Run("Get-IExecApp 0x1234");

        Assert.Equal("InvalidAddress,IExecSecrets.Commands.GetIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetIExecApp_NothingDeployed_FailsAppNotInDeployedJson()
    {
        using var host = new ModuleHost(location: UnreachableChainProject());

        var result = host.Run("Get-IExecApp");

        Assert.Equal("AppNotInDeployedJson,IExecSecrets.Commands.GetIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Contains("for chain 134", result.SingleError().Exception.Message);
    }

    private static void ConnectAndRun(string project, string script, out RunResult result)
    {
        using var host = new ModuleHost(location: project);
        host.ConnectTestWallet();
        result = host.Run(script);
    }

    // port 9 (discard) on loopback has no JSON-RPC node: any network call would fail with a connection error,
    // so an input error id proves validation ran first
    private static string UnreachableChainProject()
    {
        var project = NewDirectory();
        File.WriteAllText(Path.Combine(project, "chain.json"),
            """{"default":"local","chains":{"local":{"id":"134","host":"http://127.0.0.1:9","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f"}}}""");
        return project;
    }
}
