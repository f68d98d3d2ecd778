using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets;

/// <summary>
/// What the order book getters (Get-IExecAppOrder, Get-IExecDatasetOrder, Get-IExecWorkerpoolOrder) share: -All, and
/// the read loop over the chain's market API. Each cmdlet declares its own filters, builds its query from them and
/// names its book's path, read and output.
/// </summary>
/// <typeparam name="TQuery">The book's query.</typeparam>
/// <typeparam name="TOrder">The book's order record.</typeparam>
public abstract class GetOrderCommandBase<TQuery, TOrder> : ChainCommandBase
    where TQuery : OrderBookQuery
{
    /// <summary>Reads every page, not only the first.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Queries the order book, page by page with -All.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            // The parameters are checked before the chain is resolved: bad input fails before any file or network read.
            var query = Query();
            var chain = ChainProfile;
            var market = Market;
            query = (TQuery)(query with { ChainId = chain.ChainId });
            while (true)
            {
                WriteVerbose($"GET {PathOf(query)} from {market.DisplayUrl}");
                var page = Await(ReadAsync(market, query, CancellationToken));
                foreach (var order in page.Orders) WriteObject(ToOutput(order));
                foreach (var bad in page.Malformed) WriteWarning($"Skipped a malformed market order {(bad.OrderHash.Length > 0 ? bad.OrderHash : "(no hash)")}: {bad.Reason}.");
                // nextPage is an offset in iexec-market-api; the query pages by index.
                if (!All || page.NextPage is null || page.Orders.Count + page.Malformed.Count == 0) break;
                query = (TQuery)(query with { PageIndex = query.PageIndex + 1 });
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>The query the cmdlet's parameters ask for (chain id 0: set once the chain is resolved).</summary>
    protected abstract TQuery Query();

    /// <summary>The relative URL of <paramref name="query"/>, for -Verbose.</summary>
    protected abstract string PathOf(TQuery query);

    /// <summary>Reads one page of the book.</summary>
    protected abstract Task<MarketPage<TOrder>> ReadAsync(MarketClient market, TQuery query, CancellationToken cancellationToken);

    /// <summary>The output object of one published order.</summary>
    protected abstract IExecOrder ToOutput(PublishedOrder<TOrder> published);

    /// <summary>A tag parameter as the market filters it (a bare <c>tee</c> allowed); null when not given.</summary>
    protected static byte[]? Tag(string[]? names) =>
        names is null ? null : OrderTag.Parse(string.Join(",", names), allowTeeWithoutFramework: true);

    /// <summary>An optional address parameter, parsed; null when not given.</summary>
    protected static Core.Crypto.EthAddress? Address(string? value, string parameterName) =>
        value is null ? null : AddressInput.Parse(value, parameterName);
}
