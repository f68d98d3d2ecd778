namespace IExecSecrets.Core.Tests.Config;

/// <summary>A chain.json entry named like a built-in chain that re-points it is reported key by key (issue 7, item 6).</summary>
public sealed class ChainOverrideTests
{
    private static ChainProfile Resolve(string json, string? name = null) => new ChainResolver(ChainConfigFile.Parse(json, "/p/chain.json")).Resolve(name);

    private static string[] Keys(ChainProfile profile) => ChainOverride.Find(profile).Select(change => change.Key).ToArray();

    [Fact]
    public void Find_BuiltInsAndTheInitTemplate_OverrideNothing()
    {
        foreach (var chain in BuiltInChains.All) Assert.Empty(ChainOverride.Find(chain));
        var template = new ChainResolver(ChainConfigFile.Parse(ProjectFiles.ChainJsonTemplate, "/p/chain.json"));
        foreach (var name in template.ChainNames) Assert.Empty(ChainOverride.Find(template.Resolve(name)));
        Assert.Null(ChainOverride.Warning(new ChainResolver().Resolve("bellecour"), null));
    }

    [Fact]
    public void Find_SmsMapOfBellecour_NamesTheChangedAndTheDroppedFrameworks()
    {
        var chain = Resolve("""{"default":"bellecour","chains":{"bellecour":{"sms":{"scone":"http://127.0.0.1:5000"}}}}""");

        var changes = ChainOverride.Find(chain);

        Assert.Equal(
            [new ChainOverride("sms.scone", "https://sms.iex.ec", "http://127.0.0.1:5000"),
             new ChainOverride("sms.gramine", "https://sms.gramine.v8-bellecour.iex.ec", "none")],
            changes);
    }

    [Fact]
    public void Find_EveryTrustedSetting_IsReportedInAFixedOrder()
    {
        var chain = Resolve("""
            {"default":"arbitrum-mainnet","chains":{"arbitrum-mainnet":{
              "host":"https://rpc.example","hub":"0x0000000000000000000000000000000000000001",
              "sms":"https://sms.example","iexecGateway":"https://market.example","ipfsGateway":"https://ipfs.example",
              "resultProxy":"https://result.example","ensRegistry":"0x0000000000000000000000000000000000000002",
              "ensPublicResolver":"0x0000000000000000000000000000000000000003","voucherHub":"0x0000000000000000000000000000000000000004"}}}
            """);

        Assert.Equal(
            ["host", "hub", "sms.scone", "sms.gramine", "sms.tdx", "iexecGateway", "ipfsGateway", "resultProxy", "ensRegistry", "ensPublicResolver", "voucherHub"],
            Keys(chain));
    }

    [Fact]
    public void Find_AnotherChainIdUnderABuiltInName_IsReported()
    {
        var chain = Resolve("""{"default":"bellecour","chains":{"bellecour":{"id":"31337","host":"http://127.0.0.1:8545","sms":"http://127.0.0.1:5000"}}}""");

        var id = ChainOverride.Find(chain)[0];

        Assert.Equal(new ChainOverride("id", "134", "31337"), id);
        Assert.Contains("hub", Keys(chain));             // the other chain has no hub at all
    }

    [Fact]
    public void Find_SameValuesRestatedOrAnOwnChain_ReportNothing()
    {
        var restated = Resolve("""{"default":"bellecour","chains":{"bellecour":{"id":"134","host":"https://bellecour.iex.ec","hub":"0x3eca1b216a7df1c7689aeb259ffb83adfb894e7f"}}}""");
        var ownChain = Resolve("""{"default":"devnet","chains":{"devnet":{"id":"65535","host":"http://127.0.0.1:8545","sms":"http://127.0.0.1:5000"}}}""");
        var aliasRestated = Resolve("""{"default":"iexec","chains":{"iexec":{"id":"134"}}}""");

        Assert.Empty(ChainOverride.Find(restated));
        Assert.Empty(ChainOverride.Find(ownChain));
        Assert.Empty(ChainOverride.Find(aliasRestated));
    }

    // Issue 13, item 4: the SDK merges an entry over the built-in defaults of its chain id, whatever its name, so an
    // alias inherits bellecour's host and hub and re-points only the SMS. Main compared entries by name only.
    [Theory]
    [InlineData("""{"default":"iexec","chains":{"iexec":{"id":"134","sms":"http://evil.example"}}}""", "iexec")]
    [InlineData("""{"default":"134","chains":{"134":{"sms":"http://evil.example"}}}""", "134")]
    [InlineData("""{"default":"devnet","chains":{"devnet":{"id":134,"sms":"http://evil.example"}}}""", "devnet")]
    public void Find_AnEntryWithABuiltInChainIdUnderAnyName_IsComparedWithThatChain(string json, string name)
    {
        var chain = Resolve(json);

        Assert.Equal(134UL, chain.ChainId);
        Assert.Equal("https://bellecour.iex.ec", chain.Host);          // inherited: only the SMS moved
        Assert.Equal(
            [new ChainOverride("sms.scone", "https://sms.iex.ec", "http://evil.example"),
             new ChainOverride("sms.gramine", "https://sms.gramine.v8-bellecour.iex.ec", "http://evil.example"),
             new ChainOverride("sms.tdx", "none", "http://evil.example")],
            ChainOverride.Find(chain));
        var warning = ChainOverride.Warning(chain, "/p/chain.json")!;
        Assert.StartsWith($"The \"{name}\" entry of /p/chain.json", warning);
        Assert.Contains("overrides built-in settings of bellecour: sms.scone (https://sms.iex.ec -> http://evil.example)", warning);
    }

