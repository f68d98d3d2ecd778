using IExecSecrets.Core.Crypto;

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

/// <summary>A page of an order book: <see cref="Count"/> orders in all, <see cref="NextPage"/> null on the last page.</summary>
/// <typeparam name="TOrder">AppOrder, DatasetOrder or WorkerpoolOrder.</typeparam>
/// <param name="Count">How many orders match the query in all.</param>
/// <param name="NextPage">The next page index, or null when this is the last page.</param>
/// <param name="Orders">This page's orders, cheapest first.</param>
public sealed record MarketPage<TOrder>(int Count, int? NextPage, IReadOnlyList<PublishedOrder<TOrder>> Orders);
