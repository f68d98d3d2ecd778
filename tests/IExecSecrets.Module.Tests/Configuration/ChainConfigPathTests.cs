namespace IExecSecrets.Module.Tests.Configuration;

/// <summary>
/// Issue 15, runbooks that run anywhere: the chain file is chosen independently of the current folder (-ChainConfigPath
/// on every chain-aware cmdlet, the saved ChainConfigPath, the IEXECSECRETS_CHAIN_CONFIG_PATH variable), a named file
/// that is missing fails instead of falling back to the public chains, and Set-IExecConfiguration refuses a chain it
/// cannot resolve. Each command runs from an empty folder: the only way to chain "far" (whose SMS is a closed port
/// named only in that file) is the chain file chosen by path. Process scope only (the module tests run one at a time,
/// and each test clears what it set).
/// </summary>
public sealed class ChainConfigPathTests : IDisposable
{
    private const string VariableName = "IEXECSECRETS_CHAIN_CONFIG_PATH";
    private readonly string _empty = Directory.CreateTempSubdirectory("chain-config-empty-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("chain-config-file-").FullName;
    private readonly string _chainFile;

    public ChainConfigPathTests()
    {
        _chainFile = Path.Combine(_elsewhere, "runbook-chains.json");
        File.WriteAllText(_chainFile, """
            {"default":"far","chains":{"far":{"id":"134","host":"http://127.0.0.1:9","sms":"http://127.0.0.1:19"}}}
            """);
    }

    [Fact]
    public void ChainConfigPathParameter_ReadsThatFile_FromAnEmptyFolder()
    {
        using var host = new ModuleHost(location: _empty);
        host.ConnectTestWallet();

        var withFile = host.Run($"Test-IExecRequesterSecret x1 -Chain far -TimeoutSec 1 -ChainConfigPath '{_chainFile}'");
        var withoutFile = host.Run("Test-IExecRequesterSecret x1 -Chain far -TimeoutSec 1");

        Assert.Contains("127.0.0.1:19", withFile.SingleError().Exception.Message);
        Assert.StartsWith("ChainNotFound,", withoutFile.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void SavedChainConfigPath_IsUsedByLaterCommands_AndShownByGetIExecChain()
    {
        using var host = new ModuleHost(location: _empty);
        host.ConnectTestWallet();
        try
        {
            var set = host.Run($"Set-IExecConfiguration -ChainConfigPath '{_chainFile}' -Chain far -Scope Process -PassThru").ThrowIfFailed();
            var test = host.Run("Test-IExecRequesterSecret x1 -TimeoutSec 1");
            var chain = (IExecChain)Assert.Single(host.Run("Get-IExecChain -Default").ThrowIfFailed().Output).BaseObject;

            Assert.Contains($"ChainConfigPath={_chainFile}", set.Output.Select(o => o.BaseObject.ToString()));
            Assert.Contains("127.0.0.1:19", test.SingleError().Exception.Message);
            Assert.Equal(("far", _chainFile), (chain.Name, chain.ConfigPath));
        }
        finally
        {
            host.Run("Clear-IExecConfiguration -Scope Process -Confirm:$false").ThrowIfFailed();
        }
    }

    [Fact]
    public void EnvironmentVariable_NamesTheChainFile_ForCi()
    {
        var previous = Environment.GetEnvironmentVariable(VariableName);
        Environment.SetEnvironmentVariable(VariableName, _chainFile);
        try
        {
            using var host = new ModuleHost(location: _empty);
            host.ConnectTestWallet();

            var test = host.Run("Test-IExecRequesterSecret x1 -TimeoutSec 1");
            var chain = (IExecChain)Assert.Single(host.Run("Get-IExecChain -Default").ThrowIfFailed().Output).BaseObject;

            Assert.Contains("127.0.0.1:19", test.SingleError().Exception.Message);
            Assert.Equal(("far", _chainFile), (chain.Name, chain.ConfigPath));
        }
        finally
        {
            Environment.SetEnvironmentVariable(VariableName, previous);
        }
    }

    [Fact]
    public void MissingChainFile_FailsWithChainConfigNotFound_AndNothingIsSaved()
    {
        using var host = new ModuleHost(location: _empty);
        host.ConnectTestWallet();
        var missing = Path.Combine(_elsewhere, "missing.json");

        var command = host.Run($"Test-IExecRequesterSecret x1 -TimeoutSec 1 -ChainConfigPath '{missing}'");
        var set = host.Run($"Set-IExecConfiguration -ChainConfigPath '{missing}' -Scope Process");

        Assert.StartsWith("ChainConfigNotFound,", command.SingleError().FullyQualifiedErrorId);
        Assert.Equal("ChainConfigNotFound,IExecSecrets.Commands.SetIExecConfigurationCommand", set.SingleError().FullyQualifiedErrorId);
        Assert.Empty(host.Run("Get-IExecConfiguration -Scope Process").ThrowIfFailed().Output);
    }

    [Theory]
    [InlineData("Set-IExecConfiguration -Chain devnet -Scope Process")]
    [InlineData("Set-IExecConfiguration -Chain far -Scope Process")]
    public void SetIExecConfiguration_RefusesAChainItCannotResolve(string script)
    {
        using var host = new ModuleHost(location: _empty);

        var result = host.Run(script);

        Assert.Equal("ChainNotFound,IExecSecrets.Commands.SetIExecConfigurationCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Empty(host.Run("Get-IExecConfiguration -Scope Process").ThrowIfFailed().Output);
    }

    [Fact]
    public void ClearIExecConfiguration_WithoutScope_LeavesNoValueInEffect_WithScope_OnlyThatScope()
    {
        using var host = new ModuleHost(location: _empty);
        try
        {
            host.Run("Set-IExecConfiguration -Vault ProcessVault -Scope Process").ThrowIfFailed();
            host.Run("Clear-IExecConfiguration -Name Vault -Scope CurrentUser -Confirm:$false").ThrowIfFailed();
            var afterCurrentUser = (IExecConfigurationEntry)Assert.Single(host.Run("Get-IExecConfiguration Vault").ThrowIfFailed().Output).BaseObject;
            host.Run("Clear-IExecConfiguration -Name Vault -Confirm:$false").ThrowIfFailed();
            var afterAll = (IExecConfigurationEntry)Assert.Single(host.Run("Get-IExecConfiguration Vault").ThrowIfFailed().Output).BaseObject;

            Assert.Equal(("ProcessVault", "Process"), (afterCurrentUser.Value, afterCurrentUser.Scope));
            Assert.Equal(((string?)null, "NotSet"), (afterAll.Value, afterAll.Scope));
        }
        finally
        {
            host.Run("Clear-IExecConfiguration -Scope Process -Confirm:$false").ThrowIfFailed();
        }
    }

    public void Dispose()
    {
        Directory.Delete(_empty, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }
}
