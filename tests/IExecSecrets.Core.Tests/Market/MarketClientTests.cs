using IExecSecrets.Core.Market;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Market;

public sealed class MarketClientTests
{
    private static readonly EthAddress Requester = EthAddress.Parse("0xfcad0b19bb29d4674531d6f115237e16afce377c");
    private static readonly EthAddress App = EthAddress.Parse("0x1111111111111111111111111111111111111111");
    private static readonly EthAddress Pool = EthAddress.Parse("0x3333333333333333333333333333333333333333");

    private const string WorkerpoolAnswer = """
        {"ok":true,"count":21,"nextPage":20,"orders":[{"orderHash":"0x3888000000000000000000000000000000000000000000000000000000009fda",
         "order":{"workerpool":"0xCdb8000000000000000000000000000000002e92","workerpoolprice":5,"volume":100,
         "tag":"0x0000000000000000000000000000000000000000000000000000000000000003","category":2,"trust":0,
         "apprestrict":"0x0000000000000000000000000000000000000000","datasetrestrict":"0x0000000000000000000000000000000000000000",
         "requesterrestrict":"0x0000000000000000000000000000000000000000","salt":"0xc55e00000000000000000000000000000000000000000000000000000000c897",
         "sign":"0xeb840000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a6ed1b"},
         "chainId":134,"remaining":99,"status":"open","signer":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC","publicationTimestamp":"2026-11-23T23:15:42.261Z"}]}
        """;

    [Fact]
    public void AppOrdersPath_IsTheSdkQueryByteForByte()
    {
        var tag = OrderTag.Parse("tee,scone");

        var path = MarketClient.AppOrdersPath(new AppOrderQuery { App = App, ChainId = 134, Requester = Requester, Workerpool = Pool, MinTag = tag, MaxTag = tag });

        Assert.Equal(TestVectors.Text("marketQueryExamples.apporders"), "GET /" + path);
    }

    [Fact]
    public void WorkerpoolOrdersPath_IsTheSdkQueryByteForByte()
    {
        var path = MarketClient.WorkerpoolOrdersPath(new WorkerpoolOrderQuery
        {
            ChainId = 134, App = App, Category = 0, Requester = Requester, Workerpool = Pool, MinTag = OrderTag.Parse("tee,scone"),
        });

        Assert.Equal(TestVectors.Text("marketQueryExamples.workerpoolorders"), "GET /" + path);
    }

    [Fact]
    public void WorkerpoolOrdersPath_SendsMinTrustOnlyAboveZero()
    {
        Assert.DoesNotContain("minTrust", MarketClient.WorkerpoolOrdersPath(new WorkerpoolOrderQuery { ChainId = 134 }));
        Assert.Contains("&minTrust=3&", MarketClient.WorkerpoolOrdersPath(new WorkerpoolOrderQuery { ChainId = 134, MinTrust = 3 }));
    }

    [Fact]
    public async Task GetWorkerpoolOrders_ParsesNumbersPagingAndTheSignedOrder()
    {
        using var server = new ScriptedHttpServer().Answer(200, WorkerpoolAnswer);
        using var market = new MarketClient(server.Url);

        var page = await market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery { ChainId = 134, Category = 2 });

