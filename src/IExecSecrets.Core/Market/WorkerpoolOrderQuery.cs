using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

/// <summary>
/// A workerpool order book query (<c>GET /workerpoolorders</c>) as iexec SDK 8.24 sends it: a category, a
/// <c>minTag</c> the pool must offer, <c>minTrust</c> only when above 0, strictness flags and paging.
/// </summary>
public sealed record WorkerpoolOrderQuery
{
    /// <summary>The chain id the orders are for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The category (maximum run time class); null to list every category.</summary>
    public BigInteger? Category { get; init; }

    /// <summary>Only orders usable with this app.</summary>
    public EthAddress? App { get; init; }

    /// <summary>Only orders usable with this dataset.</summary>
    public EthAddress? Dataset { get; init; }

    /// <summary>Only orders usable by this requester.</summary>
    public EthAddress? Requester { get; init; }

    /// <summary>Only orders of this workerpool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>Every bit of this tag must be in the order's tag; null to omit.</summary>
    public byte[]? MinTag { get; init; }

    /// <summary>Only orders whose trust is at least this; sent only when above 0.</summary>
    public BigInteger MinTrust { get; init; }

    /// <summary>True to list only orders restricted to the given app.</summary>
    public bool IsAppStrict { get; init; }

    /// <summary>True to list only orders restricted to the given dataset.</summary>
    public bool IsDatasetStrict { get; init; }

    /// <summary>True to list only orders restricted to the given requester.</summary>
    public bool IsRequesterStrict { get; init; }

    /// <summary>The page to read, from 0.</summary>
    public int PageIndex { get; init; }

    /// <summary>Orders per page (10 to 1000; the SDK asks for 20).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>The query parameters, before alphabetical ordering.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        if (App is { } app) yield return new("app", app.ToString());
        if (Category is { } category) yield return new("category", category.ToString(CultureInfo.InvariantCulture));
        yield return new("chainId", ChainId.ToString(CultureInfo.InvariantCulture));
        if (Dataset is { } dataset) yield return new("dataset", dataset.ToString());
        yield return new("isAppStrict", MarketQuery.Bool(IsAppStrict));
        yield return new("isDatasetStrict", MarketQuery.Bool(IsDatasetStrict));
        yield return new("isRequesterStrict", MarketQuery.Bool(IsRequesterStrict));
        if (MinTag is not null) yield return new("minTag", OrderTag.ToHex(MinTag));
        if (MinTrust > 0) yield return new("minTrust", MinTrust.ToString(CultureInfo.InvariantCulture));
        yield return new("pageIndex", MarketQuery.Int(PageIndex));
        yield return new("pageSize", MarketQuery.Int(PageSize));
        if (Requester is { } requester) yield return new("requester", requester.ToString());
        if (Workerpool is { } workerpool) yield return new("workerpool", workerpool.ToString());
    }
}
