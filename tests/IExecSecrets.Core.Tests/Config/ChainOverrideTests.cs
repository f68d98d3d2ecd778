using IExecSecrets.Core.Config;
using Xunit;

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
    public void Find_SameValuesRestatedOrAnOwnName_ReportNothing()
    {
        var restated = Resolve("""{"default":"bellecour","chains":{"bellecour":{"id":"134","host":"https://bellecour.iex.ec","hub":"0x3eca1b216a7df1c7689aeb259ffb83adfb894e7f"}}}""");
        var ownName = Resolve("""{"default":"devnet","chains":{"devnet":{"id":"134","host":"http://127.0.0.1:8545","sms":"http://127.0.0.1:5000"}}}""");

        Assert.Empty(ChainOverride.Find(restated));
        Assert.Empty(ChainOverride.Find(ownName));
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
