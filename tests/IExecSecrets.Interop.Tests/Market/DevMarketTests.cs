using System.Net;
using IExecSecrets.DevNet.Ipfs;
using IExecSecrets.Interop.Tests.Worker;

namespace IExecSecrets.Interop.Tests.Market;

[Collection(DevNetCollection.Name)]
public sealed class DevMarketTests(DevNetFixture fixture)
{
    private static readonly string[] WorkerpoolFieldOrder =
        ["workerpool", "workerpoolprice", "volume", "tag", "category", "trust", "apprestrict", "datasetrestrict", "requesterrestrict", "salt", "sign"];

    private IExecSecrets.DevNet.DevNetEnvironment Net => fixture.Environment;

    private string Base => Net.Market.Url.ToString().TrimEnd('/');

    private static string Tag(string names) => OrderTag.ToHex(OrderTag.Parse(names, allowTeeWithoutFramework: true));

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string pathAndQuery)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(Base + pathAndQuery);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    // Every write to the market is authenticated: a fresh login challenge signed by `signer` (the resource owner).
    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, JsonObject body, IEthSigner signer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Base + path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("authorization", await AuthorizationAsync(signer));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    internal static async Task<string> AuthorizationAsync(Uri market, IEthSigner signer, ulong chainId = 134)
    {
        using var http = new HttpClient();
        var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(market, $"/challenge?address={signer.Address}&chainId={chainId}")));
        var challenge = MarketChallenge.Validate(answer.RootElement.GetProperty("data"), chainId, market.ToString());
        return MarketChallenge.Authorize(chainId, challenge, signer);
    }

    private Task<string> AuthorizationAsync(IEthSigner signer) => AuthorizationAsync(Net.Market.Url, signer);

    private static JsonObject ToJson(AppOrder order) => new()
    {
        ["app"] = order.App.ToLowerHex(),
        ["appprice"] = (long)order.AppPrice,
        ["volume"] = order.Volume.ToString(),
        ["tag"] = Hex.Encode(order.Tag),
        ["datasetrestrict"] = order.DatasetRestrict.ToString(),
        ["workerpoolrestrict"] = order.WorkerpoolRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(),
        ["salt"] = Hex.Encode(order.Salt),
        ["sign"] = order.Sign,
    };

    [Fact]
    public async Task StartupWorkerpoolOrderIsServedLikeTheMarketWithTagFilters()
    {
        var query = $"/workerpoolorders?chainId=134&workerpool={Net.Workerpool}&category=0&isAppStrict=false&isDatasetStrict=false&isRequesterStrict=false&pageIndex=0&pageSize=20";
        var (status, body) = await GetAsync(query + $"&minTag={Tag("tee,scone")}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["ok"]!.GetValue<bool>());
        var entry = body["orders"]!.AsArray().Single(o => o!["orderHash"]!.GetValue<string>() == Net.WorkerpoolOrderHash)!;
        Assert.Equal(["orderHash", "order", "chainId", "remaining", "status", "publicationTimestamp", "signer"], entry.AsObject().Select(p => p.Key));
        var order = entry["order"]!.AsObject();
        Assert.Equal(WorkerpoolFieldOrder, order.Select(p => p.Key));
        foreach (var numeric in new[] { "workerpoolprice", "volume", "category", "trust" })
            Assert.Equal(JsonValueKind.Number, order[numeric]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, entry["chainId"]!.GetValueKind());
        Assert.Equal(134, entry["chainId"]!.GetValue<int>());
        Assert.Equal("open", entry["status"]!.GetValue<string>());
        Assert.Equal(Net.Accounts[2].Address.ToString(), entry["signer"]!.GetValue<string>());
        Assert.Equal(Tag("tee,scone"), order["tag"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry["publicationTimestamp"]!.GetValue<string>());

        // The published signature is the workerpool owner's, over the hash the market reports.
        var hash = Hex.Decode(entry["orderHash"]!.GetValue<string>());
        Assert.Equal(Net.Accounts[2].Address, Secp256k1.RecoverAddress(hash, Signature.FromBytes(Hex.Decode(order["sign"]!.GetValue<string>()))));
        Assert.Equal(entry["remaining"]!.GetValue<long>(), (long)(order["volume"]!.GetValue<long>() - await new Core.PoCo.PoCoHub(Net.Rpc, Net.Hub).ViewConsumedAsync(hash)));

        // minTag: all its bits must be in the order tag; maxTag: no order bit outside it.
        Assert.Equal(0, (await GetAsync(query + $"&minTag={Tag("tee,gramine")}")).Body["count"]!.GetValue<int>());
        Assert.Equal(0, (await GetAsync(query + $"&maxTag={Tag("tee")}")).Body["count"]!.GetValue<int>());
        Assert.True((await GetAsync(query + $"&maxTag={Tag("tee,scone")}")).Body["count"]!.GetValue<int>() >= 1);
        Assert.Equal(0, (await GetAsync(query.Replace("category=0", "category=1", StringComparison.Ordinal))).Body["count"]!.GetValue<int>());
        // A workerpool order without a requester restriction is offered to any requester, strict or not.
        Assert.True((await GetAsync(query + $"&requester={Net.Accounts[3].Address}&isRequesterStrict=false")).Body["count"]!.GetValue<int>() >= 1);
        Assert.Equal(0, (await GetAsync(query.Replace("isRequesterStrict=false", "isRequesterStrict=true", StringComparison.Ordinal) + $"&requester={Net.Accounts[3].Address}")).Body["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AppOrderbookAppliesRestrictionsStrictnessSortAndPaging()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-test:1.0.0", appSecret: null);
        var domain = harness.Domain;
        var requester = Net.Accounts[3].Address;
        var other = Net.Accounts[6].Address;
        AppOrder Order(int price, EthAddress requesterRestrict = default) => new AppOrder
        {
            App = app, AppPrice = price, Volume = 5, Tag = OrderTag.Parse("tee,scone"), RequesterRestrict = requesterRestrict, Salt = OrderSalt.New(),
        }.SignWith(harness.Developer, domain);

        // 11 public orders with descending prices, one restricted to the requester, one to someone else.
        var publicHashes = new List<(int Price, string Hash)>();
        for (var price = 11; price >= 1; price--)
        {
            var (status, body) = await PostAsync("/apporders?chainId=134", new JsonObject { ["order"] = ToJson(Order(price)) }, harness.Developer);
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            Assert.True(body["ok"]!.GetValue<bool>());
            Assert.Equal(5, body["published"]!["remaining"]!.GetValue<int>());
            publicHashes.Add((price, body["published"]!["orderHash"]!.GetValue<string>()));
        }
        var mine = Order(0, requester);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/apporders", new JsonObject { ["chainId"] = 134, ["order"] = ToJson(mine) }, harness.Developer)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/apporders?chainId=134", new JsonObject { ["order"] = ToJson(Order(0, other)) }, harness.Developer)).Status);

        var baseQuery = $"/apporders?app={app}&chainId=134&isDatasetStrict=false&isWorkerpoolStrict=false&pageSize=10";
        var (_, anonymous) = await GetAsync(baseQuery);
        Assert.Equal(11, anonymous["count"]!.GetValue<int>());
        Assert.Equal(10, anonymous["orders"]!.AsArray().Count);
        Assert.Equal(10, anonymous["nextPage"]!.GetValue<int>());
        var prices = anonymous["orders"]!.AsArray().Select(o => o!["order"]!["appprice"]!.GetValue<int>()).ToArray();
        Assert.Equal(Enumerable.Range(1, 10), prices);
        var (_, secondPage) = await GetAsync(baseQuery + "&pageIndex=1");
        Assert.Null(secondPage["nextPage"]);
        Assert.Equal(publicHashes.Single(p => p.Price == 11).Hash, secondPage["orders"]!.AsArray().Single()!["orderHash"]!.GetValue<string>());

        var (_, forRequester) = await GetAsync(baseQuery + $"&requester={requester}&isRequesterStrict=false");
        Assert.Equal(12, forRequester["count"]!.GetValue<int>());
        Assert.Equal(Hex.Encode(mine.Hash(domain)), forRequester["orders"]![0]!["orderHash"]!.GetValue<string>());
        var (_, strict) = await GetAsync(baseQuery + $"&requester={requester}&isRequesterStrict=true");
        Assert.Equal(Hex.Encode(mine.Hash(domain)), strict["orders"]!.AsArray().Single()!["orderHash"]!.GetValue<string>());
        Assert.Equal(13, (await GetAsync(baseQuery + "&requester=any")).Body["count"]!.GetValue<int>());

        var (oneStatus, one) = await GetAsync($"/apporders/{Hex.Encode(mine.Hash(domain))}?chainId=134");
        Assert.Equal(HttpStatusCode.OK, oneStatus);
        Assert.Equal(requester.ToString(), one["order"]!["requesterrestrict"]!.GetValue<string>());
        Assert.Equal(harness.Developer.Address.ToString(), one["signer"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/apporders/{Hex.Encode(new byte[32])}?chainId=134")).Status);
    }

    [Fact]
    public async Task PublishRefusesBadSignaturesDuplicatesAndBadInputWith400()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-refusals:1.0.0", appSecret: null);
        var order = new AppOrder { App = app, Volume = 1, Salt = OrderSalt.New() };

        async Task<string> Refused(JsonObject body, string path = "/apporders?chainId=134")
        {
            var (status, answer) = await PostAsync(path, body, harness.Developer);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.False(answer["ok"]!.GetValue<bool>());
            return answer["error"]!.GetValue<string>();
        }

        // Signed by an account that does not own the app.
        Assert.Equal("invalid sign", await Refused(new JsonObject { ["order"] = ToJson(order.SignWith(Net.Accounts[5], harness.Domain)) }));
        // Signed by the owner, then altered.
        var tampered = ToJson(order.SignWith(harness.Developer, harness.Domain));
        tampered["volume"] = 2;
        Assert.Equal("invalid sign", await Refused(new JsonObject { ["order"] = tampered }));

        var good = new JsonObject { ["order"] = ToJson(order.SignWith(harness.Developer, harness.Domain)) };
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/apporders?chainId=134", good.DeepClone().AsObject(), harness.Developer)).Status);
        Assert.Equal("order already published", await Refused(good.DeepClone().AsObject()));

        var badAddress = ToJson(order.SignWith(harness.Developer, harness.Domain));
        badAddress["app"] = "0x1234";
        Assert.Equal("invalid apporder: app must be an address", await Refused(new JsonObject { ["order"] = badAddress }));
        Assert.Equal("chainId 1 is not supported", await Refused(good.DeepClone().AsObject(), "/apporders?chainId=1"));
        var notDeployed = new AppOrder { App = Net.Accounts[7].Address, Volume = 1, Salt = OrderSalt.New() }.SignWith(Net.Accounts[7], harness.Domain);
        Assert.Contains("is not deployed", await Refused(new JsonObject { ["order"] = ToJson(notDeployed) }));
    }

    [Theory]
    [InlineData("/apporders?app=0x0000000000000000000000000000000000000001&chainId=134&pageSize=9", "pageSize must be greater than or equal to 10")]
    [InlineData("/apporders?app=0x0000000000000000000000000000000000000001&chainId=134&pageSize=1001", "pageSize must be less than or equal to 1000")]
    [InlineData("/apporders?chainId=134", "app or appOwner is required")]
    [InlineData("/apporders?app=0x01&chainId=134", "app must be a valid address")]
    [InlineData("/workerpoolorders?chainId=134&isAppStrict=abc", "isAppStrict must be a `boolean` type, but the final value was: `\"abc\"`.")]
    [InlineData("/workerpoolorders?minTag=0x03", "chainId is a required field")]
    [InlineData("/workerpoolorders?chainId=134&minTag=0x03", "minTag must be a bytes32 hex string")]
    public async Task BadQueriesAreRefusedWithTheMarketsMessage(string pathAndQuery, string error)
    {
        var (status, body) = await GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(JsonSerializer.Serialize(new { ok = false, error }), body.ToJsonString());
    }

    [Fact]
    public async Task GatewayServesStoredBytesByTheirSha256Cid()
    {
        var content = Encoding.UTF8.GetBytes("devnet blob " + Guid.NewGuid());
        using var http = new HttpClient();
        using var put = await http.PostAsync(new Uri(Net.Ipfs.Url, "/ipfs"), new ByteArrayContent(content));
        put.EnsureSuccessStatusCode();
        var cid = JsonNode.Parse(await put.Content.ReadAsStringAsync())!["Hash"]!.GetValue<string>();
        Assert.Equal(cid, ContentId.Compute(content));
        // The CID decodes to the sha2-256 multihash of the raw bytes.
        var multihash = Core.Apps.MultiaddrCodec.Encode("/ipfs/" + cid)[3..];
        Assert.Equal([0x12, 0x20, .. System.Security.Cryptography.SHA256.HashData(content)], multihash);

        using var get = await http.GetAsync(new Uri(Net.Ipfs.Url, "/ipfs/" + cid));
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        var unknown = ContentId.Compute(Encoding.UTF8.GetBytes("never stored " + Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(Net.Ipfs.Url, "/ipfs/" + unknown))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(Net.Ipfs.Url, "/ipfs/..%2Fsms.db"))).StatusCode);
    }

    [Fact]
    public void ChainJsonPointsTheCliAtTheMarketAndGateway()
    {
        var chain = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!["chains"]!["devnet"]!;
        Assert.Equal(Base, chain["iexecGateway"]!.GetValue<string>());
        Assert.Equal(Net.Ipfs.Url.ToString().TrimEnd('/'), chain["ipfsGateway"]!.GetValue<string>());
    }
}
