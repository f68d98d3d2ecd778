namespace IExecSecrets.Module.Tests.Project;

/// <summary>
/// A ./chain.json entry that re-points a built-in chain (its SMS here) is announced by one warning per command naming
/// what changed, by network cmdlets and by Get-IExecChain (issue 7, item 6).
/// </summary>
public sealed class ChainOverrideWarningTests
{
    private const string Requester = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";

    private static string ProjectWith(string chainJson)
    {
        var project = Directory.CreateTempSubdirectory("iexec-override-").FullName;
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson);
        return project;
    }

    [Fact]
    public async Task NetworkCmdlet_ChainJsonRepointsBellecourSms_WarnsOnceNamingTheChange()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var project = ProjectWith("""{"default":"bellecour","chains":{"bellecour":{"sms":{"scone":"URL"}}}}""".Replace("URL", sms.Url, StringComparison.Ordinal));
        using var host = new ModuleHost(location: project);

        var result = host.Run($"'a','b','c' | Test-IExecRequesterSecret -Requester {Requester}").ThrowIfFailed();

        Assert.Equal(3, result.Output.Count);
        var warning = Assert.Single(result.Warning);
        Assert.Contains($"\"bellecour\" entry of {Path.Combine(project, "chain.json")}", warning);
        Assert.Contains($"sms.scone (https://sms.iex.ec -> {new Uri(sms.Url).GetLeftPart(UriPartial.Authority)})", warning);
        Assert.Contains("sms.gramine (https://sms.gramine.v8-bellecour.iex.ec -> none)", warning);
    }

    // Issue 13, item 4: an entry under another name with bellecour's chain id inherits bellecour's host and hub and
    // re-points only the SMS; main compared by name and stayed silent.
    [Theory]
    [InlineData("iexec", """{"default":"iexec","chains":{"iexec":{"id":"134","sms":"URL"}}}""")]
    [InlineData("134", """{"default":"134","chains":{"134":{"sms":"URL"}}}""")]
    public async Task NetworkCmdlet_AliasOfBellecourByChainId_WarnsOnceNamingTheEntryAndTheChange(string name, string chainJson)
    {
        await using var sms = await DevSmsHost.StartAsync();
        var project = ProjectWith(chainJson.Replace("URL", sms.Url, StringComparison.Ordinal));
        using var host = new ModuleHost(location: project);

        var result = host.Run($"'a','b' | Test-IExecRequesterSecret -Requester {Requester}").ThrowIfFailed();
        var listed = host.Run("Get-IExecChain").ThrowIfFailed();

        Assert.Equal(2, result.Output.Count);
        var warning = Assert.Single(result.Warning);
        Assert.Contains($"\"{name}\" entry of {Path.Combine(project, "chain.json")} (chain id 134", warning);
        Assert.Contains($"overrides built-in settings of bellecour: sms.scone (https://sms.iex.ec -> {new Uri(sms.Url).GetLeftPart(UriPartial.Authority)})", warning);
        var chain = (IExecChain)Assert.Single(listed.Output).BaseObject;
        Assert.Contains($"sms.scone (https://sms.iex.ec -> {new Uri(sms.Url).GetLeftPart(UriPartial.Authority)})", chain.OverriddenSettings);
    }

    [Fact]
    public async Task NetworkCmdlet_OwnChainIdOrNoChainJson_DoesNotWarn()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var project = ProjectWith("""{"default":"dev","chains":{"dev":{"id":"65535","host":"http://127.0.0.1:1","sms":"URL"}}}""".Replace("URL", sms.Url, StringComparison.Ordinal));
        using var host = new ModuleHost(location: project);

        var result = host.Run($"Test-IExecRequesterSecret a -Requester {Requester}").ThrowIfFailed();

        Assert.Single(result.Output);
        Assert.Empty(result.Warning);
    }

    [Fact]
    public void GetIExecChain_ShowsAndAnnouncesTheOverriddenSettings()
    {
        var project = ProjectWith("""{"default":"bellecour","chains":{"bellecour":{"hub":"0x0000000000000000000000000000000000000001","iexecGateway":"https://market.example/path"},"arbitrum-mainnet":{}}}""");
        using var host = new ModuleHost(location: project);

        var result = host.Run("Get-IExecChain").ThrowIfFailed();

        var chains = result.Output.Select(o => (IExecChain)o.BaseObject).ToDictionary(c => c.Name);
        Assert.Equal(
            ["hub (0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f -> 0x0000000000000000000000000000000000000001)", "iexecGateway (https://api.market.v8-bellecour.iex.ec -> https://market.example)"],
            chains["bellecour"].OverriddenSettings);
        Assert.Empty(chains["arbitrum-mainnet"].OverriddenSettings);
        var warning = Assert.Single(result.Warning);
        Assert.Contains("overrides built-in settings of bellecour: hub (", warning);
    }
}
