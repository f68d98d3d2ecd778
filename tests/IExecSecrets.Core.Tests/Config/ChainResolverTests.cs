namespace IExecSecrets.Core.Tests.Config;

public sealed class ChainResolverTests
{
    private static ChainResolver From(string json) => new(ChainConfigFile.Parse(json, "/p/chain.json"));

    [Fact]
    public void Resolve_NoChainJson_UsesTheInitTemplateDefault()
    {
        var chain = new ChainResolver().Resolve();

        Assert.Equal("arbitrum-sepolia-testnet", chain.Name);
        Assert.Equal(421614UL, chain.ChainId);
        Assert.Equal("0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E", chain.Hub.ToString());
        Assert.False(chain.IsNative);
        Assert.Null(chain.GasPriceOverride);
    }

    [Fact]
    public void Resolve_BellecourDefaults_MatchSdk824Constants()
    {
        var chain = new ChainResolver().Resolve("bellecour");

        Assert.Equal(134UL, chain.ChainId);
        Assert.Equal("https://bellecour.iex.ec", chain.Host);
        Assert.Equal("0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f", chain.Hub.ToString());
        Assert.Equal("https://api.market.v8-bellecour.iex.ec", chain.IExecGateway);
        Assert.Equal("https://sms.iex.ec", ChainResolver.ResolveSmsUrl(chain));
        Assert.Equal("https://sms.gramine.v8-bellecour.iex.ec", ChainResolver.ResolveSmsUrl(chain, TeeFramework.Gramine));
        Assert.True(chain.IsNative);
        Assert.Equal(0, chain.GasPriceOverride);
    }

    [Fact]
    public void Resolve_ChainIdInsteadOfName_FindsTheBuiltInAlias()
    {
        var chain = new ChainResolver().Resolve("134");

        Assert.Equal("bellecour", chain.Name);
    }

