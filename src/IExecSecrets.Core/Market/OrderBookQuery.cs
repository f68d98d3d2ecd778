using System.Globalization;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

/// <summary>
/// What every order book query of iexec SDK 8.24 sends (<c>GET /apporders</c>, <c>/datasetorders</c>,
/// <c>/workerpoolorders</c>): the chain, the requester filter and its strictness flag, the tag the order must offer, and
/// paging. Each book adds its own filters in <see cref="BookParameters"/>.
/// </summary>
public abstract record OrderBookQuery
{
    /// <summary>The chain id the orders are for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>Only orders usable by this requester (open or restricted to it).</summary>
    public EthAddress? Requester { get; init; }

    /// <summary>Every bit of this tag must be in the order's tag; null to omit.</summary>
    public byte[]? MinTag { get; init; }

    /// <summary>True to list only orders restricted to the given requester.</summary>
    public bool IsRequesterStrict { get; init; }

    /// <summary>The page to read, from 0.</summary>
    public int PageIndex { get; init; }

    /// <summary>Orders per page (the market accepts 10 to 1000; the SDK asks for 20).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>The query parameters, before alphabetical ordering (<see cref="MarketQuery.Build"/> sorts them).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        yield return new("chainId", ChainId.ToString(CultureInfo.InvariantCulture));
        yield return new("isRequesterStrict", MarketQuery.Bool(IsRequesterStrict));
        if (MinTag is not null) yield return new("minTag", OrderTag.ToHex(MinTag));
        yield return new("pageIndex", MarketQuery.Int(PageIndex));
        yield return new("pageSize", MarketQuery.Int(PageSize));
        if (Requester is { } requester) yield return new("requester", requester.ToString());
        foreach (var parameter in BookParameters())
        {
            yield return parameter;
        }
    }

    /// <summary>The parameters only this book's query sends.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> BookParameters();

    /// <summary>An address filter, omitted when null.</summary>
    protected static IEnumerable<KeyValuePair<string, string>> Optional(string key, EthAddress? address) =>
        address is { } value ? [new(key, value.ToString())] : [];
}
