namespace IExecSecrets.Core.Tests.Config;

public sealed class ChainConfigFileTests
{
    [Theory]
    [InlineData("""{"chains":{"bellecour":{"ipfsNode":"https://x"}}}""", "ipfsNode")]
    [InlineData("""{"chains":{},"extra":1}""", "extra")]
    [InlineData("""{"chains":{"bellecour":{"sms":{"sgx":"https://x"}}}}""", "sgx")]
    [InlineData("""{"chains":{},"providers":{"ankr":"k"}}""", "ankr")]
    public void Parse_UnknownKey_ThrowsInvalidChainConfigNamingTheKey(string json, string key)
    {
        var error = Assert.Throws<IExecException>(() => ChainConfigFile.Parse(json, "/p/chain.json"));

        Assert.Equal(ErrorIds.InvalidChainConfig, error.ErrorId);
        Assert.Contains($"Unknown key \"{key}\"", error.Message);
        Assert.Equal("/p/chain.json", error.Target);
    }

    [Theory]
    [InlineData("{ \"chains\": ")]
    [InlineData("{\"chains\":{},}")]
    [InlineData("[]")]
    public void Parse_MalformedJson_ThrowsInvalidDataWithThePath(string json)
    {
        var error = Assert.Throws<IExecException>(() => ChainConfigFile.Parse(json, "/p/chain.json"));

        Assert.Equal(ErrorIds.InvalidChainConfig, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, error.Category);
        Assert.Equal("/p/chain.json", error.Target);
    }

    [Theory]
    [InlineData("""{"default":"a"}""")]
    [InlineData("""{"chains":{"a":{"host":1}}}""")]
    [InlineData("""{"chains":{"a":{"native":"yes"}}}""")]
    [InlineData("""{"chains":{"a":{"id":"0x86"}}}""")]
    [InlineData("""{"chains":{"a":{"hub":"0x123"}}}""")]
    [InlineData("""{"chains":{"a":{"sms":"not a url"}}}""")]
    [InlineData("""{"chains":{"a":{"defaultTeeFramework":"sgx"}}}""")]
    [InlineData("""{"chains":{"a":{"bridge":{"contract":"0x188A4376a1D818bF2434972Eb34eFd57102a19b7"}}}}""")]
    public void Parse_SchemaViolation_ThrowsInvalidChainConfig(string json)
    {
        var error = Assert.Throws<IExecException>(() => ChainConfigFile.Parse(json));

        Assert.Equal(ErrorIds.InvalidChainConfig, error.ErrorId);
    }

    [Fact]
    public void Parse_AllSdk824Keys_AreAccepted()
    {
        const string json = """
            {"default":"a","allowExperimentalNetworks":false,"providers":{"alchemy":"k","infura":"k","etherscan":"k","quorum":1},
             "chains":{"a":{"id":"134","host":"http://h","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f","ensRegistry":"0x0000000000000000000000000000000000000001",
               "ensPublicResolver":"0x0000000000000000000000000000000000000002","voucherHub":"0x0000000000000000000000000000000000000003","sms":{"scone":"http://s","gramine":"http://g","tdx":"http://t"},
               "resultProxy":"http://r","ipfsGateway":"http://i","iexecGateway":"http://m","compass":"http://c","pocoSubgraph":"http://p",
               "voucherSubgraph":"http://v","native":true,"useGas":false,"defaultTeeFramework":"tdx",
               "bridge":{"bridgedChainName":"mainnet","contract":"0x188A4376a1D818bF2434972Eb34eFd57102a19b7"}}}}
            """;

        var file = ChainConfigFile.Parse(json);

        var entry = Assert.Single(file.Chains);
        Assert.Equal(TeeFramework.Tdx, entry.DefaultTeeFramework);
        Assert.Equal("http://g", entry.Sms!.UrlFor(TeeFramework.Gramine));
        Assert.Equal("mainnet", entry.BridgedChainName);
    }

    [Fact]
    public void Load_NoFile_ReturnsNull()
    {
        var directory = Directory.CreateTempSubdirectory("chain-").FullName;

        Assert.Null(ChainConfigFile.Load(directory));
    }

    [Fact]
    public void Load_FileInDirectory_ReportsItsPathInErrors()
    {
        var directory = Directory.CreateTempSubdirectory("chain-").FullName;
        var path = Path.Combine(directory, "chain.json");
        File.WriteAllText(path, "{oops");

        var error = Assert.Throws<IExecException>(() => ChainConfigFile.Load(directory));

        Assert.Equal(path, error.Target);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Load_SameText_ReusesTheParsedFile_AnEditOfTheSameSizeAtOnceIsReadAgain()
    {
        var directory = Directory.CreateTempSubdirectory("chain-").FullName;
        var path = Path.Combine(directory, ChainConfigFile.FileName);
        File.WriteAllText(path, """{"default":"aaaa","chains":{"aaaa":{"id":"134","host":"http://127.0.0.1:1"}}}""");

        var first = ChainConfigFile.Load(directory);
        var second = ChainConfigFile.Load(directory);
        // Same length, written at once: a size + write-time stamp could miss it, the text does not.
        File.WriteAllText(path, """{"default":"bbbb","chains":{"bbbb":{"id":"134","host":"http://127.0.0.1:1"}}}""");
        var edited = ChainConfigFile.Load(directory);

        Assert.Same(first, second);
        Assert.Equal("aaaa", first!.Default);
        Assert.Equal("bbbb", edited!.Default);
    }

    [Fact]
    public void Load_InvalidFile_FailsEveryTimeUntilFixed_ThenLoads()
    {
        var directory = Directory.CreateTempSubdirectory("chain-").FullName;
        var path = Path.Combine(directory, ChainConfigFile.FileName);
        File.WriteAllText(path, """{"default":"a","chains":{"a":{"id":"134","host":"http://127.0.0.1:1"}}}""");
        Assert.Equal("a", ChainConfigFile.Load(directory)!.Default);

        File.WriteAllText(path, "{ not json");
        Assert.Equal(ErrorIds.InvalidChainConfig, Assert.Throws<IExecException>(() => ChainConfigFile.Load(directory)).ErrorId);
        Assert.Equal(ErrorIds.InvalidChainConfig, Assert.Throws<IExecException>(() => ChainConfigFile.Load(directory)).ErrorId);
        File.Delete(path);
        Assert.Null(ChainConfigFile.Load(directory));
        File.WriteAllText(path, """{"default":"c","chains":{"c":{"id":"134","host":"http://127.0.0.1:1"}}}""");
        Assert.Equal("c", ChainConfigFile.Load(directory)!.Default);
    }
}
