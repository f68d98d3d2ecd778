using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;
using IExecSecrets.Core.Orders;
using Polly;
using Polly.Retry;

namespace IExecSecrets.Core.Market;

/// <summary>
/// A client of the iExec market API (<c>iexecGateway</c>) with the SDK 8.24 wire behaviour: order book queries with
/// alphabetically ordered parameters and <c>Accept: application/json</c>; answers must be JSON with <c>ok: true</c>.
/// Reads are retried with jittered backoff on connection failures, timeouts and 5xx; publishing is sent once and,
/// after an ambiguous failure, reconciled by asking for the order by hash rather than posting it again.
/// </summary>
/// <remarks>
/// Failures map to the SDK's messages: a non-JSON answer is <c>The http response is not of JSON type</c>,
/// <c>{ok:false,error}</c> is <c>API error: &lt;error&gt;</c> (both <see cref="ErrorIds.MarketError"/>), a 5xx after the
/// retries is <c>Market API error: Server at &lt;url&gt; encountered an internal error</c> and a connection failure is
/// <c>Market API error: Connection to &lt;url&gt; failed with a network error</c> (both
/// <see cref="ErrorIds.MarketUnreachable"/>).
/// Transport follows <see cref="TransportPolicy"/>: plain http to a non-loopback host is
/// <see cref="ErrorIds.InsecureMarketUrl"/> unless allowed, a 3xx is <see cref="ErrorIds.UnexpectedRedirect"/> (never
/// followed), an answer over 16 MiB is <see cref="ErrorIds.ResponseTooLarge"/>; the URL is shown as scheme, host, port.
/// </remarks>
public sealed partial class MarketClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _readPipeline;
    private readonly string _display;

    /// <summary>
    /// Creates a client for the market at <paramref name="gatewayUrl"/>; a given <paramref name="httpClient"/> is not
    /// disposed. Plain http to a non-loopback host is <see cref="ErrorIds.InsecureMarketUrl"/> unless
    /// <paramref name="allowInsecureHttp"/>.
    /// </summary>
    public MarketClient(Uri gatewayUrl, HttpClient? httpClient = null, int maxRetries = 3, TimeSpan? firstRetryDelay = null, bool allowInsecureHttp = false)
    {
        ArgumentNullException.ThrowIfNull(gatewayUrl);
        if (!gatewayUrl.IsAbsoluteUri || (gatewayUrl.Scheme != Uri.UriSchemeHttp && gatewayUrl.Scheme != Uri.UriSchemeHttps))
            throw new IExecException(ErrorIds.MissingMarketUrl, $"The market URL '{TransportPolicy.Display(gatewayUrl.OriginalString)}' is not an http(s) URL.", TransportPolicy.Display(gatewayUrl.OriginalString));
        TransportPolicy.EnsureSecure(gatewayUrl, EndpointKind.Market, allowInsecureHttp);
        BaseUrl = new Uri(gatewayUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        _display = TransportPolicy.Display(gatewayUrl);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? TransportPolicy.CreateHttpClient(TimeSpan.FromSeconds(30));
        _readPipeline = maxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientMarketFailure>(),
                MaxRetryAttempts = maxRetries,
                Delay = firstRetryDelay ?? TimeSpan.FromMilliseconds(250),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>The market base URL, ending with a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The market URL as it may be shown: scheme, host and port only.</summary>
    public string DisplayUrl => _display;

    /// <summary>The base URL when this client opened its own transport, else null (see <see cref="Chain.JsonRpcClient"/>'s).</summary>
    internal string? SharedTransportKey => _ownsHttp ? BaseUrl.AbsoluteUri : null;

    /// <summary>The relative request URL of an app order book query, e.g. <c>apporders?app=…&amp;chainId=134&amp;…</c>.</summary>
    public static string AppOrdersPath(AppOrderQuery query) => "apporders" + MarketQuery.Build(query.ToParameters());

    /// <summary>The relative request URL of a workerpool order book query.</summary>
    public static string WorkerpoolOrdersPath(WorkerpoolOrderQuery query) => "workerpoolorders" + MarketQuery.Build(query.ToParameters());

    /// <summary>One page of the app order book.</summary>
    public async Task<MarketPage<AppOrder>> GetAppOrdersAsync(AppOrderQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadPage(await GetJsonAsync(AppOrdersPath(query), cancellationToken).ConfigureAwait(false), MarketOrderJson.ReadApp);
    }

    /// <summary>One page of the workerpool order book.</summary>
    public async Task<MarketPage<WorkerpoolOrder>> GetWorkerpoolOrdersAsync(WorkerpoolOrderQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadPage(await GetJsonAsync(WorkerpoolOrdersPath(query), cancellationToken).ConfigureAwait(false), MarketOrderJson.ReadWorkerpool);
    }

    /// <summary>
    /// One page of the dataset order book for <paramref name="dataset"/> (<c>bulkOnly=false</c>, not strict), as the
    /// SDK queries it for a run with a dataset.
    /// </summary>
    public async Task<MarketPage<DatasetOrder>> GetDatasetOrdersAsync(ulong chainId, EthAddress dataset, EthAddress app, EthAddress requester, EthAddress? workerpool, byte[] maxTag, CancellationToken cancellationToken = default) =>
        await GetDatasetOrdersAsync(chainId, dataset, app, requester, workerpool, maxTag, 0, cancellationToken).ConfigureAwait(false);

    /// <summary>Page <paramref name="pageIndex"/> (from 0, 20 orders a page) of the dataset order book, as above.</summary>
    public Task<MarketPage<DatasetOrder>> GetDatasetOrdersAsync(ulong chainId, EthAddress dataset, EthAddress app, EthAddress requester, EthAddress? workerpool, byte[] maxTag, int pageIndex, CancellationToken cancellationToken = default) =>
        GetDatasetOrdersAsync(new DatasetOrderQuery
        {
            Dataset = dataset,
            ChainId = chainId,
            App = app,
            Requester = requester,
            Workerpool = workerpool,
            MaxTag = maxTag,
            PageIndex = pageIndex,
        }, cancellationToken);

    /// <summary>One page of the dataset order book for <paramref name="query"/>.</summary>
    public async Task<MarketPage<DatasetOrder>> GetDatasetOrdersAsync(DatasetOrderQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadPage(await GetJsonAsync(DatasetOrdersPath(query), cancellationToken).ConfigureAwait(false), MarketOrderJson.ReadDataset);
    }

    /// <summary>The relative URL of <paramref name="query"/>: <c>datasetorders?…</c>, parameters in alphabetical order.</summary>
    public static string DatasetOrdersPath(DatasetOrderQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return "datasetorders" + MarketQuery.Build(query.ToParameters());
    }

    /// <summary>
    /// Publishes a signed app order as iexec-market-api expects it: <c>GET /challenge?address=&amp;chainId=</c>, a check
    /// that the answer is exactly the market's login challenge for <paramref name="chainId"/>
    /// (<see cref="MarketChallenge.Validate"/>; anything else fails <see cref="ErrorIds.InvalidMarketChallenge"/> and
    /// nothing is signed), then <c>POST /apporders?chainId=</c> with <c>{"order":…}</c> and the header
    /// <c>authorization: hash_signature_address</c>. Returns the market's order hash. If the post fails in a way that
    /// leaves its fate unknown, the order is looked up by <paramref name="expectedOrderHash"/> before failing. A
    /// refused authorization fails <see cref="ErrorIds.MarketAuthorizationRefused"/>.
    /// </summary>
    public Task<string> PublishAppOrderAsync(AppOrder order, ulong chainId, IEthSigner signer, string expectedOrderHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        return PublishAsync("apporders", MarketOrderJson.Write(order), chainId, signer, expectedOrderHash, cancellationToken);
    }

    /// <summary>
    /// Publishes a signed dataset order exactly as <see cref="PublishAppOrderAsync"/> publishes app orders (the same
    /// challenge check, authorization and reconciliation), to <c>POST /datasetorders?chainId=</c>.
    /// </summary>
    public Task<string> PublishDatasetOrderAsync(DatasetOrder order, ulong chainId, IEthSigner signer, string expectedOrderHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        return PublishAsync("datasetorders", MarketOrderJson.Write(order), chainId, signer, expectedOrderHash, cancellationToken);
    }

    private async Task<string> PublishAsync(string book, System.Text.Json.Nodes.JsonObject orderJson, ulong chainId, IEthSigner signer, string expectedOrderHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var chain = chainId.ToString(CultureInfo.InvariantCulture);
        var authorization = await AuthorizeAsync(chainId, signer, cancellationToken).ConfigureAwait(false);

        var body = new System.Text.Json.Nodes.JsonObject { ["order"] = orderJson }.ToJsonString();
        using var request = AuthorizedWrite(HttpMethod.Post, book, chain, body, authorization);
        JsonDocument answer;
        try
        {
            answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientMarketFailure failure)
        {
            // The market may have stored the order before the connection broke: ask for it instead of posting again.
            if (await IsPublishedAsync(book, expectedOrderHash, chain, cancellationToken).ConfigureAwait(false)) return expectedOrderHash;
            throw ToException(failure);
        }
        catch (IExecException refused) when (refused.Data["status"] is 401 or 403 && refused.Message == "API error: invalid authorization")
        {
            throw new IExecException(ErrorIds.MarketAuthorizationRefused,
                $"The market at {_display} refused the signed challenge of {signer.Address}; the order was not published.", _display, refused)
            { RecommendedAction = "Retry: each challenge is good for one publication. If it fails again, check the chain id of the market." };
        }
        using (answer)
        {
            if (answer.RootElement.TryGetProperty("published", out var published) && published.TryGetProperty("orderHash", out var hash))
                return hash.GetString()!;
            throw new IExecException(ErrorIds.MarketError, "An error occurred while publishing order", _display);
        }
    }

    /// <summary>
    /// Gets the market's login challenge for <paramref name="signer"/> on <paramref name="chainId"/>, checks it is
    /// exactly iexec-market-api's (<see cref="MarketChallenge.Validate"/>) and returns the <c>authorization</c>
    /// header value <c>hash_signature_address</c>. Nothing is signed when the check fails.
    /// </summary>
    public async Task<string> AuthorizeAsync(ulong chainId, IEthSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var relative = "challenge" + MarketQuery.Build([new("address", signer.Address.ToString()), new("chainId", chainId.ToString(CultureInfo.InvariantCulture))]);
        using var challenge = await GetJsonAsync(relative, cancellationToken).ConfigureAwait(false);
        if (!challenge.RootElement.TryGetProperty("data", out var data))
        {
            throw new IExecException(ErrorIds.InvalidMarketChallenge,
                $"The market at {_display} answered GET /challenge without a 'data' member; nothing was signed.", _display);
        }
        var text = MarketChallenge.Validate(data, chainId, _display);
        return MarketChallenge.Authorize(chainId, text, signer);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<bool> IsPublishedAsync(string book, string orderHash, string chainId, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await GetJsonAsync(book + "/" + orderHash + MarketQuery.Build([new("chainId", chainId)]), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IExecException)
        {
            return false;
        }
    }

    private MarketPage<T> ReadPage<T>(JsonDocument document, Func<JsonElement, T> read)
    {
        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
                throw new IExecException(ErrorIds.MarketError, "An error occurred while getting orderbook", _display);
            var list = new List<PublishedOrder<T>>();
            var malformed = new List<MalformedOrder>();
            foreach (var item in orders.EnumerateArray())
            {
                // The market may lie in any field of any entry: an entry that is no order is set aside with its reason,
                // and the entries after it are still read.
                var hash = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("orderHash", out var h) && h.ValueKind == JsonValueKind.String
                    && Hex.IsHex(h.GetString(), 32) ? h.GetString()!.ToLowerInvariant() : "";
                try
                {
                    if (item.ValueKind != JsonValueKind.Object) throw new FormatException("it is not a JSON object");
                    var order = read(item.TryGetProperty("order", out var o) ? o : default);
                    list.Add(new PublishedOrder<T>(
                        order,
                        hash,
                        item.TryGetProperty("remaining", out _) ? MarketOrderJson.Number(item, "remaining") : BigInteger.Zero,
                        item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "",
                        item.TryGetProperty("signer", out var signer) && signer.ValueKind == JsonValueKind.String && EthAddress.TryParse(signer.GetString(), out var a) ? a : null,
                        item.TryGetProperty("publicationTimestamp", out var t) && t.ValueKind == JsonValueKind.String
                            && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : null));
                }
                catch (IExecException bad) when (bad.ErrorId == ErrorIds.MarketError)
                {
                    malformed.Add(new MalformedOrder(hash, bad.Data["reason"] as string ?? "its fields are not an order's"));
                }
                catch (FormatException bad)
                {
                    malformed.Add(new MalformedOrder(hash, bad.Message));
                }
            }
            var count = root.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var total) ? total : list.Count + malformed.Count;
            int? next = root.TryGetProperty("nextPage", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var offset) ? offset : null;
            return new MarketPage<T>(count, next, list, malformed);
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string relative, CancellationToken cancellationToken)
    {
        try
        {
            return await _readPipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, relative));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return await SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientMarketFailure failure)
        {
            throw ToException(failure);
        }
    }

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TransientMarketFailure(serverError: false, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientMarketFailure(serverError: false, e);
        }
        using (response)
        {
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                throw new TransientMarketFailure(serverError: true, null);
            if (TransportPolicy.IsRedirect(response.StatusCode)) throw TransportPolicy.Redirect(response, "The market API", _display, _display);
            string text;
            try
            {
                text = await TransportPolicy.ReadCappedStringAsync(response.Content, TransportPolicy.MaxApiAnswerBytes, "The market API", _display, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new TransientMarketFailure(serverError: false, e);
            }
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            JsonDocument? document = null;
            if (mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    document = JsonDocument.Parse(text);
                }
                catch (JsonException)
                {
                    document = null;
                }
            }
            if (document is null)
                throw new IExecException(ErrorIds.MarketError, "The http response is not of JSON type", _display) { Data = { ["status"] = (int)response.StatusCode } };
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var error = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString() : null;
                document.Dispose();
                throw new IExecException(ErrorIds.MarketError,
                    error is null ? "An error occurred while getting orderbook" : "API error: " + error, _display) { Data = { ["status"] = (int)response.StatusCode } };
            }
            return document;
        }
    }

    private IExecException ToException(TransientMarketFailure failure) =>
        new(ErrorIds.MarketUnreachable,
            failure.ServerError
                ? $"Market API error: Server at {_display} encountered an internal error"
                : $"Market API error: Connection to {_display} failed with a network error",
            _display, failure.InnerException)
        { RecommendedAction = "Check the chain's iexecGateway URL and retry later." };

    private sealed class TransientMarketFailure(bool serverError, Exception? inner) : Exception("transient market failure", inner)
    {
        public bool ServerError { get; } = serverError;
    }

    // A write to an order book (POST publish, PUT unpublish): JSON body, JSON answer, the login's authorization header.
    private HttpRequestMessage AuthorizedWrite(HttpMethod method, string book, string chain, string body, string authorization)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUrl, book + MarketQuery.Build([new("chainId", chain)])))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("authorization", authorization);
        return request;
    }
}
