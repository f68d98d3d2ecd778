using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Interop.Tests.Market;

/// <summary>
/// A market that lies, on a loopback port: it answers the order books with whatever orders a test scripts (orders
/// for other apps, signed by strangers, over-priced, exhausted…), answers <c>GET /challenge</c> with scripted typed
/// data, accepts every write, and counts requests, so tests can prove what the module refused, signed and sent.
/// </summary>
internal sealed class HostileMarket : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _writes;

    public HostileMarket()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public List<JsonObject> AppOrders { get; } = [];

    public List<JsonObject> DatasetOrders { get; } = [];

    public List<JsonObject> WorkerpoolOrders { get; } = [];

    /// <summary>The <c>data</c> answered by <c>GET /challenge</c>.</summary>
    public JsonNode? Challenge { get; set; }

    /// <summary>Every request line, e.g. <c>GET /apporders?…</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many POST or PUT requests arrived (publications, cancellations).</summary>
    public int WriteCount => Volatile.Read(ref _writes);

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

    public void Dispose() => _listener.Close();

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static JsonNode Number(System.Numerics.BigInteger value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))!;

    private static JsonObject Wrap(JsonObject order, byte[] hash, long remaining) => new()
    {
        ["orderHash"] = Hex.Encode(hash), ["order"] = order, ["chainId"] = 134, ["remaining"] = remaining, ["status"] = "open",
        ["publicationTimestamp"] = "2026-12-01T00:00:00.000Z",
    };

    private string Answer(string method, string path)
    {
        if (method is "POST" or "PUT")
        {
            Interlocked.Increment(ref _writes);
            return "{\"ok\":true,\"published\":{\"orderHash\":\"" + Hex.Encode(new byte[32]) + "\"},\"unpublished\":[]}";
        }
        if (path.StartsWith("/challenge", StringComparison.Ordinal))
            return new JsonObject { ["ok"] = true, ["data"] = Challenge?.DeepClone() }.ToJsonString();
        var book = path.StartsWith("/apporders", StringComparison.Ordinal) ? AppOrders
            : path.StartsWith("/workerpoolorders", StringComparison.Ordinal) ? WorkerpoolOrders
            : path.StartsWith("/datasetorders", StringComparison.Ordinal) ? DatasetOrders
            : null;
        if (book is null) return "{\"ok\":false,\"error\":\"not here\"}";
        var orders = new JsonArray();
        lock (book)
        {
            foreach (var entry in book) orders.Add(entry.DeepClone());
        }
        return new JsonObject { ["ok"] = true, ["count"] = orders.Count, ["orders"] = orders }.ToJsonString();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var path = context.Request.RawUrl ?? "/";
            Requests.Enqueue(context.Request.HttpMethod + " " + path);
            var bytes = Encoding.UTF8.GetBytes(Answer(context.Request.HttpMethod, path));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }
}
