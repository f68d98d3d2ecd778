using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>Lists the open app orders the market API (iexecGateway) holds for an app, cheapest first.</summary>
/// <remarks>
/// Queries GET /apporders of the chain's market API with the SDK's parameters in alphabetical order. Tags filter as
/// minTag (every bit must be in the order tag) and maxTag (no bit outside it). Without -All only the first page (20
/// orders) is read.
/// </remarks>
/// <example>
/// <code>Get-IExecAppOrder -App 0x7b39...f190 -MinTag tee,scone</code>
/// <para>Lists the SCONE app orders of the app.</para>
/// </example>
/// <example>
/// <code>Get-IExecApp | Get-IExecAppOrder -All | Measure-Object</code>
/// <para>Counts every open order of the app recorded in deployed.json.</para>
/// </example>
/// <input type="System.String">The Address/App property of piped apps.</input>
/// <output type="IExecSecrets.Output.IExecOrder">
/// One object per order, with OrderHash, Price, Volume, Remaining, Tag and Signer.
/// </output>
[Cmdlet(VerbsCommon.Get, "IExecAppOrder", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecAppOrder.md")]
[OutputType(typeof(IExecOrder))]
public sealed class GetIExecAppOrderCommand : ChainCommandBase
{
    /// <summary>The app address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string App { get; set; } = string.Empty;

    /// <summary>Only orders whose tag contains every bit of this tag, e.g. tee,scone.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? MinTag { get; set; }

    /// <summary>Only orders whose tag has no bit outside this tag.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? MaxTag { get; set; }

    /// <summary>Only orders usable by this requester.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Requester { get; set; }

    /// <summary>Only orders usable on this workerpool.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>Reads every page, not only the first.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Queries the order book, page by page with -All.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var query = new AppOrderQuery
            {
                App = AddressInput.Parse(App, nameof(App)),
                ChainId = 0,
                MinTag = MinTag is null ? null : OrderTag.Parse(string.Join(",", MinTag), allowTeeWithoutFramework: true),
                MaxTag = MaxTag is null ? null : OrderTag.Parse(string.Join(",", MaxTag), allowTeeWithoutFramework: true),
                Requester = Requester is null ? null : AddressInput.Parse(Requester, nameof(Requester)),
                Workerpool = Workerpool is null ? null : AddressInput.Parse(Workerpool, nameof(Workerpool)),
            };
            var chain = ChainProfile;
            var market = Market;
            query = query with { ChainId = chain.ChainId };
            while (true)
            {
                WriteVerbose($"GET {MarketClient.AppOrdersPath(query)} from {market.DisplayUrl}");
                var page = Await(market.GetAppOrdersAsync(query, CancellationToken));
                foreach (var order in page.Orders) WriteObject(IExecOrder.From(order.Order, "Market", null, order));
                foreach (var bad in page.Malformed) WriteWarning($"Skipped a malformed market order {(bad.OrderHash.Length > 0 ? bad.OrderHash : "(no hash)")}: {bad.Reason}.");
                // nextPage is an offset in iexec-market-api; the query pages by index.
                if (!All || page.NextPage is null || page.Orders.Count + page.Malformed.Count == 0) break;
                query = query with { PageIndex = query.PageIndex + 1 };
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
