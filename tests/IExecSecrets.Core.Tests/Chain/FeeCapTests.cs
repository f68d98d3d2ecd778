namespace IExecSecrets.Core.Tests.Chain;

/// <summary>
/// Where a transaction's fee cap comes from and how it is written: -MaxFeePerGas, then the saved default, then
/// chain.json's maxFeePerGas, then the built-in cap of the chain id; amounts in wei, gwei or ether.
/// </summary>
public sealed class FeeCapTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fee-cap-").FullName;

    [Theory]
    [InlineData("2000000000", "2000000000")]
    [InlineData("2 gwei", "2000000000")]
    [InlineData("0.5gwei", "500000000")]
    [InlineData(" 1.000000001 GWEI ", "1000000001")]
    [InlineData("0.001 ether", "1000000000000000")]
    [InlineData("12 wei", "12")]
    [InlineData("0", "0")]
    public void ParseWei_ReadsWholeAmountsOfWei(string text, string wei) =>
        Assert.Equal(BigInteger.Parse(wei), FeeCap.ParseWei(text, "-MaxFeePerGas"));

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5")] // a fraction of a wei
    [InlineData("0.0000000001 gwei")]
    [InlineData("2 gwei gwei")]
    [InlineData("1e9")]
    [InlineData("0x3b9aca00")]
    [InlineData("1.")]
    [InlineData("two gwei")]
    public void ParseWei_AnythingElse_IsInvalidFeeCapBeforeAnythingElse(string text)
    {
        var error = Assert.Throws<IExecException>(() => FeeCap.ParseWei(text, "-MaxFeePerGas"));
        Assert.Equal(ErrorIds.InvalidFeeCap, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void DefaultFor_BuiltInChains_ZeroOnBellecour_RealCapsOnArbitrum()
    {
        Assert.Equal(BigInteger.Zero, FeeCap.DefaultFor(134));
        Assert.Equal(FeeCap.Gwei, FeeCap.DefaultFor(42161));
        Assert.Equal(10 * FeeCap.Gwei, FeeCap.DefaultFor(421614));
        Assert.Equal(100 * FeeCap.Gwei, FeeCap.DefaultFor(1));
        Assert.Equal(100 * FeeCap.Gwei, FeeCap.DefaultFor(65535));
    }

    [Fact]
    public void Resolve_ParameterThenSavedThenChainJsonThenBuiltIn()
    {
        var arbitrum = Resolve("""{"default":"a","chains":{"a":{"id":"42161","maxFeePerGas":"0.2 gwei"}}}""", "a");
        var plain = Resolve("""{"default":"a","chains":{"a":{"id":"42161"}}}""", "a");

        Assert.Equal((200_000_000, "maxFeePerGas of \"a\" in chain.json"), Pair(FeeCap.Resolve(arbitrum)));
        Assert.Equal((3_000_000_000, "the saved default MaxFeePerGas"), Pair(FeeCap.Resolve(arbitrum, null, "3000000000")));
        Assert.Equal((5_000_000_000, "-MaxFeePerGas"), Pair(FeeCap.Resolve(arbitrum, "5 gwei", "3000000000")));
        Assert.Equal((1_000_000_000, "the built-in cap of chain 42161"), Pair(FeeCap.Resolve(plain)));
        Assert.Null(FeeCap.Resolve(arbitrum).Warning); // lowering the cap needs no warning
    }

    [Fact]
    public void Resolve_ChainJsonRaisesABuiltInChainsCap_IsAWarning()
    {
        var raised = Resolve("""{"default":"mine","chains":{"mine":{"id":"42161","maxFeePerGas":"50 gwei"}}}""", "mine");

        var cap = FeeCap.Resolve(raised);

        Assert.Equal(50 * FeeCap.Gwei, cap.MaxFeePerGas);
        Assert.Equal("chain.json raises the fee cap of chain 42161 (arbitrum-mainnet) from 1 gwei to 50 gwei per gas; a transaction may cost that much if the RPC node asks for it.", cap.Warning);
    }

    [Fact]
    public void ChainJson_BadMaxFeePerGas_IsInvalidChainConfig()
    {
        File.WriteAllText(Path.Combine(_folder, "chain.json"), """{"default":"a","chains":{"a":{"id":"42161","maxFeePerGas":"lots"}}}""");

        var error = Assert.Throws<IExecException>(() => ChainResolver.FromDirectory(_folder).Resolve("a"));

        Assert.Equal(ErrorIds.InvalidChainConfig, error.ErrorId);
        Assert.Contains("chains.a.maxFeePerGas", error.Message);
    }

    [Fact]
    public void DescribeWorstCase_IsGasTimesCapInTheChainsCurrency_AndZeroWhereGasIsFree()
    {
        var arbitrum = Resolve("""{"default":"a","chains":{"a":{"id":"42161"}}}""", "a");
        var bellecour = Resolve("""{"default":"b","chains":{"b":{"id":"134"}}}""", "b");

        Assert.Equal("at most 0.00105 ETH in fees (1050000 gas at 1 gwei, cap from -MaxFeePerGas)",
            new FeeCap(FeeCap.Gwei, "-MaxFeePerGas").DescribeWorstCase(1_050_000, arbitrum));
        Assert.Equal("at most 0 xRLC in fees (1050000 gas at 0 wei, cap from -MaxFeePerGas)",
            new FeeCap(FeeCap.Gwei, "-MaxFeePerGas").DescribeWorstCase(1_050_000, bellecour));
    }

    [Fact]
    public void SavedDefault_MaxFeePerGas_IsSavedAsWholeWei_AndABadValueIsRefused()
    {
        Assert.Equal("500000000", SavedDefaults.Validate("maxfeepergas", "0.5 gwei"));
        var error = Assert.Throws<IExecException>(() => SavedDefaults.Validate("MaxFeePerGas", "cheap"));
        Assert.Equal(ErrorIds.InvalidConfigurationValue, error.ErrorId);
    }

    private ChainProfile Resolve(string json, string name)
    {
        File.WriteAllText(Path.Combine(_folder, "chain.json"), json);
        return ChainResolver.FromDirectory(_folder).Resolve(name);
    }

    private static (long, string) Pair(FeeCap cap) => ((long)cap.MaxFeePerGas, cap.Source);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
