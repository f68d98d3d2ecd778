using System.Numerics;
using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Commands;

/// <summary>Lists the open workerpool orders the market API (iexecGateway) holds, cheapest first.</summary>
/// <remarks>
/// Queries GET /workerpoolorders of the chain's market API with the SDK's parameters in alphabetical order; minTrust is
/// sent only when above 0. Without -All only the first page is read.
/// </remarks>
/// <example>
/// <code>Get-IExecWorkerpoolOrder -MinTag tee,scone -Category 0</code>
/// <para>Lists the pools offering SCONE in category 0, cheapest first.</para>
/// </example>
/// <example>
/// <code>Get-IExecWorkerpoolOrder -Workerpool 0x0e7B...d4f2 | Select-Object Price, Remaining</code>
/// <para>Shows the prices and remaining volumes of one pool's orders.</para>
/// </example>
/// <input type="System.String">The Workerpool property of piped objects.</input>
/// <output type="IExecSecrets.Output.IExecOrder">
/// One object per order, with OrderHash, Price, Category, Tag and Remaining.
/// </output>
[Cmdlet(VerbsCommon.Get, "IExecWorkerpoolOrder", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecWorkerpoolOrder.md")]
[OutputType(typeof(IExecOrder))]
public sealed class GetIExecWorkerpoolOrderCommand : GetOrderCommandBase<WorkerpoolOrderQuery, WorkerpoolOrder>
{
    /// <summary>Only orders of this workerpool.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>Only orders of this category.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? Category { get; set; }

    /// <summary>Only orders whose tag contains every bit of this tag, e.g. tee,scone.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? MinTag { get; set; }

    /// <summary>Only orders usable with this app.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <summary>Only orders usable by this requester.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Requester { get; set; }

    /// <summary>Only orders with at least this trust.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinTrust { get; set; }

    /// <inheritdoc/>
    protected override WorkerpoolOrderQuery Query() => new()
    {
            ChainId = 0,
            Workerpool = Address(Workerpool, nameof(Workerpool)),
            Category = Category is null ? null : new BigInteger(Category.Value),
            MinTag = Tag(MinTag),
            App = Address(App, nameof(App)),
            Requester = Address(Requester, nameof(Requester)),
            MinTrust = MinTrust,
    };

    /// <inheritdoc/>
    protected override string PathOf(WorkerpoolOrderQuery query) => MarketClient.WorkerpoolOrdersPath(query);

    /// <inheritdoc/>
    protected override Task<MarketPage<WorkerpoolOrder>> ReadAsync(MarketClient market, WorkerpoolOrderQuery query, CancellationToken cancellationToken) =>
        market.GetWorkerpoolOrdersAsync(query, cancellationToken);

    /// <inheritdoc/>
    protected override IExecOrder ToOutput(PublishedOrder<WorkerpoolOrder> published) => IExecOrder.From(published.Order, "Market", null, published);
}
