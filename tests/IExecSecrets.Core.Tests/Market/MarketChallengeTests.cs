using IExecSecrets.Core.Market;
using IExecSecrets.Core.Tests.Chain;

namespace IExecSecrets.Core.Tests.Market;

/// <summary>
/// The wallet signs only iexec-market-api's login challenge. A market (or anyone in front of it) that sends other
/// typed data as a "challenge" gets InvalidMarketChallenge and no signature, and the order is not posted.
/// </summary>
public sealed class MarketChallengeTests
{
    private const string DeveloperKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private const string Text = "Sign this message to log into iExec Gateway: AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static readonly EthAddress Hub = EthAddress.Parse("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9");

    private static JsonObject Genuine(JsonNode? chainId = null) => new()
    {
        ["types"] = new JsonObject
        {
            ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256")),
            ["Challenge"] = new JsonArray(Field("challenge", "string")),
        },
        ["domain"] = new JsonObject { ["name"] = "iExec Gateway", ["version"] = "1", ["chainId"] = chainId ?? "134" },
        ["primaryType"] = "Challenge",
        ["message"] = new JsonObject { ["challenge"] = Text },
    };

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static JsonObject RequestOrderUnderTheHubDomain()
    {
        var fields = new JsonArray();
        foreach (var field in RequestOrder.Eip712Type.Fields) fields.Add(Field(field.Name, field.Type));
        var message = new JsonObject();
        foreach (var field in RequestOrder.Eip712Type.Fields)
        {
            message[field.Name] = field.Type switch
            {
                "address" => "0x1111111111111111111111111111111111111111",
                "bytes32" => Hex.Encode(new byte[32]),
                "string" => "{}",
                _ => "1000",
            };
        }
        return new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"), Field("verifyingContract", "address")),
                ["RequestOrder"] = fields,
            },
            ["domain"] = new JsonObject { ["name"] = "iExecODB", ["version"] = "5.0.0", ["chainId"] = "134", ["verifyingContract"] = Hub.ToString() },
            ["primaryType"] = "RequestOrder",
            ["message"] = message,
        };
    }

    public static TheoryData<string, string> Hostile()
    {
        JsonObject Edit(Action<JsonObject> edit)
        {
            var data = Genuine();
            edit(data);
            return data;
        }
        return new TheoryData<string, string>
        {
            { RequestOrderUnderTheHubDomain().ToJsonString(), "types has unexpected member(s) RequestOrder" },
            { Edit(d => d["domain"]!["name"] = "iExecODB").ToJsonString(), "its domain name is not \"iExec Gateway\"" },
            { Edit(d => d["domain"]!["version"] = "2").ToJsonString(), "its domain version is not \"1\"" },
            { Edit(d => d["domain"]!["chainId"] = "1").ToJsonString(), "its domain chainId is 1, not 134" },
            { Edit(d => d["domain"]!["chainId"] = 42161).ToJsonString(), "its domain chainId is 42161, not 134" },
            { Edit(d => ((JsonArray)d["types"]!["Challenge"]!).Add(Field("amount", "uint256"))).ToJsonString(), "types.Challenge is not [string challenge]" },
            { Edit(d => { ((JsonArray)d["types"]!["EIP712Domain"]!).Add(Field("verifyingContract", "address")); d["domain"]!["verifyingContract"] = Hub.ToString(); }).ToJsonString(), "types.EIP712Domain is not" },
            { Edit(d => d["domain"]!["salt"] = Hex.Encode(new byte[32])).ToJsonString(), "domain has unexpected member(s) salt" },
            { Edit(d => d["primaryType"] = "Mail").ToJsonString(), "its primaryType is not Challenge" },
            { Edit(d => d["types"]!["Mail"] = new JsonArray(Field("contents", "string"))).ToJsonString(), "types has unexpected member(s) Mail" },
            { Edit(d => d["message"]!["amount"] = "1").ToJsonString(), "message has unexpected member(s) amount" },
            { Edit(d => d["message"]!["challenge"] = 7).ToJsonString(), "its challenge is not a string" },
            { Edit(d => d["message"]!["challenge"] = new string('a', 2000)).ToJsonString(), "its challenge is not a string of 1 to 1024 characters" },
            { Edit(d => d["types"]!["Challenge"] = new JsonArray(Field("challenge", "bytes32"))).ToJsonString(), "types.Challenge is not [string challenge]" },
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Publish_HostileChallenge_IsRefusedBeforeSigningAndNothingIsPosted(string data, string why)
    {
        using var server = new ScriptedHttpServer().Answer(200, "{\"ok\":true,\"data\":" + data + "}");
        using var market = new MarketClient(server.Url);
        var signer = new TestKeySigner(DeveloperKey);
        var order = new AppOrder { App = EthAddress.Parse("0x750ad9dD81E57229c9a2ef4094Fc609f7f4a8F92"), Volume = 1, Salt = new byte[32], Sign = "0x" + new string('1', 130) };

        var error = await Assert.ThrowsAsync<IExecException>(() => market.PublishAppOrderAsync(order, 134, signer, Hex.Encode(new byte[32])));

        Assert.Equal(ErrorIds.InvalidMarketChallenge, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains(why, error.Message);
        Assert.EndsWith("it was not signed.", error.Message);
        Assert.Equal(0, signer.SignatureCount);
        Assert.Equal(new[] { "GET /challenge?address=" + signer.Address + "&chainId=134" }, server.Requests);
    }

    [Fact]
    public async Task Publish_AnswerWithoutData_IsRefusedBeforeSigning()
    {
        using var server = new ScriptedHttpServer().Answer(200, "{\"ok\":true," + Genuine().ToJsonString()[1..]);
        using var market = new MarketClient(server.Url);
        var signer = new TestKeySigner(DeveloperKey);

        var error = await Assert.ThrowsAsync<IExecException>(() => market.AuthorizeAsync(134, signer));

        Assert.Equal(ErrorIds.InvalidMarketChallenge, error.ErrorId);
        Assert.Equal(0, signer.SignatureCount);
    }

    [Theory]
    [InlineData("\"134\"")]
    [InlineData("134")]
    public async Task Publish_GenuineChallenge_PostsTheOrderWithHashSignatureAddress(string chainId)
    {
        var data = Genuine(JsonNode.Parse(chainId));
        using var server = new ScriptedHttpServer()
            .Answer(200, "{\"ok\":true,\"data\":" + data.ToJsonString() + "}")
            .Answer(200, "{\"ok\":true,\"published\":{\"orderHash\":\"0x" + new string('a', 64) + "\"}}");
        using var market = new MarketClient(server.Url);
        var signer = new TestKeySigner(DeveloperKey);
        var order = new AppOrder { App = EthAddress.Parse("0x750ad9dD81E57229c9a2ef4094Fc609f7f4a8F92"), Volume = 1, Salt = new byte[32], Sign = "0x" + new string('1', 130) };

        var hash = await market.PublishAppOrderAsync(order, 134, signer, Hex.Encode(new byte[32]));

        Assert.Equal("0x" + new string('a', 64), hash);
        Assert.Equal(1, signer.SignatureCount);
        Assert.Equal("POST /apporders?chainId=134", server.Requests.Last());
        var parts = server.AuthorizationHeaders.Last().Split('_');
        Assert.Equal(3, parts.Length);
        Assert.Equal(Hex.Encode(MarketChallenge.Hash(134, Text)), parts[0]);
        Assert.Equal(signer.Address.ToString(), parts[2]);
        Assert.Equal(signer.Address, Secp256k1.RecoverAddress(Hex.Decode(parts[0]), Signature.FromBytes(Hex.Decode(parts[1]))));
        Assert.Equal(Text, MarketChallenge.Validate(JsonDocument.Parse(data.ToJsonString()).RootElement, 134, "m"));
    }

    [Fact]
    public async Task Publish_MarketRefusesTheAuthorization_FailsMarketAuthorizationRefused()
    {
        using var server = new ScriptedHttpServer()
            .Answer(200, "{\"ok\":true,\"data\":" + Genuine().ToJsonString() + "}")
            .Answer(403, "{\"ok\":false,\"error\":\"invalid authorization\"}");
        using var market = new MarketClient(server.Url);
        var order = new AppOrder { App = EthAddress.Parse("0x750ad9dD81E57229c9a2ef4094Fc609f7f4a8F92"), Volume = 1, Salt = new byte[32], Sign = "0x" + new string('1', 130) };

        var error = await Assert.ThrowsAsync<IExecException>(() => market.PublishAppOrderAsync(order, 134, new TestKeySigner(DeveloperKey), Hex.Encode(new byte[32])));

        Assert.Equal(ErrorIds.MarketAuthorizationRefused, error.ErrorId);
        Assert.Equal(IExecErrorCategory.AuthenticationError, error.Category);
    }

    [Fact]
    public void Hash_IsTheEip712DigestOfTheMarketsTypedData()
    {
        // keccak256(0x1901 ‖ hashStruct(EIP712Domain{name,version,chainId}) ‖ hashStruct(Challenge{challenge})), spelled out.
        var domainTypeHash = Keccak256.HashUtf8("EIP712Domain(string name,string version,uint256 chainId)");
        var domain = Keccak256.Hash([.. domainTypeHash, .. Keccak256.HashUtf8("iExec Gateway"), .. Keccak256.HashUtf8("1"), .. new byte[31], 134]);
        var challenge = Keccak256.Hash([.. Keccak256.HashUtf8("Challenge(string challenge)"), .. Keccak256.HashUtf8(Text)]);

        Assert.Equal(Hex.Encode(Keccak256.Hash([0x19, 0x01, .. domain, .. challenge])), Hex.Encode(MarketChallenge.Hash(134, Text)));
    }
}
