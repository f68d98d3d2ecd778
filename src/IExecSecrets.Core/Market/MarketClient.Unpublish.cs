using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

// Unpublishing: iexec-market-api's PUT /<kind>s, as the SDK's unpublishOrder (8.24/9.0.1) sends it.
public sealed partial class MarketClient
{
    /// <summary>
    /// Hides published orders from the market's order book as <c>iexec order unpublish</c> / <c>iexec app unpublish</c>
    /// do: the login challenge (<see cref="AuthorizeAsync"/>, only the market's own is signed), then
    /// <c>PUT /&lt;kind&gt;s?chainId=</c> with <c>{"target":"unpublish_orderHash","orderHash":…}</c>,
    /// <c>{"target":"unpublish_last","app":…}</c> or <c>{"target":"unpublish_all","app":…}</c> (the resource member is
    /// <c>dataset</c>, <c>workerpool</c> or <c>requester</c> for the other books). Returns the order hashes the market
    /// says it unpublished, checked: 32-byte hashes, exactly the one asked for by hash, at most one for the last.
    /// </summary>
    /// <remarks>
    /// The market only stops listing the orders: their signatures stay valid on chain for anyone who kept them (use
    /// <see cref="PoCo.OrderCanceller"/> to close them). Failures: a refusal (the order is not published, is not the
    /// signer's…) is <see cref="ErrorIds.UnpublishRefused"/> with the market's reason; a refused login is
    /// <see cref="ErrorIds.MarketAuthorizationRefused"/>; an answer naming other orders is
    /// <see cref="ErrorIds.UnpublishUnconfirmed"/>. The PUT is sent once: after a failure that leaves its fate unknown,
    /// an unpublish by hash is reconciled by reading the order back (its status is no longer <c>open</c>), an unpublish
    /// of the last or all orders is reported <see cref="ErrorIds.MarketUnreachable"/> saying so.
    /// </remarks>
    public async Task<IReadOnlyList<string>> UnpublishAsync(OrderKind kind, MarketUnpublishTarget target, ulong chainId, IEthSigner signer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(signer);
        var book = BookOf(kind);
        var chain = chainId.ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject { ["target"] = target.WireName };
        if (target.OrderHash is { } orderHash) body["orderHash"] = orderHash;
        else body[ResourceMemberOf(kind)] = target.Resource!.Value.ToString();
        var authorization = await AuthorizeAsync(chainId, signer, cancellationToken).ConfigureAwait(false);
        using var request = AuthorizedWrite(HttpMethod.Put, book, chain, body.ToJsonString(), authorization);
        JsonDocument answer;
        try
        {
            answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientMarketFailure failure)
        {
            if (target.OrderHash is { } hash && await IsNoLongerOpenAsync(book, hash, chain, cancellationToken).ConfigureAwait(false)) return [hash];
            var error = ToException(failure);
            throw new IExecException(error.ErrorId,
                $"{error.Message}; whether the market unpublished {target.Describe(kind)} is unknown.", error.Target, failure.InnerException)
            {
                RecommendedAction = "List the order book (Get-IExecAppOrder, Get-IExecWorkerpoolOrder) to see what is still published, then retry.",
            };
        }
        catch (IExecException refused) when (refused.Data["status"] is 401 or 403 && refused.Message == "API error: invalid authorization")
        {
            throw new IExecException(ErrorIds.MarketAuthorizationRefused,
                $"The market at {_display} refused the signed challenge of {signer.Address}; nothing was unpublished.", _display, refused)
            { RecommendedAction = "Retry: each challenge is good for one request. If it fails again, check the chain id of the market." };
        }
        catch (IExecException refused) when (refused.ErrorId == ErrorIds.MarketError && refused.Data["status"] is int status && status is >= 400 and < 500)
        {
            throw new IExecException(ErrorIds.UnpublishRefused,
                $"The market at {_display} refused to unpublish {target.Describe(kind)}: {refused.Message}", target.OrderHash ?? target.Resource?.ToString(), refused)
            {
                RecommendedAction = "Only the signer of an open order can unpublish it: check the order hash or address, the wallet (Get-IExecWallet) and the chain.",
            };
        }
        using (answer)
        {
            var hashes = ReadUnpublished(answer.RootElement, kind, target);
            return hashes;
        }
    }

    private List<string> ReadUnpublished(JsonElement root, OrderKind kind, MarketUnpublishTarget target)
    {
        if (!root.TryGetProperty("unpublished", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new IExecException(ErrorIds.MarketError, "An error occurred while unpublishing order", _display);
        var hashes = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !Hex.IsHex(item.GetString(), 32))
                throw Unconfirmed(kind, target, "an entry that is not an order hash");
            hashes.Add(item.GetString()!.ToLowerInvariant());
        }
        if (target.OrderHash is { } asked && (hashes.Count != 1 || hashes[0] != asked))
            throw Unconfirmed(kind, target, hashes.Count == 0 ? "no order" : string.Join(", ", hashes.Take(5)));
        if (target.Scope == MarketUnpublishScope.Last && hashes.Count != 1)
            throw Unconfirmed(kind, target, $"{hashes.Count} orders");
        return hashes;
    }