        Assert.Equal(21, page.Count);
        Assert.Equal(20, page.NextPage);
        var order = Assert.Single(page.Orders);
        Assert.Equal(5, order.Order.WorkerpoolPrice);
        Assert.Equal(2, order.Order.Category);
        Assert.Equal(99, order.Remaining);
        Assert.Equal(EthAddress.Parse("0xCdb8000000000000000000000000000000002e92"), order.Order.Workerpool);
        Assert.Equal("application/json", Assert.Single(server.AcceptHeaders));
        Assert.StartsWith("GET /workerpoolorders?category=2&chainId=134&", Assert.Single(server.Requests));
    }

    [Theory]
    [InlineData("workerpool", "\"0x1111111111111111111111111111111111111111111111111111111111111111\"", "its 'workerpool' is not an address")]
    [InlineData("volume", "-1", "its 'volume' is not an integer from 0 to 2^256-1")]
    [InlineData("volume", "\"115792089237316195423570985008687907853269984665640564039457584007913129639939\"", "its 'volume' is not an integer from 0 to 2^256-1")]
    [InlineData("workerpoolprice", "1.5", "its 'workerpoolprice' is not an integer from 0 to 2^256-1")]
    [InlineData("category", "1e3", "its 'category' is not an integer from 0 to 2^256-1")]
    [InlineData("tag", "\"0x03\"", "its 'tag' is not a bytes32 hex string")]
    public async Task GetWorkerpoolOrders_AMalformedEntry_IsSetAsideWithItsReasonAndTheNextEntryIsRead(string field, string json, string reason)
    {
        // Two copies of the honest entry, the first broken in one field: one bad entry must not hide the next one.
        var entry = WorkerpoolAnswer[(WorkerpoolAnswer.IndexOf("[", StringComparison.Ordinal) + 1)..WorkerpoolAnswer.LastIndexOf("]", StringComparison.Ordinal)];
        var node = System.Text.Json.Nodes.JsonNode.Parse(entry)!;
        node["order"]![field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        var answer = "{\"ok\":true,\"count\":2,\"orders\":[" + node.ToJsonString() + "," + entry + "]}";
        using var server = new ScriptedHttpServer().Answer(200, answer);
        using var market = new MarketClient(server.Url);

        var page = await market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery { ChainId = 134 });

        var malformed = Assert.Single(page.Malformed);
        Assert.Equal(reason, malformed.Reason);
        Assert.Equal("0x3888000000000000000000000000000000000000000000000000000000009fda", malformed.OrderHash);
        Assert.Equal(5, Assert.Single(page.Orders).Order.WorkerpoolPrice);
    }

    [Fact]
    public async Task GetAppOrders_AnEntryThatIsNotAnObject_IsMalformedAndHostileCountsDoNotThrow()
    {
        using var server = new ScriptedHttpServer().Answer(200, "{\"ok\":true,\"count\":1e40,\"nextPage\":99999999999,\"orders\":[\"not an order\",{\"orderHash\":7}]}");
        using var market = new MarketClient(server.Url);

        var page = await market.GetAppOrdersAsync(new AppOrderQuery { App = App, ChainId = 134 });

        Assert.Empty(page.Orders);
        Assert.Equal(2, page.Malformed.Count);
        Assert.All(page.Malformed, m => Assert.Equal("", m.OrderHash));
        Assert.Null(page.NextPage);
    }

    [Fact]
    public async Task Get_TransientServerErrors_AreRetried()
    {
        using var server = new ScriptedHttpServer().Answer(503, "busy", "text/plain").Answer(502, "busy", "text/plain").Answer(200, WorkerpoolAnswer);
        using var market = new MarketClient(server.Url, firstRetryDelay: TimeSpan.FromMilliseconds(10));

        var page = await market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery { ChainId = 134 });

        Assert.Single(page.Orders);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Get_PersistentServerError_FailsMarketUnreachableWithTheSdkMessage()
    {
        using var server = new ScriptedHttpServer().Answer(503, "down", "text/plain");
        using var market = new MarketClient(server.Url, maxRetries: 2, firstRetryDelay: TimeSpan.FromMilliseconds(5));

        var error = await Assert.ThrowsAsync<IExecException>(() => market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery { ChainId = 134 }));

        Assert.Equal(ErrorIds.MarketUnreachable, error.ErrorId);
        Assert.Equal($"Market API error: Server at http://127.0.0.1:{server.Port} encountered an internal error", error.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Get_ClosedPort_FailsWithTheNetworkErrorMessage()
    {
        var port = LoopbackPorts.Closed();
        using var market = new MarketClient(new Uri($"http://127.0.0.1:{port}"), maxRetries: 1, firstRetryDelay: TimeSpan.FromMilliseconds(5));

        var error = await Assert.ThrowsAsync<IExecException>(() => market.GetAppOrdersAsync(new AppOrderQuery { App = App, ChainId = 134 }));

        Assert.Equal(ErrorIds.MarketUnreachable, error.ErrorId);
        Assert.Equal($"Market API error: Connection to http://127.0.0.1:{port} failed with a network error", error.Message);
    }

    [Theory]
    [InlineData(404, "Not Found", "text/plain", "The http response is not of JSON type")]
    [InlineData(400, "{\"ok\":false,\"error\":\"invalid query\"}", "application/json", "API error: invalid query")]
    [InlineData(200, "{\"ok\":false}", "application/json", "An error occurred while getting orderbook")]
    public async Task Get_RefusedAnswer_FailsMarketErrorWithoutRetry(int status, string body, string contentType, string message)
    {
        using var server = new ScriptedHttpServer().Answer(status, body, contentType);
        using var market = new MarketClient(server.Url, firstRetryDelay: TimeSpan.FromMilliseconds(5));

        var error = await Assert.ThrowsAsync<IExecException>(() => market.GetAppOrdersAsync(new AppOrderQuery { App = App, ChainId = 134 }));

        Assert.Equal(ErrorIds.MarketError, error.ErrorId);
        Assert.Equal(message, error.Message);
        Assert.Single(server.Requests);
    }
}
