using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Orders;
using IExecSecrets.DevNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>
/// A market that lies, on 127.0.0.1 (Kestrel through <see cref="LoopbackWebHost"/>): it answers the order books with
/// whatever entries a test scripts (orders for other apps, signed by strangers, over-priced, exhausted, or raw JSON
/// that is no order at all: a 64-hex address, a 2^256 volume, a string where an object belongs), page by page as
/// iexec-market-api pages them (<c>pageIndex</c>, <c>pageSize</c>, <c>nextPage</c> as an offset while entries follow);
/// answers <c>GET /challenge</c> with scripted typed data; accepts every write; records every request, so tests can
/// prove what the module refused, signed and sent.
/// </summary>
public sealed class HostileMarket : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private int _writes;

    /// <summary>Starts the market on a free loopback port.</summary>
    public HostileMarket()
    {
        _app = LoopbackWebHost.Build(0, 1024 * 1024);
        _app.Run(HandleAsync);
        Url = LoopbackWebHost.StartAsync(_app, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Starts the market on a free loopback port.</summary>
    public static Task<HostileMarket> StartAsync() => Task.Run(() => new HostileMarket());

    /// <summary>The market's base URL (<c>http://127.0.0.1:port/</c>), for chain.json's <c>iexecGateway</c>.</summary>
    public Uri Url { get; }

    /// <summary>The port listened on.</summary>
    public int Port => Url.Port;

    /// <summary>The app order book: each entry as the market answers it (<c>{orderHash, order, remaining, …}</c>, or anything).</summary>
    public List<JsonNode> AppOrders { get; } = [];

    /// <summary>The dataset order book.</summary>
    public List<JsonNode> DatasetOrders { get; } = [];

    /// <summary>The workerpool order book.</summary>
    public List<JsonNode> WorkerpoolOrders { get; } = [];

    /// <summary>The <c>data</c> answered by <c>GET /challenge</c>.</summary>
    public JsonNode? Challenge { get; set; }

    /// <summary>Every request line, e.g. <c>GET /apporders?…</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many POST or PUT requests arrived (publications, cancellations).</summary>
    public int WriteCount => Volatile.Read(ref _writes);

    /// <summary>An entry wrapping <paramref name="order"/> (any JSON) with an order hash, as the market lists orders.</summary>
    public static JsonObject Entry(JsonNode? order, string orderHash, long remaining = 1) => new()
    {
        ["orderHash"] = orderHash, ["order"] = order, ["chainId"] = 134, ["remaining"] = remaining, ["status"] = "open",
        ["publicationTimestamp"] = "2026-12-01T00:00:00.000Z",
    };

    /// <summary>An order book entry as the market answers it, with the order hash computed under <paramref name="domain"/>.</summary>
    public static JsonObject Entry(AppOrder order, Eip712Domain domain, long remaining = 1) => Wrap(new JsonObject
    {
        ["app"] = order.App.ToString(), ["appprice"] = Number(order.AppPrice), ["volume"] = Number(order.Volume), ["tag"] = Hex.Encode(order.Tag),
        ["datasetrestrict"] = order.DatasetRestrict.ToString(), ["workerpoolrestrict"] = order.WorkerpoolRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(order.Salt), ["sign"] = order.Sign,
    }, order.Hash(domain), remaining);

    public static JsonObject Entry(WorkerpoolOrder order, Eip712Domain domain, long remaining = 1) => Wrap(new JsonObject
    {
        ["workerpool"] = order.Workerpool.ToString(), ["workerpoolprice"] = Number(order.WorkerpoolPrice), ["volume"] = Number(order.Volume),
        ["tag"] = Hex.Encode(order.Tag), ["category"] = Number(order.Category), ["trust"] = Number(order.Trust),
        ["apprestrict"] = order.AppRestrict.ToString(), ["datasetrestrict"] = order.DatasetRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(order.Salt), ["sign"] = order.Sign,
    }, order.Hash(domain), remaining);

    /// <summary>The iexec-market-api challenge, possibly altered by <paramref name="edit"/>.</summary>
    public static JsonObject GenuineChallenge(object chainId, Action<JsonObject>? edit = null)
    {
        var data = new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256")),
                ["Challenge"] = new JsonArray(Field("challenge", "string")),
            },
            ["domain"] = new JsonObject { ["name"] = "iExec Gateway", ["version"] = "1", ["chainId"] = JsonValue.Create(chainId) },
            ["primaryType"] = "Challenge",
            ["message"] = new JsonObject { ["challenge"] = "Sign this message to log into iExec Gateway: AbCdEfGhIjKlMnOpQrStUvWxYz012345" },
        };
        edit?.Invoke(data);
        return data;
    }

    /// <summary>A "challenge" that is a PoCo request order under the hub's domain: signing it would hand out a usable order.</summary>
    public static JsonObject RequestOrderChallenge(EthAddress hub, ulong chainId)
    {
        var fields = new JsonArray();
        foreach (var field in RequestOrder.Eip712Type.Fields) fields.Add(Field(field.Name, field.Type));
        return new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"), Field("verifyingContract", "address")),
                ["RequestOrder"] = fields,
            },
            ["domain"] = new JsonObject { ["name"] = "iExecODB", ["version"] = "5.0.0", ["chainId"] = chainId.ToString(CultureInfo.InvariantCulture), ["verifyingContract"] = hub.ToString() },
            ["primaryType"] = "RequestOrder",
            ["message"] = new JsonObject
            {
                ["app"] = "0x1111111111111111111111111111111111111111", ["appmaxprice"] = "1000000000000", ["dataset"] = EthAddress.Zero.ToString(),
                ["datasetmaxprice"] = "0", ["workerpool"] = EthAddress.Zero.ToString(), ["workerpoolmaxprice"] = "1000000000000",
                ["requester"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ["volume"] = "1000", ["tag"] = Hex.Encode(new byte[32]), ["category"] = "0",
                ["trust"] = "0", ["beneficiary"] = "0x2222222222222222222222222222222222222222", ["callback"] = EthAddress.Zero.ToString(), ["params"] = "{}",
                ["salt"] = Hex.Encode(new byte[32]),
            },
        };
    }

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static JsonNode Number(System.Numerics.BigInteger value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))!;

    private static JsonObject Wrap(JsonObject order, byte[] hash, long remaining) => Entry(order, Hex.Encode(hash), remaining);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        Requests.Enqueue($"{request.Method} {path}{request.QueryString}");
        context.Response.ContentType = "application/json; charset=utf-8";
        try
        {
            await context.Response.WriteAsync(Answer(request, path), context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    private string Answer(HttpRequest request, string path)
    {
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            Interlocked.Increment(ref _writes);
            return "{\"ok\":true,\"published\":{\"orderHash\":\"" + Hex.Encode(new byte[32]) + "\"},\"unpublished\":[]}";
        }
        if (path.StartsWith("/challenge", StringComparison.Ordinal))
            return new JsonObject { ["ok"] = true, ["data"] = Challenge?.DeepClone() }.ToJsonString();
        return OrderBookPage.Answer(request, path, AppOrders, WorkerpoolOrders, DatasetOrders);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
