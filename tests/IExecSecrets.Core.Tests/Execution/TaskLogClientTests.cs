using IExecSecrets.Core.Tests.Market;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Core.Tests.Execution;

/// <summary>
/// The task-log login against hostile workerpool APIs: only iexec-core's exact Challenge typed data for this chain is
/// signed; anything else (a PoCo order under the hub's domain, another chain, another domain, extra members) is
/// refused before the wallet signs, and the logs request is never sent.
/// </summary>
public sealed class TaskLogClientTests
{
    private const ulong ChainId = 134;
    internal const string TaskId = "0x1111111111111111111111111111111111111111111111111111111111111111";

    public static TheoryData<string, string> HostileChallenges() => new()
    {
        { "another domain", Challenge(domain: "iExec Gateway") },
        { "another chain", Challenge(chainId: 1) },
        { "another version", Challenge(version: "2") },
        { "a PoCo request order under the hub's domain", RequestOrderTypedData() },
        { "an extra message member", Challenge(extraMember: true) },
        { "a verifying contract in the domain", Challenge(verifyingContract: true) },
        { "another primary type", Challenge(primaryType: "RequestOrder") },
        { "a challenge typed as bytes32", Challenge(challengeType: "bytes32") },
        { "not typed data", "{\"ok\":true}" },
    };

    [Theory]
    [MemberData(nameof(HostileChallenges))]
    public async Task GetLogs_HostileChallenge_IsRefusedBeforeSigningAndNoLogsAreAsked(string why, string challengeJson)
    {
        using var server = new ScriptedHttpServer().Answer(200, challengeJson).Answer(200, "{\"computeLogsList\":[]}");
        using var key = WalletKey.Generate();
        var signer = new CountingSigner(key);
        using var client = new TaskLogClient();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetLogsAsync(server.Url, TaskId, ChainId, signer));

        Assert.True(error.ErrorId == ErrorIds.HostileChallenge, why + ": " + error.Message);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Equal(0, signer.Count);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetLogs_GenuineChallenge_SendsHashSignatureAddressAndReadsEveryReplicate()
    {
        using var server = new ScriptedHttpServer()
            .Answer(200, Challenge(challenge: "nonce-" + Guid.NewGuid().ToString("N")))
            .Answer(200, """{"chainTaskId":"0x11","computeLogsList":[{"walletAddress":"0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65","stdout":"out","stderr":"err"},{"stdout":"o2"}]}""");
        using var key = WalletKey.Generate();
        var signer = new CountingSigner(key);
        using var client = new TaskLogClient();

        var logs = await client.GetLogsAsync(server.Url, TaskId, ChainId, signer);

        Assert.Equal(2, logs.Count);
        Assert.Equal("out", logs[0].StandardOutput);
        Assert.Equal("err", logs[0].StandardError);
        Assert.Equal(EthAddress.Parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"), logs[0].Worker);
        Assert.Null(logs[1].Worker);
        Assert.Equal(1, signer.Count);
        var requests = server.Requests.ToArray();
        Assert.Equal($"GET /tasks/logs/challenge?chainId=134&address={key.Address}", requests[0]);
        Assert.Equal($"GET /tasks/{TaskId}/logs", requests[1]);
    }

    [Fact]
    public void ChallengeDigest_EqualsTheGenericEip712DigestOfTheSameDocument()
    {
        var json = Challenge(challenge: "abc");
        using var document = JsonDocument.Parse(json);
        var parsed = ChallengeTypedData.Parse(document.RootElement, "iExec Core", ChainId, "test");
        var separator = TypedDataHasher.HashStruct(new TypedDataType("EIP712Domain",
            [new TypedDataField("name", "string"), new TypedDataField("version", "string"), new TypedDataField("chainId", "uint256")]), ["iExec Core", "1", new System.Numerics.BigInteger(ChainId)]);
        var message = TypedDataHasher.HashStruct(new TypedDataType("Challenge", [new TypedDataField("challenge", "string")]), ["abc"]);

        Assert.Equal(TypedDataHasher.Digest(separator, message), parsed.Digest());
    }

    // Issue 17, row 1: the redirect now carries a Location to a live target that counts requests (main's had none,
    // so nothing could be followed and the test held whatever the client did).
    [Fact]
    public async Task GetLogs_RedirectIsAnErrorAndNotFollowed()
    {
        using var target = new ScriptedHttpServer().Answer(200, Challenge());
        using var server = new ScriptedHttpServer().Answer(302, "", "text/plain", ("Location", target.Url + "tasks/logs/challenge"));
        using var key = WalletKey.Generate();
        var signer = new CountingSigner(key);
        using var client = new TaskLogClient();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetLogsAsync(server.Url, TaskId, ChainId, signer));

        Assert.Equal(ErrorIds.WorkerpoolApiError, error.ErrorId);
        Assert.Empty(target.Requests);
        Assert.Equal(0, signer.Count);
    }

