namespace IExecSecrets.Core.Market;

/// <summary>One order of a market order book: the signed order and what the market knows about it.</summary>
/// <typeparam name="TOrder">AppOrder, DatasetOrder or WorkerpoolOrder.</typeparam>
/// <param name="Order">The signed order, ready for <c>matchOrders</c>.</param>
/// <param name="OrderHash">The EIP-712 order hash the market reports, lower-case hex.</param>
/// <param name="Remaining">The volume not yet consumed, as the market last saw it.</param>
/// <param name="Status">The market status, <c>open</c> for listed orders.</param>
/// <param name="Signer">The address that signed the order.</param>
/// <param name="PublicationTimestamp">When the order was published.</param>
public sealed record PublishedOrder<TOrder>(TOrder Order, string OrderHash, System.Numerics.BigInteger Remaining, string Status, EthAddress? Signer, DateTimeOffset? PublicationTimestamp);

/// <summary>
/// A page of an order book: <see cref="Count"/> orders in all, <see cref="NextPage"/> null on the last page. Entries the
/// market answered in a shape no order can have are in <see cref="Malformed"/>, each with its reason, instead of
/// failing the whole page: one bad entry must not hide the good ones after it.
/// </summary>
/// <typeparam name="TOrder">AppOrder, DatasetOrder or WorkerpoolOrder.</typeparam>
/// <param name="Count">How many orders match the query in all, as the market says.</param>
/// <param name="NextPage">The next page as the market announces it (an offset), or null when this is the last page.</param>
/// <param name="Orders">This page's well-formed orders, in the market's order (cheapest first).</param>
/// <param name="Malformed">This page's malformed entries, in the market's order; null or empty when there are none.</param>
public sealed record MarketPage<TOrder>(int Count, int? NextPage, IReadOnlyList<PublishedOrder<TOrder>> Orders, IReadOnlyList<MalformedOrder>? Malformed = null)
{
    /// <summary>The malformed entries (never null).</summary>
    public IReadOnlyList<MalformedOrder> Malformed { get; init; } = Malformed ?? [];
}

/// <summary>An order book entry that is not an order: a 64-hex address, a negative or 2^256-sized volume, a float price…</summary>
/// <param name="OrderHash">The entry's orderHash when it is a 32-byte hex string (lower case), else an empty string.</param>
/// <param name="Reason">Why it is not an order, in this module's words (the market's text is never repeated).</param>
public sealed record MalformedOrder(string OrderHash, string Reason);
