using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;
using IExecSecrets.DevNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>One JSON-RPC call as the proxy saw it: the method, its params and, for <c>eth_call</c>, the 4-byte selector.</summary>
public sealed record RpcCall(string Method, JsonArray Params, JsonNode? Id)
{
    /// <summary>The first four bytes of an <c>eth_call</c>/<c>eth_estimateGas</c> data field (<c>0x…</c>, lower case), else null.</summary>
    public string? Selector
    {
        get
        {
            if (Params.Count == 0 || Params[0] is not JsonObject call) return null;
            var data = (call["data"] ?? call["input"])?.GetValue<string>();
            return data is { Length: >= 10 } ? data[..10].ToLowerInvariant() : null;
        }
    }

    /// <summary>A JSON-RPC answer for this call carrying <paramref name="result"/> (a JSON value).</summary>
    public string Answer(JsonNode? result) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Id?.DeepClone(), ["result"] = result }.ToJsonString();

    /// <summary>A JSON-RPC error answer for this call.</summary>
    public string Error(int code, string message) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Id?.DeepClone(), ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();
}

/// <summary>
/// A lying RPC node: a JSON-RPC proxy on 127.0.0.1 in front of a real node (anvil), for code that opens its own RPC
/// client from chain.json (the cmdlets) or from a URL. Every call is recorded; a test scripts the lies per method
/// and selector: <see cref="Answer"/> answers a call without asking the node, <see cref="Rewrite"/> changes the node's
/// answer. Batches are split, scripted call by call, and joined again, so a lie applies whether or not the client
/// batches.
/// </summary>
public sealed class HostileRpcProxy : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private readonly Uri _target;
    private int _requests;

    private HostileRpcProxy(WebApplication app, Uri target, Uri url)
    {
        _app = app;
        _target = target;
        Url = url;
    }

    /// <summary>The proxy's base URL (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Url { get; }

    /// <summary>Every call received, in arrival order (batched calls one by one).</summary>
    public ConcurrentQueue<RpcCall> Calls { get; } = new();

    /// <summary>Answers a call without forwarding it: return the whole JSON-RPC answer text, or null to forward.</summary>
    public Func<RpcCall, string?>? Answer { get; set; }

    /// <summary>Changes the node's answer: (call, the node's answer text) → the answer to return, or null to keep it.</summary>
    public Func<RpcCall, string, string?>? Rewrite { get; set; }

    /// <summary>How many HTTP requests (a batch is one) were received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Clears <see cref="Calls"/> and <see cref="Requests"/>.</summary>
    public void Reset()
    {
        Calls.Clear();
        Interlocked.Exchange(ref _requests, 0);
    }

    /// <summary>How many calls of <paramref name="method"/> were received.</summary>
    public int Count(string method) => Calls.Count(c => c.Method == method);

    /// <summary>Starts a proxy in front of <paramref name="target"/>.</summary>
    public static async Task<HostileRpcProxy> StartAsync(Uri target, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebHost.Build(0, 16 * 1024 * 1024);
        HostileRpcProxy? proxy = null;
        app.MapPost("/", async context => await proxy!.HandleAsync(context).ConfigureAwait(false));
        var url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        proxy = new HostileRpcProxy(app, target, url);
        return proxy;
    }

    /// <summary>Synchronous start, for constructors of xunit fixtures.</summary>
    public static HostileRpcProxy Start(Uri target) => StartAsync(target).GetAwaiter().GetResult();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var parsed = JsonNode.Parse(body);
        string answer;
        if (parsed is JsonArray batch)
        {
            var parts = new List<string>();
            foreach (var item in batch) parts.Add(await OneAsync(item!.AsObject()).ConfigureAwait(false));
            answer = "[" + string.Join(",", parts) + "]";
        }
        else
        {
            answer = await OneAsync(parsed!.AsObject()).ConfigureAwait(false);
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer).ConfigureAwait(false);
    }

    private async Task<string> OneAsync(JsonObject request)
    {
        var call = new RpcCall(request["method"]?.GetValue<string>() ?? "", request["params"] as JsonArray ?? [], request["id"]);
        Calls.Enqueue(call);
        if (Answer?.Invoke(call) is { } scripted) return scripted;
        using var response = await _upstream.PostAsync(_target, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return Rewrite?.Invoke(call, text) ?? text;
    }

    /// <summary>The <c>result</c> of a node answer, for rewrites that edit it.</summary>
    public static JsonNode? ResultOf(string answer) => JsonNode.Parse(answer)?["result"];

    /// <summary>
    /// A <see cref="Rewrite"/> that makes every receipt's ERC-721 Transfer (mint) log of <paramref name="registry"/> name
    /// the token <paramref name="minted"/>: the receipt of a deploy then "proves" another owner's app or dataset.
    /// </summary>
    public static Func<RpcCall, string, string?> ReceiptMintsInstead(EthAddress registry, EthAddress minted)
    {
        var transfer = Hex.Encode(EventTopics.Transfer);
        return (call, answer) =>
        {
            if (call.Method != "eth_getTransactionReceipt" || ResultOf(answer) is not JsonObject) return null;
            var json = JsonNode.Parse(answer)!;
            foreach (var log in json["result"]!["logs"]!.AsArray())
            {
                if (log!["topics"]![0]!.GetValue<string>() == transfer && EthAddress.Parse(log["address"]!.GetValue<string>()) == registry)
                {
                    log["topics"]![3] = "0x000000000000000000000000" + minted.ToLowerHex()[2..];
                }
            }
            return json.ToJsonString();
        };
    }

    /// <summary>An <see cref="Answer"/> that answers every <c>eth_call</c> to <paramref name="signature"/> with <paramref name="address"/>.</summary>
    public static Func<RpcCall, string?> CallAnswers(string signature, EthAddress address)
    {
        var selector = Hex.Encode(Abi.Selector(signature));
        return call => call.Method == "eth_call" && call.Selector == selector ? call.Answer(Hex.Encode(Abi.Encode("address", address))) : null;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
    }
}
