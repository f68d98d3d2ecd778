using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Execution;

public sealed class RequestParamsBuilderTests
{
    private static IReadOnlyList<KeyValuePair<int, string>> Secrets(params string[] items) => SecretMapping.ParseItems(items);

    [Fact]
    public void Build_SecretOnTeeTag_MatchesTheSdkVector()
    {
        var built = new RequestParamsBuilder { Secrets = Secrets("1=x1") }.Build(isTee: true, hasCallback: false);

        Assert.Equal(TestVectors.Text("eip712.requestorder.params"), built.Json);
        Assert.Equal("ipfs", built.StorageProvider);
    }

    [Fact]
    public void Build_ArgsSecretsAndEncryption_UsesTheSdkFixedKeyOrder()
    {
        var built = new RequestParamsBuilder { Args = "hello world", Secrets = Secrets("2=y2", "1=x1"), EncryptResult = true }.Build(true, false);

        Assert.Equal("{\"iexec_secrets\":{\"1\":\"x1\",\"2\":\"y2\"},\"iexec_result_storage_provider\":\"ipfs\",\"iexec_result_encryption\":true,\"iexec_args\":\"hello world\"}", built.Json);
        Assert.True(built.EncryptResult);
    }

    [Fact]
    public void Build_Nothing_IsTheStorageDefaultOnly()
    {
        Assert.Equal("{\"iexec_result_storage_provider\":\"ipfs\"}", new RequestParamsBuilder().Build(false, false).Json);
    }

    [Fact]
    public void Build_WithCallback_AddsNoStorageDefault()
    {
        Assert.Equal("{}", new RequestParamsBuilder().Build(false, hasCallback: true).Json);
    }

    [Fact]
    public void Build_NonJsonParams_BecomesArgs()
    {
        var built = new RequestParamsBuilder { RawParams = "21 --verbose" }.Build(false, false);

        Assert.Equal("{\"iexec_result_storage_provider\":\"ipfs\",\"iexec_args\":\"21 --verbose\"}", built.Json);
    }

    [Fact]
    public void Build_ValidParamsNeedingNoChange_KeepTheCallersKeyOrder()
    {
        const string raw = "{\"iexec_args\":\"a\",\"iexec_result_storage_provider\":\"ipfs\"}";

        Assert.Equal(raw, new RequestParamsBuilder { RawParams = raw }.Build(false, false).Json);
    }

    [Fact]
    public void Build_UnknownKey_IsDroppedAndTheFixedOrderApplies()
    {
        var built = new RequestParamsBuilder { RawParams = "{\"iexec_args\":\"a\",\"foo\":1,\"iexec_result_storage_provider\":\"ipfs\"}" }.Build(false, false);

        Assert.Equal("{\"iexec_result_storage_provider\":\"ipfs\",\"iexec_args\":\"a\"}", built.Json);
    }

    [Fact]
    public void Build_SecretSlots_SerialiseInAscendingNumericOrder()
    {
        var built = new RequestParamsBuilder { Secrets = Secrets("10=b", "2=a") }.Build(true, false);

        Assert.StartsWith("{\"iexec_secrets\":{\"2\":\"a\",\"10\":\"b\"}", built.Json);
    }

    [Fact]
    public void Build_Strings_AreEscapedLikeJsonStringify()
    {
        var built = new RequestParamsBuilder { Args = "é \"q\" \\ \n \u0001 \u2028 😀" }.Build(false, false);

        Assert.EndsWith("\"iexec_args\":\"é \\\"q\\\" \\\\ \\n \\u0001 \u2028 😀\"}", built.Json);
    }

    [Fact]
    public void Build_SecretsWithoutTee_FailsSecretsRequireTeeTag()
    {
        var error = Assert.Throws<IExecException>(() => new RequestParamsBuilder { Secrets = Secrets("1=x1") }.Build(isTee: false, false));

        Assert.Equal(ErrorIds.SecretsRequireTeeTag, error.ErrorId);
        Assert.Equal("iexec_secrets is not supported for non TEE tasks", error.Message);
    }

    [Theory]
    [InlineData("foo", true, "iexec_result_storage_provider \"foo\" is not a valid storage provider, use one of the supported providers (ipfs, dropbox)")]
    [InlineData("dropbox", false, "iexec_result_storage_provider \"dropbox\" is not supported for non TEE tasks use supported storage provider ipfs")]
    public void Build_BadStorageProvider_FailsWithTheSdkMessage(string provider, bool isTee, string message)
    {
        var error = Assert.Throws<IExecException>(() => new RequestParamsBuilder { StorageProvider = provider }.Build(isTee, false));

        Assert.Equal(ErrorIds.InvalidStorageProvider, error.ErrorId);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Build_NonHttpInputFile_FailsWithItsIndex()
    {
        var error = Assert.Throws<IExecException>(() => new RequestParamsBuilder { InputFiles = ["https://a.example/x", "ftp://x"] }.Build(false, false));

        Assert.Equal(ErrorIds.InvalidInputFile, error.ErrorId);
        Assert.Equal("[1] \"ftp://x\" is not a valid URL", error.Message);
    }

    [Fact]
    public void Build_SecretsInRawParams_AreValidatedLikeTheMapping()
    {
        var error = Assert.Throws<IExecException>(() => new RequestParamsBuilder { RawParams = "{\"iexec_secrets\":{\"01\":\"x\"}}" }.Build(true, false));

        Assert.Equal(ErrorIds.InvalidSecretMappingKey, error.ErrorId);
    }
}