    [Fact]
    public void Find_EveryKeyIsCompared_CompassIpfsNodeSubgraphsFlagsAndBridgeIncluded()
    {
        var services = Resolve("""
            {"default":"arb","chains":{"arb":{"id":"42161","compass":"https://compass.evil","pocoSubgraph":"https://graph.evil",
              "voucherSubgraph":"https://vgraph.evil","native":true,"useGas":false,"defaultTeeFramework":"tdx",
              "bridge":{"bridgedChainName":"mainnet","contract":"0x0000000000000000000000000000000000000009"}}}}
            """);
        var otherId = Resolve("""{"default":"bellecour","chains":{"bellecour":{"id":"31337","host":"http://127.0.0.1:8545"}}}""");

        Assert.Equal(
            ["compass", "pocoSubgraph", "voucherSubgraph", "native", "useGas", "defaultTeeFramework", "bridge.bridgedChainName", "bridge.contract"],
            Keys(services));
        Assert.Contains(new ChainOverride("compass", "https://compass.arbitrum-mainnet.iex.ec", "https://compass.evil"), ChainOverride.Find(services));
        Assert.Contains(new ChainOverride("ipfsNode", "https://ipfs-upload.v8-bellecour.iex.ec", "none"), ChainOverride.Find(otherId));
    }

    [Theory]
    [InlineData("ensRegistry")]
    [InlineData("ensPublicResolver")]
    [InlineData("voucherHub")]
    [InlineData("hub")]
    public void Parse_ContractKeyThatIsNoAddress_IsInvalidChainConfig(string key)
    {
        var json = """{"default":"bellecour","chains":{"bellecour":{"KEY":"evil.eth"}}}""".Replace("KEY", key, StringComparison.Ordinal);

        var error = Assert.Throws<IExecSecrets.Core.Errors.IExecException>(() => ChainConfigFile.Parse(json, "/p/chain.json"));

        Assert.Equal(IExecSecrets.Core.Errors.ErrorIds.InvalidChainConfig, error.ErrorId);
        Assert.Contains(key, error.Message);
    }

    // Issue 13, item 5: a chain.json value or name reaches the override warning, errors and Get-IExecChain; one holding
    // an escape sequence (ESC[8m hides the very warning naming the overridden SMS) is refused and never printed.
    [Theory]
    [InlineData("""{"default":"bellecour","chains":{"bellecour":{"host":"https://rpc\u001b[8m.example"}}}""")]
    [InlineData("""{"default":"bellecour","chains":{"bellecour":{"sms":"https://sms.example/\u001b]0;pwned\u0007"}}}""")]
    [InlineData("""{"default":"bellecour","chains":{"bellecour":{"sms":{"scone":"https://sms.example/\u202e"}}}}""")]
    [InlineData("""{"default":"bell\u001b[8mecour","chains":{"bell\u001b[8mecour":{"id":"134"}}}""")]
    [InlineData("""{"default":"bellecour","chains":{"bellecour":{"compass":"https://c.example\r\nWARNING: all good"}}}""")]
    public void Parse_NameOrValueWithTerminalControlCharacters_IsInvalidChainConfigAndNotQuoted(string json)
    {
        var error = Assert.Throws<IExecSecrets.Core.Errors.IExecException>(() => ChainConfigFile.Parse(json, "/p/chain.json"));

        Assert.Equal(IExecSecrets.Core.Errors.ErrorIds.InvalidChainConfig, error.ErrorId);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
        Assert.DoesNotContain("pwned", error.Message);
    }

    [Fact]
    public void Warning_NamesTheEntryAndChangesWithoutUrlSecrets()
    {
        var chain = Resolve("""{"default":"bellecour","chains":{"bellecour":{"host":"https://user:pa55word@rpc.example:8443/v3/apikey123?token=t0k","resultProxy":"not a url/apikey123"}}}""");

        var warning = ChainOverride.Warning(chain, "/p/chain.json")!;

        Assert.Contains("\"bellecour\" entry of /p/chain.json", warning);
        Assert.Contains("host (https://bellecour.iex.ec -> https://rpc.example:8443)", warning);
        Assert.Contains("resultProxy (https://result.v8-bellecour.iex.ec -> (an unparseable URL))", warning);
        foreach (var secret in new[] { "user", "pa55word", "apikey123", "t0k" }) Assert.DoesNotContain(secret, warning);
    }
}