    [Fact]
    public void Resolve_UnknownName_ThrowsChainNotFoundWithCliMessage()
    {
        var error = Assert.Throws<IExecException>(() => new ChainResolver().Resolve("goerli"));

        Assert.Equal(ErrorIds.ChainNotFound, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal("Missing \"goerli\" chain in \"chain.json\"", error.Message);
    }

    [Fact]
    public void Resolve_DefaultNamesAMissingEntry_ThrowsChainNotFound()
    {
        var error = Assert.Throws<IExecException>(() => From("""{"default":"x","chains":{"bellecour":{}}}""").Resolve());

        Assert.Equal(ErrorIds.ChainNotFound, error.ErrorId);
        Assert.Contains("\"x\"", error.Message);
    }

    [Fact]
    public void ResolveSmsUrl_PartialSmsMap_ReplacesTheWholeDefaultMap()
    {
        var chain = From("""{"default":"bellecour","chains":{"bellecour":{"sms":{"scone":"http://127.0.0.1:5000"}}}}""").Resolve();

        var error = Assert.Throws<IExecException>(() => ChainResolver.ResolveSmsUrl(chain, TeeFramework.Gramine));

        Assert.Equal("http://127.0.0.1:5000", ChainResolver.ResolveSmsUrl(chain));
        Assert.Equal(ErrorIds.MissingSmsUrl, error.ErrorId);
        Assert.Equal("Missing sms for tee framework gramine in \"chain.json\" for chain 134", error.Message);
        // the merge is per key: everything else keeps the bellecour defaults
        Assert.Equal("https://bellecour.iex.ec", chain.Host);
        Assert.Equal("https://result.v8-bellecour.iex.ec", chain.ResultProxy);
    }

    [Fact]
    public void ResolveSmsUrl_SmsString_ServesEveryFramework()
    {
        var chain = From("""{"default":"bellecour","chains":{"bellecour":{"sms":"http://sms.local"}}}""").Resolve();

        Assert.All(Enum.GetValues<TeeFramework>(), framework => Assert.Equal("http://sms.local", ChainResolver.ResolveSmsUrl(chain, framework)));
    }

    [Fact]
    public void ResolveSmsUrl_NoExplicitFramework_UsesDefaultTeeFramework()
    {
        var chain = From("""{"default":"bellecour","chains":{"bellecour":{"defaultTeeFramework":"gramine"}}}""").Resolve();

        Assert.Equal(TeeFramework.Gramine, ChainResolver.ResolveTeeFramework(chain));
        Assert.Equal("https://sms.gramine.v8-bellecour.iex.ec", ChainResolver.ResolveSmsUrl(chain));
        Assert.Equal("https://sms.iex.ec", ChainResolver.ResolveSmsUrl(chain, TeeFramework.Scone));
    }

    [Fact]
    public void ResolveSmsUrl_TdxOnBellecour_ThrowsMissingSmsUrl()
    {
        var error = Assert.Throws<IExecException>(() => ChainResolver.ResolveSmsUrl(new ChainResolver().Resolve("bellecour"), TeeFramework.Tdx));

        Assert.Equal(ErrorIds.MissingSmsUrl, error.ErrorId);
        Assert.Equal("bellecour", error.Target);
    }

    [Fact]
    public void ResolveSmsUrl_MainnetHasNoProtocol_ThrowsMissingSmsUrl()
    {
        var error = Assert.Throws<IExecException>(() => ChainResolver.ResolveSmsUrl(new ChainResolver().Resolve("mainnet")));

        Assert.Equal("Missing sms for tee framework scone in \"chain.json\" for chain 1", error.Message);
    }

    [Fact]
    public void Resolve_DevnetEntryFromDevnetDoc_MergesOverBellecourDefaults()
    {
        const string json = """
            { "default": "bellecour-local", "chains": {
              "bellecour-local": { "id": "134", "host": "http://127.0.0.1:8545", "hub": "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
                "native": true, "useGas": true, "defaultTeeFramework": "scone",
                "sms": { "scone": "http://127.0.0.1:5000", "gramine": "http://127.0.0.1:5000", "tdx": "http://127.0.0.1:5000" },
                "resultProxy": "http://127.0.0.1:5004", "iexecGateway": "http://127.0.0.1:5001",
                "ipfsGateway": "http://127.0.0.1:5002", "pocoSubgraph": "http://127.0.0.1:5003" } } }
            """;

        var chain = From(json).Resolve();

        Assert.Equal("bellecour-local", chain.Name);
        Assert.Equal(134UL, chain.ChainId);
        Assert.Equal("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9", chain.Hub.ToString());
        Assert.Equal("http://127.0.0.1:5000", ChainResolver.ResolveSmsUrl(chain, TeeFramework.Tdx));
        Assert.Equal(0, chain.GasPriceOverride);
        // not set in the entry, so the bellecour default survives the shallow merge
        Assert.Equal("0x5f5B93fca68c9C79318d1F3868A354EE67D8c006", chain.EnsRegistry);
    }

    [Fact]
    public void Resolve_CustomChainWithoutHost_ThrowsMissingRpcHost()
    {
        var error = Assert.Throws<IExecException>(() => From("""{"chains":{"dev":{"id":"31337"}}}""").Resolve("dev"));

        Assert.Equal(ErrorIds.MissingRpcHost, error.ErrorId);
        Assert.Equal("Missing RPC host, no \"host\" key in \"chain.json\" and no default value for chain 31337", error.Message);
    }

    [Fact]
    public void Resolve_CustomChain_HasOnlyWhatTheEntrySays()
    {
        var chain = From("""{"chains":{"dev":{"id":31337,"host":"http://127.0.0.1:8545","useGas":false}}}""").Resolve("dev");

        Assert.Equal(31337UL, chain.ChainId);
        Assert.Null(chain.Hub);
        Assert.Null(chain.Sms);
        Assert.False(chain.IsNative);
        Assert.Equal(0, chain.GasPriceOverride);
    }

    [Fact]
    public void Resolve_CustomChainWithoutId_ThrowsInvalidChainConfig()
    {
        var error = Assert.Throws<IExecException>(() => From("""{"chains":{"dev":{"host":"http://h"}}}""").Resolve("dev"));

        Assert.Equal(ErrorIds.InvalidChainConfig, error.ErrorId);
    }
}