    // Issue 13, item 7: the iexec-core challenge is not bound to a host, so a plain-http API off loopback (here one that
    // relays everything to the genuine API) would get a signature it can replay. Main signed it when insecure http was
    // allowed; now the login is refused before any request, whatever -AllowInsecureHttp says.
    [Fact]
    public async Task GetLogs_RelayingPlainHttpHost_IsRefusedBeforeAnyRequestEvenWithInsecureHttpAllowed()
    {
        using var genuine = new ScriptedHttpServer().Answer(200, Challenge()).Answer(200, """{"computeLogsList":[{"stdout":"requester's logs"}]}""");
        using var relay = new RelayingHttpHandler(genuine.Url);
        using var http = new HttpClient(relay);
        using var key = WalletKey.Generate();
        var signer = new CountingSigner(key);
        using var client = new TaskLogClient(allowInsecureHttp: true, httpClient: http);

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetLogsAsync(new Uri("http://relay.example/"), TaskId, ChainId, signer));

        Assert.Equal(ErrorIds.InsecureWorkerpoolApiUrl, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains("http://relay.example", error.Message);
        Assert.Empty(relay.Relayed);
        Assert.Empty(genuine.Requests);
        Assert.Equal(0, signer.Count);
    }

    private static ChainProfile ChainWithCompass(Uri compass) => new() { Name = "c", ChainId = ChainId, Host = "http://127.0.0.1:1", Compass = compass.ToString() };

    private static readonly EthAddress Pool = EthAddress.Parse("0x0e7Bc972c99187c191A17f3CaE4A2711a4188c3F");

    // Issue 13, item 7: a pinned workerpool API wins over Compass, and a Compass naming another host is refused with
    // its own id (main had no pin: whatever Compass named was logged in to).
    [Fact]
    public async Task ResolveApi_CompassNamesAnotherHostThanThePin_WorkerpoolApiPinMismatch()
    {
        using var compass = new ScriptedHttpServer().Answer(200, """{"apiUrl":"https://relay.example"}""");
        using var client = new TaskLogClient();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.ResolveWorkerpoolApiAsync(ChainWithCompass(compass.Url), Pool, new Uri("https://core.pool.example/")));

        Assert.Equal(ErrorIds.WorkerpoolApiPinMismatch, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains("https://relay.example", error.Message);
        Assert.Contains("https://core.pool.example", error.Message);
        Assert.Single(compass.Requests);
    }

    [Fact]
    public async Task ResolveApi_CompassAgreesOrCannotAnswer_ThePinIsUsed()
    {
        using var agreeing = new ScriptedHttpServer().Answer(200, """{"apiUrl":"https://CORE.pool.example/"}""");
        using var missing = new ScriptedHttpServer().Answer(404, """{"error":"not found"}""");
        using var client = new TaskLogClient();
        var pin = new Uri("https://core.pool.example");

        Assert.True(TaskLogClient.SameApi(pin, await client.ResolveWorkerpoolApiAsync(ChainWithCompass(agreeing.Url), Pool, pin)));
        Assert.True(TaskLogClient.SameApi(pin, await client.ResolveWorkerpoolApiAsync(ChainWithCompass(missing.Url), Pool, pin)));
        Assert.True(TaskLogClient.SameApi(pin, await client.ResolveWorkerpoolApiAsync(ChainWithCompass(missing.Url) with { Compass = null }, Pool, pin)));
        Assert.False(TaskLogClient.SameApi(pin, new Uri("https://core.pool.example:8443")));
        Assert.False(TaskLogClient.SameApi(pin, new Uri("http://core.pool.example")));
    }

