using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;
using Polly;
using Polly.Retry;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// A JSON-RPC 2.0 client over HTTP for an Ethereum node. Reads (<see cref="CallAsync"/>, <see cref="BatchAsync"/>)
/// are idempotent and retried with exponential backoff on transport failures, timeouts and 5xx/429 answers;
/// <see cref="SendOnceAsync"/> is never retried (a lost <c>eth_sendRawTransaction</c> answer is reconciled by the
/// caller, see <see cref="TransactionSender"/>). An error object from the node becomes <see cref="RpcException"/>;
/// an unreachable node after the retries becomes <see cref="ErrorIds.RpcUnreachable"/>.
/// </summary>
/// <remarks>
/// Transport follows <see cref="TransportPolicy"/>: https, or http to loopback, or http anywhere only when allowed
/// (else <see cref="ErrorIds.InsecureRpcUrl"/> from the constructor, before anything is sent); redirects are never
/// followed (<see cref="ErrorIds.UnexpectedRedirect"/>); an answer over <see cref="TransportPolicy.MaxApiAnswerBytes"/>
/// is <see cref="ErrorIds.ResponseTooLarge"/>. The node URL is shown only as <see cref="DisplayUrl"/> (scheme, host,
/// port), since RPC URLs often carry an API key in their path or credentials in their user info.
/// </remarks>
public sealed class JsonRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _readPipeline;
    private long _nextId;
    private long _transientFailures;

    /// <summary>
    /// Creates a client for <paramref name="endpoint"/>; a given <paramref name="httpClient"/> is not disposed by this
    /// client. Plain http to a non-loopback host is <see cref="ErrorIds.InsecureRpcUrl"/> unless
    /// <paramref name="allowInsecureHttp"/>.
    /// </summary>
    public JsonRpcClient(Uri endpoint, HttpClient? httpClient = null, int maxRetries = 4, TimeSpan? firstRetryDelay = null, bool allowInsecureHttp = false)
    {
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        TransportPolicy.EnsureSecure(endpoint, EndpointKind.Rpc, allowInsecureHttp);
        DisplayUrl = TransportPolicy.Display(endpoint);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? TransportPolicy.CreateHttpClient(TimeSpan.FromSeconds(30));
        _readPipeline = maxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientRpcFailure>(),
                MaxRetryAttempts = maxRetries,
                Delay = firstRetryDelay ?? TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>The node URL; may hold credentials or an API key, so print <see cref="DisplayUrl"/> instead.</summary>
    public Uri Endpoint { get; }

    /// <summary>The node URL as it may be shown: scheme, host and port only.</summary>
    public string DisplayUrl { get; }

    /// <summary>
    /// The whole endpoint when this client opened its own transport, else null: what a process-wide cache may key
    /// reads of this node by. A client over a caller's HttpClient (a handler that counts, rewrites or fails calls) is
    /// never pooled with others.
    /// </summary>
    internal string? SharedTransportKey => _ownsHttp ? Endpoint.AbsoluteUri : null;

    /// <summary>
    /// How many transport failures (no connection, a 5xx or 429, a request timeout) this client has seen, retried or not:
    /// a caller whose own deadline cancelled a call can tell a node that failed from one that was only slow.
    /// </summary>
    public long TransientFailureCount => Interlocked.Read(ref _transientFailures);

    /// <summary>Calls an idempotent method and returns its <c>result</c>, retrying transient failures.</summary>
    public async Task<JsonElement> CallAsync(string method, object?[]? parameters = null, CancellationToken cancellationToken = default)
    {
        var request = BuildRequest(method, parameters);
        return await ExecuteReadAsync(method, async token => ParseSingle(method, await PostAsync(method, request.ToJsonString(), token).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls an idempotent method and deserialises its <c>result</c> to <typeparamref name="T"/>.</summary>
    public async Task<T> CallAsync<T>(string method, object?[]? parameters = null, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(method, parameters, cancellationToken).ConfigureAwait(false);
        return result.Deserialize<T>()!;
    }

    /// <summary>
    /// Sends several idempotent calls in one JSON-RPC batch; results come back in request order. If any call
    /// fails, the first failure is thrown as <see cref="RpcException"/>.
    /// </summary>
    public Task<JsonElement[]> BatchAsync(IReadOnlyList<(string Method, object?[]? Parameters)> calls, CancellationToken cancellationToken = default) =>
        BatchWithOptionalAsync(calls, int.MaxValue, cancellationToken);

    /// <summary>
    /// <see cref="BatchAsync"/>, except that the calls from
    /// index <paramref name="optionalFrom"/> on are speculative: one the node answers with an error (a revert included)
    /// comes back as an undefined element (<see cref="JsonValueKind.Undefined"/>) instead of failing the batch.
    /// </summary>
    public async Task<JsonElement[]> BatchWithOptionalAsync(IReadOnlyList<(string Method, object?[]? Parameters)> calls, int optionalFrom, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0) return [];
        var requests = calls.Select(c => BuildRequest(c.Method, c.Parameters)).ToArray();
        var body = new JsonArray(requests.Cast<JsonNode?>().ToArray()).ToJsonString();
        var label = "batch(" + string.Join(",", calls.Select(c => c.Method)) + ")";
        return await ExecuteReadAsync(label, async token =>
        {
            using var document = JsonDocument.Parse(await PostAsync(label, body, token).ConfigureAwait(false));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return [ParseSingle(label, document.RootElement.GetRawText())];
            var byId = document.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt64(), e => e.Clone());
            var results = new JsonElement[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                var id = requests[i]["id"]!.GetValue<long>();
                if (!byId.TryGetValue(id, out var answer))
                    throw new IExecException(ErrorIds.RpcError, $"The RPC node left {calls[i].Method} unanswered in a batch.", calls[i].Method);
                if (i < optionalFrom)
                {
                    results[i] = Unwrap(calls[i].Method, answer);
                    continue;
                }
                try
                {
                    results[i] = Unwrap(calls[i].Method, answer);
                }
                catch (RpcException)
                {
                    results[i] = default;
                }
            }
            return results;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls a non-idempotent method exactly once (no retry). A transport failure surfaces as
    /// <see cref="ErrorIds.RpcUnreachable"/> and leaves it unknown whether the node acted on the call.
    /// </summary>
    public async Task<JsonElement> SendOnceAsync(string method, object?[]? parameters = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return ParseSingle(method, await PostAsync(method, BuildRequest(method, parameters).ToJsonString(), cancellationToken).ConfigureAwait(false));
        }
        catch (TransientRpcFailure failure)
        {
            throw Unreachable(method, failure);
        }
    }

    /// <summary><c>eth_chainId</c>.</summary>
    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) =>
        (ulong)ParseQuantity(await CallAsync("eth_chainId", null, cancellationToken).ConfigureAwait(false));

    /// <summary><c>eth_blockNumber</c>.</summary>
    public async Task<long> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        (long)ParseQuantity(await CallAsync("eth_blockNumber", null, cancellationToken).ConfigureAwait(false));

    /// <summary><c>eth_getBalance</c> at <paramref name="block"/> in wei.</summary>
    public async Task<BigInteger> GetBalanceAsync(EthAddress address, string block = "latest", CancellationToken cancellationToken = default) =>
        ParseQuantity(await CallAsync("eth_getBalance", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false));

    /// <summary><c>eth_getTransactionCount</c> at <paramref name="block"/> (<c>pending</c> counts queued transactions).</summary>
    public async Task<BigInteger> GetTransactionCountAsync(EthAddress address, string block = "pending", CancellationToken cancellationToken = default) =>
        ParseQuantity(await CallAsync("eth_getTransactionCount", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false));

    /// <summary><c>eth_getCode</c>; empty for an account without code.</summary>
    public async Task<byte[]> GetCodeAsync(EthAddress address, string block = "latest", CancellationToken cancellationToken = default) =>
        Hex.Decode((await CallAsync("eth_getCode", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false)).GetString()!);

    /// <summary><c>eth_call</c> of <paramref name="data"/> on <paramref name="to"/>; a revert surfaces as <see cref="RpcException"/> carrying the revert data.</summary>
    public async Task<byte[]> EthCallAsync(EthAddress to, byte[] data, EthAddress? from = null, string block = "latest", CancellationToken cancellationToken = default)
    {
        var call = new JsonObject { ["to"] = to.ToLowerHex(), ["data"] = Hex.Encode(data) };
        if (from is { } sender) call["from"] = sender.ToLowerHex();
        return Hex.Decode((await CallAsync("eth_call", [call, block], cancellationToken).ConfigureAwait(false)).GetString()!);
    }

    /// <summary><c>eth_getTransactionReceipt</c>; null while the transaction is not mined.</summary>
    public async Task<Receipt?> GetReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("eth_getTransactionReceipt", [transactionHash], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : ParseReceipt(result);
    }

    /// <summary>True when the node knows <paramref name="transactionHash"/> (pending or mined).</summary>
    public async Task<bool> IsTransactionKnownAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        (await CallAsync("eth_getTransactionByHash", [transactionHash], cancellationToken).ConfigureAwait(false)).ValueKind != JsonValueKind.Null;

    /// <summary>Parses a hex quantity (<c>0x1a</c>) or a JSON number.</summary>
    public static BigInteger ParseQuantity(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number) return BigInteger.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
        var text = element.GetString() ?? throw new FormatException("Expected a hex quantity.");
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"'{text}' is not a hex quantity.");
        var digits = text[2..];
        return digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse("0" + digits, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A quantity as the node expects it: <c>0x</c> + minimal hex.</summary>
    public static string ToQuantity(BigInteger value) =>
        value.IsZero ? "0x0" : "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');

    /// <summary>Parses a receipt object as nodes return it.</summary>
    public static Receipt ParseReceipt(JsonElement receipt)
    {
        static EthAddress? Address(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? EthAddress.Parse(value.GetString()!) : null;

        var logs = receipt.GetProperty("logs").EnumerateArray().Select(log => new LogEntry(
            EthAddress.Parse(log.GetProperty("address").GetString()!),
            log.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray(),
            Hex.Decode(log.GetProperty("data").GetString()!),
            (long)ParseQuantity(log.GetProperty("logIndex")))).ToArray();
        return new Receipt(
            receipt.GetProperty("transactionHash").GetString()!,
            (long)ParseQuantity(receipt.GetProperty("blockNumber")),
            ParseQuantity(receipt.GetProperty("status")) == BigInteger.One,
            Address(receipt, "from"),
            Address(receipt, "to"),
            Address(receipt, "contractAddress"),
            ParseQuantity(receipt.GetProperty("gasUsed")),
            logs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private JsonObject BuildRequest(string method, object?[]? parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var array = new JsonArray();
        foreach (var parameter in parameters ?? [])
        {
            array.Add(parameter switch
            {
                null => null,
                JsonNode node => node,
                string s => JsonValue.Create(s),
                bool b => JsonValue.Create(b),
                BigInteger big => JsonValue.Create(ToQuantity(big)),
                _ => JsonSerializer.SerializeToNode(parameter),
            });
        }
        return new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = array,
        };
    }

    private async Task<T> ExecuteReadAsync<T>(string label, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _readPipeline.ExecuteAsync(async token => await action(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (TransientRpcFailure failure)
        {
            throw Unreachable(label, failure);
        }
    }

    private async Task<string> PostAsync(string label, string body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(Endpoint, content, cancellationToken).ConfigureAwait(false);
            if (TransportPolicy.IsRedirect(response.StatusCode)) throw TransportPolicy.Redirect(response, "The RPC node", DisplayUrl, DisplayUrl);
            var text = await TransportPolicy.ReadCappedStringAsync(response.Content, TransportPolicy.MaxApiAnswerBytes, "The RPC node", DisplayUrl, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _transientFailures);
                throw new TransientRpcFailure($"HTTP {(int)response.StatusCode}", null);
            }
            if (!response.IsSuccessStatusCode && text.Length == 0)
                throw new IExecException(ErrorIds.RpcError, $"The RPC node answered {label} with HTTP {(int)response.StatusCode}.", DisplayUrl);
            return text;
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _transientFailures);
            throw new TransientRpcFailure(e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _transientFailures);
            throw new TransientRpcFailure("timed out", e);
        }
    }

    private static JsonElement ParseSingle(string method, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new IExecException(ErrorIds.RpcError, $"The RPC node answered {method} with something that is not JSON.", method, e);
        }
        using (document) return Unwrap(method, document.RootElement.Clone());
    }

    private static JsonElement Unwrap(string method, JsonElement answer)
    {
        if (answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            string? data = null;
            if (error.TryGetProperty("data", out var d))
                data = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
            throw new RpcException(method, code, message, data);
        }
        if (!answer.TryGetProperty("result", out var result))
            throw new IExecException(ErrorIds.RpcError, $"The RPC answer to {method} has neither result nor error.", method);
        return result.Clone();
    }

    private IExecException Unreachable(string label, TransientRpcFailure failure) =>
        new(ErrorIds.RpcUnreachable,
            $"The RPC node at {DisplayUrl} could not be reached for {label} ({Redacted(failure.Message)}).", DisplayUrl, failure.InnerException ?? failure)
        {
            RecommendedAction = "Check the chain's RPC host and that the node is running.",
        };

    // HttpRequestException messages can quote the request URL ("... (node.example:443)" or the full URI on some
    // platforms); keep the node's full URL out of our message whatever the runtime writes.
    private string Redacted(string message) =>
        message.Replace(Endpoint.OriginalString, DisplayUrl, StringComparison.Ordinal).Replace(Endpoint.AbsoluteUri, DisplayUrl, StringComparison.Ordinal);

    // Marks the failures worth retrying for reads; never escapes this class.
    private sealed class TransientRpcFailure(string message, Exception? inner) : Exception(message, inner);
}