    private IExecException Unconfirmed(OrderKind kind, MarketUnpublishTarget target, string what) =>
        new(ErrorIds.UnpublishUnconfirmed,
            $"The market at {_display} was asked to unpublish {target.Describe(kind)} and answered that it unpublished {what}: the unpublish is not confirmed.",
            target.OrderHash ?? target.Resource?.ToString())
        {
            RecommendedAction = "List the order book to see what is still published; to be sure an order can no longer be used, cancel it on chain (Revoke-IExecOrder).",
        };

    // After a lost answer: the order read back by hash is unpublished when the market lists it as anything but open.
    private async Task<bool> IsNoLongerOpenAsync(string book, string orderHash, string chainId, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await GetJsonAsync(book + "/" + orderHash + MarketQuery.Build([new("chainId", chainId)]), cancellationToken).ConfigureAwait(false);
            return document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() != "open";
        }
        catch (IExecException)
        {
            return false;
        }
    }

    private static string BookOf(OrderKind kind) => kind switch
    {
        OrderKind.App => "apporders",
        OrderKind.Dataset => "datasetorders",
        OrderKind.Workerpool => "workerpoolorders",
        _ => "requestorders",
    };

    private static string ResourceMemberOf(OrderKind kind) => kind switch
    {
        OrderKind.App => "app",
        OrderKind.Dataset => "dataset",
        OrderKind.Workerpool => "workerpool",
        _ => "requester",
    };
}

/// <summary>Which published orders an unpublish takes off the market.</summary>
public enum MarketUnpublishScope
{
    /// <summary>One order, by hash (<c>unpublish_orderHash</c>).</summary>
    OrderHash,

    /// <summary>The resource's most recently published open order signed by the wallet (<c>unpublish_last</c>).</summary>
    Last,

    /// <summary>Every open order of the resource signed by the wallet (<c>unpublish_all</c>).</summary>
    All,
}

/// <summary>What to unpublish: one order by hash, or the last or all orders of an app, dataset or workerpool.</summary>
public sealed record MarketUnpublishTarget
{
    private MarketUnpublishTarget(MarketUnpublishScope scope, string? orderHash, EthAddress? resource)
    {
        Scope = scope;
        OrderHash = orderHash;
        Resource = resource;
    }

    /// <summary>By hash, last or all.</summary>
    public MarketUnpublishScope Scope { get; }

    /// <summary>The order hash (lower-case), for <see cref="MarketUnpublishScope.OrderHash"/>.</summary>
    public string? OrderHash { get; }

    /// <summary>The app, dataset or workerpool, for <see cref="MarketUnpublishScope.Last"/> and <see cref="MarketUnpublishScope.All"/>.</summary>
    public EthAddress? Resource { get; }

    /// <summary>The target as the market names it.</summary>
    public string WireName => Scope switch
    {
        MarketUnpublishScope.OrderHash => "unpublish_orderHash",
        MarketUnpublishScope.Last => "unpublish_last",
        _ => "unpublish_all",
    };

    /// <summary>One order by hash (0x + 64 hex digits, else <see cref="ErrorIds.InvalidOrder"/>).</summary>
    public static MarketUnpublishTarget ByHash(string orderHash)
    {
        if (!Hex.IsHex(orderHash, 32))
        {
            throw new IExecException(ErrorIds.InvalidOrder,
                $"{orderHash} is not a valid order hash (0x followed by 64 hex digits)", orderHash);
        }
        return new MarketUnpublishTarget(MarketUnpublishScope.OrderHash, orderHash.ToLowerInvariant(), null);
    }

    /// <summary>The last order (<paramref name="all"/> false) or every order of <paramref name="resource"/>.</summary>
    public static MarketUnpublishTarget OfResource(EthAddress resource, bool all) =>
        new(all ? MarketUnpublishScope.All : MarketUnpublishScope.Last, null, resource);

    /// <summary>For messages: "apporder 0x…", "the last apporder of 0x…", "every apporder of 0x…".</summary>
    public string Describe(OrderKind kind)
    {
        var name = kind.ToString().ToLowerInvariant() + "order";
        return Scope switch
        {
            MarketUnpublishScope.OrderHash => $"{name} {OrderHash}",
            MarketUnpublishScope.Last => $"the last {name} of {Resource} the wallet published",
            _ => $"every {name} of {Resource} the wallet published",
        };
    }
}
