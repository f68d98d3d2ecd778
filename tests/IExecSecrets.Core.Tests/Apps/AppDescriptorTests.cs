using IExecSecrets.Core.Apps;

namespace IExecSecrets.Core.Tests.Apps;

public sealed class AppDescriptorTests
{
    // iexec-test-vectors.json createApp: the SCONE template of `iexec app init` with owner = the test key's address,
    // encoded by SDK 8.24.0's own createApp path.
    private const string CreateAppCalldataVector =
        "0x3f7868ff000000000000000000000000fcad0b19bb29d4674531d6f115237e16afce377c00000000000000000000000000000000000000000000000000000000000000c00000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000014015de77fd7ac448028884256b3ab376e7d4560e9ef6acf0594ea0b3c031d5d39500000000000000000000000000000000000000000000000000000000000001c0000000000000000000000000000000000000000000000000000000000000001168656c6c6f2d776f726c642d73636f6e650000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006444f434b455200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000048646f636b65722e696f2f69657865636875622f707974686f6e2d68656c6c6f2d776f726c643a382e302e302d73636f6e6966792d352e392e312d7631352d70726f64756374696f6e00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000af7b226672616d65776f726b223a2253434f4e45222c2276657273696f6e223a2276352e39222c22656e747279706f696e74223a22707974686f6e202f6170702f6170702e7079222c226865617053697a65223a313037333734313832342c2266696e6765727072696e74223a2232643462396566643036366430626230353862386461373962663835353162653764323434373739626334316430336131323230316134303034373739363039227d0000000000000000000000000000000000";

    private static readonly EthAddress TestOwner = EthAddress.Parse("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");

    private static JsonObject SconeTemplate() => ProjectFiles.AppTemplate(TeeFramework.Scone, TestOwner);

    [Fact]
    public void FromJson_SconeTemplate_EncodesTheSdkCreateAppCalldata()
    {
        var app = AppDescriptor.FromJson(SconeTemplate());

        var calldata = AppRegistry.EncodeCreateApp(app.ToDefinition());

        Assert.Equal(CreateAppCalldataVector, Hex.Encode(calldata));
        Assert.Equal(TeeFramework.Scone, app.Framework);
    }

    [Fact]
    public void FromJson_MrEnclaveObject_IsCompactJsonInFileKeyOrder()
    {
        var json = SconeTemplate();
        json["mrenclave"] = JsonNode.Parse("""{ "fingerprint": "ab", "heapSize": 1, "entrypoint": "e", "version": "v", "framework": "scone" }""");

        var app = AppDescriptor.FromJson(json);

        Assert.Equal("""{"fingerprint":"ab","heapSize":1,"entrypoint":"e","version":"v","framework":"scone"}""", Encoding.UTF8.GetString(app.MrEnclave));
    }

    [Fact]
    public void FromJson_MrEnclaveString_IsSentAsWritten()
    {
        var json = SconeTemplate();
        const string text = """{"framework":"GRAMINE", "version":"v0","fingerprint":"c8"}""";
        json["mrenclave"] = text;

        var app = AppDescriptor.FromJson(json);

        Assert.Equal(text, Encoding.UTF8.GetString(app.MrEnclave));
        Assert.Equal(TeeFramework.Gramine, app.Framework);
    }

    [Fact]
    public void FromJson_NoMrEnclave_SendsEmptyBytes()
    {
        var app = AppDescriptor.FromJson(ProjectFiles.AppTemplate(TeeFramework.Tdx, TestOwner));

        Assert.Empty(app.MrEnclave);
        Assert.Null(app.Framework);
        Assert.Equal(Encoding.UTF8.GetBytes("iexechub/python-hello-world:8.0.4"), app.Multiaddr);
    }

    [Fact]
    public void FromJson_LowerCaseOwner_IsNormalised()
    {
        var json = SconeTemplate();
        json["owner"] = "0xfcad0b19bb29d4674531d6f115237e16afce377c";

        Assert.Equal(TestOwner, AppDescriptor.FromJson(json).Owner);
    }

    [Theory]
    [InlineData("type", "\"docker\"", "docker is not a valid type")]
    [InlineData("owner", "\"0x12\"", "0x12 is not a valid ethereum address")]
    [InlineData("checksum", "\"0x1234\"", "0x1234 is not a bytes32 hexstring")]
    [InlineData("name", "\"\"", "name is a required field")]
    [InlineData("mrenclave", "\"not json\"", "mrenclave is not a valid mrenclave")]
    [InlineData("mrenclave", """{"framework":"SCONE","version":"v5","entrypoint":"e","fingerprint":"f"}""", "heapSize is a required field")]
    [InlineData("mrenclave", """{"framework":"SCONE","version":"v5","heapSize":1,"fingerprint":"f"}""", "entrypoint is a required field")]
    [InlineData("mrenclave", """{"framework":"GRAMINE","version":"v0","heapSize":1,"fingerprint":"f"}""", "Unknown key \"heapSize\" in mrenclave")]
    [InlineData("mrenclave", """{"framework":"SGX","version":"v0","fingerprint":"f"}""", "framework is not a valid TEE framework")]
    [InlineData("mrenclave", """{"framework":"TDX","version":"v0","fingerprint":"f","extra":1}""", "Unknown key \"extra\" in mrenclave")]
    [InlineData("mrenclave", """{"framework":"TDX","fingerprint":"f"}""", "version is a required field")]
    public void FromJson_InvalidField_ThrowsInvalidAppDefinitionWithSdkMessage(string key, string valueJson, string message)
    {
        var json = SconeTemplate();
        json[key] = JsonNode.Parse(valueJson);

        var error = Assert.Throws<IExecException>(() => AppDescriptor.FromJson(json));

        Assert.Equal(ErrorIds.InvalidAppDefinition, error.ErrorId);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void FromJson_MissingMultiaddr_ThrowsInvalidAppDefinition()
    {
        var json = SconeTemplate();
        json.Remove("multiaddr");

        var error = Assert.Throws<IExecException>(() => AppDescriptor.FromJson(json));

        Assert.Equal("multiaddr is a required field", error.Message);
    }

    [Fact]
    public void Create_Parameters_MatchTheJsonPath()
    {
        var fromJson = AppDescriptor.FromJson(SconeTemplate());

        var fromParameters = AppDescriptor.Create(
            TestOwner.ToString(), "hello-world-scone", "DOCKER",
            "docker.io/iexechub/python-hello-world:8.0.0-sconify-5.9.1-v15-production",
            "0x15DE77FD7AC448028884256B3AB376E7D4560E9EF6ACF0594EA0B3C031D5D395",
            fromJson.MrEnclaveText);

        Assert.Equal(CreateAppCalldataVector, Hex.Encode(AppRegistry.EncodeCreateApp(fromParameters.ToDefinition())));
    }
}
