namespace IExecSecrets.Module.Tests.Configuration;

/// <summary>
/// Set-/Get-/Clear-IExecConfiguration in the Process scope (the module tests run one at a time, and each test clears
/// what it set): saved defaults are honoured when a parameter is left out and overridden when it is given.
/// </summary>
public sealed class SavedDefaultsCmdletTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("saved-defaults-cmdlets-").FullName;

    [Fact]
    public async Task SavedChainAndVault_AreUsedWhenLeftOut_AndExplicitParametersWin()
    {
        await using var sms = await DevSmsHost.StartAsync();
        // "other" is chain.json's default and its SMS is a closed port: only the saved chain reaches the dev SMS.
        File.WriteAllText(Path.Combine(_folder, "chain.json"), $$"""
            {"default":"other","chains":{
              "devsms":{"id":"134","host":"http://127.0.0.1:9","sms":"{{sms.Url}}"},
              "other":{"id":"134","host":"http://127.0.0.1:9","sms":"http://127.0.0.1:9"} } }
            """);
        using var host = new ModuleHost(location: _folder);
        host.ConnectTestWallet();
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        try
        {
            var set = host.Run(
                "Register-SecretVault -ModuleName StandIn -Name RunbookVault; Set-Secret -Name x-saved -Secret 'from-the-vault' -Vault RunbookVault; "
                + "Set-IExecConfiguration -Chain devsms -Vault RunbookVault -Scope Process -PassThru").ThrowIfFailed();
            var honoured = host.Run("Push-IExecRequesterSecret -Name x-saved").ThrowIfFailed();
            var overridden = host.Run("Push-IExecRequesterSecret -Name x-other -Chain other -Value $v", new Dictionary<string, object?> { ["v"] = ModuleHost.Secure("explicit") });
            var chain = host.Run("Get-IExecChain -Default").ThrowIfFailed();
            var shown = host.Run("Get-IExecConfiguration").ThrowIfFailed();

            Assert.Equal(["Chain=devsms", "Vault=RunbookVault"], set.Output.Select(o => o.BaseObject.ToString()!).ToArray());
            Assert.True(((IExecSecretPushResult)Assert.Single(honoured.Output).BaseObject).IsPushed);
            Assert.Equal("from-the-vault"u8.ToArray(), await sms.Server.GetRequesterSecretAsync(key.Address, "x-saved"));
            Assert.StartsWith("SmsUnreachable,", overridden.SingleError().FullyQualifiedErrorId);
            var info = (IExecChain)Assert.Single(chain.Output).BaseObject;
            Assert.Equal("devsms", info.Name);
            Assert.Equal("Process", info.DefaultSource);
            Assert.Equal("RunbookVault", info.SavedVault);
            Assert.Equal("Process", info.SavedVaultSource);
            var entries = shown.Output.Select(o => (IExecConfigurationEntry)o.BaseObject).ToDictionary(e => e.Name);
            Assert.Equal("Process", entries["Chain"].Scope);
            Assert.Equal("NotSet", entries["Workerpool"].Scope);
        }
        finally
        {
            host.Run("Clear-IExecConfiguration -Scope Process -Confirm:$false").ThrowIfFailed();
        }

        Assert.Equal("chain.json", ((IExecChain)Assert.Single(host.Run("Get-IExecChain -Default").ThrowIfFailed().Output).BaseObject).DefaultSource);
    }

    [Fact]
    public void SavedTeeFramework_PicksThatFrameworksSms_BelowAnExplicitTeeFramework()
    {
        File.WriteAllText(Path.Combine(_folder, "chain.json"), """
            {"default":"c","chains":{"c":{"id":"134","host":"http://127.0.0.1:9","sms":{"scone":"http://127.0.0.1:11","tdx":"http://127.0.0.1:12"}}}}
            """);
        using var host = new ModuleHost(location: _folder);
        host.ConnectTestWallet();
        try
        {
            host.Run("Set-IExecConfiguration -TeeFramework tdx -Scope Process").ThrowIfFailed();
            var saved = host.Run("Test-IExecRequesterSecret x1 -TimeoutSec 5");
            var explicitScone = host.Run("Test-IExecRequesterSecret x1 -TimeoutSec 5 -TeeFramework scone");

            Assert.Contains("127.0.0.1:12", saved.SingleError().Exception.Message);
            Assert.Contains("127.0.0.1:11", explicitScone.SingleError().Exception.Message);
        }
        finally
        {
            host.Run("Clear-IExecConfiguration -Scope Process -Confirm:$false").ThrowIfFailed();
        }
    }

    [Theory]
    [InlineData("Set-IExecConfiguration -Workerpool nope -Scope Process", "InvalidConfigurationValue,IExecSecrets.Commands.SetIExecConfigurationCommand")]
    [InlineData("Set-IExecConfiguration -TeeFramework sgx -Scope Process", "UnknownTeeFramework,IExecSecrets.Commands.SetIExecConfigurationCommand")]
    [InlineData("Set-IExecConfiguration -Scope Process", "InvalidConfigurationValue,IExecSecrets.Commands.SetIExecConfigurationCommand")]
    [InlineData("Get-IExecConfiguration Colour", "InvalidConfigurationValue,IExecSecrets.Commands.GetIExecConfigurationCommand")]
    public void BadInput_FailsWithItsIdAndSavesNothing(string script, string fullyQualifiedErrorId)
    {
        using var host = new ModuleHost(location: _folder);

        var result = host.Run(script);
        var after = host.Run("Get-IExecConfiguration -Scope Process").ThrowIfFailed();

        Assert.Equal(fullyQualifiedErrorId, result.SingleError().FullyQualifiedErrorId);
        Assert.Empty(after.Output);
    }

    [Fact]
    public void WhatIf_SavesNothing()
    {
        using var host = new ModuleHost(location: _folder);

        host.Run("Set-IExecConfiguration -Chain bellecour -Scope Process -WhatIf").ThrowIfFailed();

        Assert.Empty(host.Run("Get-IExecConfiguration -Scope Process").ThrowIfFailed().Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Issue 13, item 7: Set-IExecConfiguration pins a workerpool's API URL; Get and Clear show and forget it.
    [Fact]
    public void WorkerpoolApiUrl_PinnedForTheProcess_ShownByGetAndForgottenByClear_BadPinsRefused()
    {
        using var host = new ModuleHost(location: _folder);
        const string pool = "0x0e7Bc972c99187c191A17f3CaE4A2711a4188c3F";

        var set = host.Run($"Set-IExecConfiguration -WorkerpoolApiUrl @{{ '{pool.ToLowerInvariant()}' = 'https://core.pool.example/' }} -Scope Process -PassThru").ThrowIfFailed();
        var shown = host.Run("Get-IExecConfiguration WorkerpoolApiUrl*").ThrowIfFailed();
        var bad = host.Run("Set-IExecConfiguration -WorkerpoolApiUrl @{ 'pool.eth' = 'http://core.pool.example' } -Scope Process");
        host.Run("Clear-IExecConfiguration WorkerpoolApiUrl -Scope Process").ThrowIfFailed();
        var after = host.Run("Get-IExecConfiguration WorkerpoolApiUrl -Scope Process").ThrowIfFailed();

        var entry = (IExecConfigurationEntry)Assert.Single(set.Output).BaseObject;
        Assert.Equal(($"WorkerpoolApiUrl:{pool}", "https://core.pool.example", "Process"), (entry.Name, entry.Value, entry.Scope));
        var listed = (IExecConfigurationEntry)Assert.Single(shown.Output).BaseObject;
        Assert.Equal(entry.Name, listed.Name);
        Assert.Equal("InvalidConfigurationValue,IExecSecrets.Commands.SetIExecConfigurationCommand", bad.SingleError().FullyQualifiedErrorId);
        Assert.Empty(after.Output);
    }
}
