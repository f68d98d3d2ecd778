using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

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
public sealed class GetIExecAppOrderCommand : GetOrderCommandBase<AppOrderQuery, AppOrder>
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

    /// <inheritdoc/>
    protected override AppOrderQuery Query() => new()
    {
            App = AddressInput.Parse(App, nameof(App)),
            ChainId = 0,
            MinTag = Tag(MinTag),
            MaxTag = Tag(MaxTag),
            Requester = Address(Requester, nameof(Requester)),
            Workerpool = Address(Workerpool, nameof(Workerpool)),
    };

    /// <inheritdoc/>
    protected override string PathOf(AppOrderQuery query) => MarketClient.AppOrdersPath(query);

    /// <inheritdoc/>
    protected override Task<MarketPage<AppOrder>> ReadAsync(MarketClient market, AppOrderQuery query, CancellationToken cancellationToken) =>
        market.GetAppOrdersAsync(query, cancellationToken);

    /// <inheritdoc/>
    protected override IExecOrder ToOutput(PublishedOrder<AppOrder> published) => IExecOrder.From(published.Order, "Market", null, published);
}
