using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

/// <summary>
/// A dataset order book query (<c>GET /datasetorders</c>) as iexec SDK 8.24 sends it (<c>fetchDatasetOrderbook</c>): the
/// dataset, tags as <c>minTag</c>/<c>maxTag</c>, the app, requester and workerpool filters with their strictness
/// flags, <c>bulkOnly</c>, and paging.
/// </summary>
public sealed record DatasetOrderQuery
{
    /// <summary>The dataset whose orders are listed.</summary>
    public required EthAddress Dataset { get; init; }

    /// <summary>The chain id the orders are for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>Only orders usable with this app (open or restricted to it).</summary>
    public EthAddress? App { get; init; }

    /// <summary>Only orders usable by this requester.</summary>
    public EthAddress? Requester { get; init; }

    /// <summary>Only orders usable on this workerpool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>Every bit of this tag must be in the order's tag; null to omit.</summary>
    public byte[]? MinTag { get; init; }

    /// <summary>The order's tag may have no bit outside this one; null to omit.</summary>
    public byte[]? MaxTag { get; init; }

    /// <summary>True to list only orders restricted to the given app.</summary>
    public bool IsAppStrict { get; init; }

    /// <summary>True to list only orders restricted to the given requester.</summary>
    public bool IsRequesterStrict { get; init; }

    /// <summary>True to list only orders restricted to the given workerpool.</summary>
    public bool IsWorkerpoolStrict { get; init; }

    /// <summary>The page to read, from 0.</summary>
    public int PageIndex { get; init; }

    /// <summary>Orders per page (the SDK asks for 20).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>The query parameters, before alphabetical ordering.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        if (App is { } app) yield return new("app", app.ToString());
        yield return new("bulkOnly", "false");
        yield return new("chainId", ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("dataset", Dataset.ToString());
        yield return new("isAppStrict", MarketQuery.Bool(IsAppStrict));
        yield return new("isRequesterStrict", MarketQuery.Bool(IsRequesterStrict));
        yield return new("isWorkerpoolStrict", MarketQuery.Bool(IsWorkerpoolStrict));
        if (MaxTag is not null) yield return new("maxTag", OrderTag.ToHex(MaxTag));
        if (MinTag is not null) yield return new("minTag", OrderTag.ToHex(MinTag));
        yield return new("pageIndex", MarketQuery.Int(PageIndex));
        yield return new("pageSize", MarketQuery.Int(PageSize));
        if (Requester is { } requester) yield return new("requester", requester.ToString());
        if (Workerpool is { } workerpool) yield return new("workerpool", workerpool.ToString());
    }
}
