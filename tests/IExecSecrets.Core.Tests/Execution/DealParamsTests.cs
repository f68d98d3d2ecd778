namespace IExecSecrets.Core.Tests.Execution;

/// <summary>
/// Issue 15: a deal read back names its requester secrets from the params stored on chain. The params are written by
/// whoever signed the request order, so hostile or odd params give no entry and never an error or a control character.
/// </summary>
public sealed class DealParamsTests
{
    [Fact]
    public void ParamsAsTheSdkWritesThem_GiveTheMappingBySlot()
    {
        // The params string the iExec SDK 8.24 builds for --secret 1=x1 --secret 2=y2 (see RequestParamsBuilderTests).
        const string sdk = "{\"iexec_secrets\":{\"2\":\"y2\",\"1\":\"x1\",\"10\":\"z\"},\"iexec_result_storage_provider\":\"ipfs\",\"iexec_result_encryption\":true,\"iexec_args\":\"hello world\"}";

        var mapping = DealParams.RequesterSecrets(sdk);

        Assert.Equal(new KeyValuePair<int, string>[] { new(1, "x1"), new(2, "y2"), new(10, "z") }, mapping);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain app arguments")]
    [InlineData("[1,2]")]
    [InlineData("{\"iexec_secrets\":\"1=x1\"}")]
    [InlineData("{\"iexec_secrets\":[\"x1\"]}")]
    [InlineData("{\"iexec_secrets\":{\"0\":\"x0\",\"-1\":\"y\",\"a\":\"z\",\"1\":5,\"2\":\"\",\"99999999999\":\"big\"}}")]
    [InlineData("{\"iexec_secrets\":{\"1\":\"x1\"")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{}}}}}}}}},\"iexec_secrets\":{\"1\":\"x1\"}}")]
    public void HostileOrOddParams_GiveNoEntry_AndNeverThrow(string? text)
    {
        Assert.Empty(DealParams.RequesterSecrets(text));
    }

    [Fact]
    public void ControlCharactersInANameAreCleaned_AndOversizedParamsAreNotParsed()
    {
        var mapping = DealParams.RequesterSecrets("{\"iexec_secrets\":{\"1\":\"x1\\u001b[2Jgone\"}}");
        var huge = DealParams.RequesterSecrets("{\"iexec_secrets\":{\"1\":\"x1\"},\"pad\":\"" + new string('a', DealParams.MaxLength) + "\"}");

        var name = Assert.Single(mapping).Value;
        Assert.DoesNotContain('\u001b', name);
        Assert.StartsWith("x1", name);
        Assert.Empty(huge);
    }
}