    [Fact]
    public async Task GetLogs_PlainHttpToAnotherMachine_IsRefusedBeforeAnyRequest()
    {
        using var key = WalletKey.Generate();
        using var client = new TaskLogClient();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetLogsAsync(new Uri("http://user:pass@workerpool.example:8080/api?x=1"), TaskId, ChainId, key));

        Assert.Equal(ErrorIds.InsecureWorkerpoolApiUrl, error.ErrorId);
        Assert.DoesNotContain("pass", error.Message);
        Assert.DoesNotContain("/api", error.Message);
    }

    [Fact]
    public async Task ResolveWorkerpoolApi_AsksCompassByChainAndAddress()
    {
        var pool = EthAddress.Parse("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");
        using var api = new ScriptedHttpServer();
        using var compass = new ScriptedHttpServer().Answer(200, $"{{\"apiUrl\":\"{api.Url}\"}}");
        using var client = new TaskLogClient();
        var chain = new Core.Config.ChainProfile { Name = "devnet", ChainId = ChainId, Compass = compass.Url.ToString() };

        var resolved = await client.ResolveWorkerpoolApiAsync(chain, pool);

        Assert.Equal(api.Url.ToString().TrimEnd('/') + "/", resolved.ToString());
        Assert.Equal($"GET /134/workerpools/{pool}", Assert.Single(compass.Requests));
    }

    [Fact]
    public async Task ResolveWorkerpoolApi_NoCompass_FailsWorkerpoolApiNotFound()
    {
        using var client = new TaskLogClient();
        var chain = new Core.Config.ChainProfile { Name = "nocompass", ChainId = ChainId };

        var error = await Assert.ThrowsAsync<IExecException>(() => client.ResolveWorkerpoolApiAsync(chain, EthAddress.Zero));

        Assert.Equal(ErrorIds.WorkerpoolApiNotFound, error.ErrorId);
        Assert.Contains("-WorkerpoolApiUrl", error.RecommendedAction);
    }

    internal static string Challenge(string domain = "iExec Core", ulong chainId = ChainId, string version = "1", bool extraMember = false,
        bool verifyingContract = false, string primaryType = "Challenge", string challengeType = "string", string challenge = "c2VjcmV0")
    {
        var domainType = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"));
        var domainValue = new JsonObject { ["name"] = domain, ["version"] = version, ["chainId"] = chainId };
        if (verifyingContract)
        {
            domainType.Add(Field("verifyingContract", "address"));
            domainValue["verifyingContract"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
        }

        var challengeFields = new JsonArray(Field("challenge", challengeType));
        var message = new JsonObject { ["challenge"] = challengeType == "bytes32" ? "0x" + new string('a', 64) : challenge };
        if (extraMember)
        {
            challengeFields.Add(Field("requester", "address"));
            message["requester"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
        }

        return new JsonObject
        {
            ["types"] = new JsonObject { ["EIP712Domain"] = domainType, ["Challenge"] = challengeFields },
            ["domain"] = domainValue,
            ["primaryType"] = primaryType,
            ["message"] = message,
        }.ToJsonString();
    }

    private static string RequestOrderTypedData() => new JsonObject
    {
        ["types"] = new JsonObject
        {
            ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"), Field("verifyingContract", "address")),
            ["RequestOrder"] = new JsonArray(Field("app", "address"), Field("appmaxprice", "uint256"), Field("requester", "address")),
        },
        ["domain"] = new JsonObject { ["name"] = "iExecODB", ["version"] = "5.0.0", ["chainId"] = ChainId, ["verifyingContract"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9" },
        ["primaryType"] = "RequestOrder",
        ["message"] = new JsonObject { ["app"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9", ["appmaxprice"] = "1000000000", ["requester"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9" },
    }.ToJsonString();

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };
}
