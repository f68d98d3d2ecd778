using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Commands;

/// <summary>Lists the open dataset orders the market API (iexecGateway) holds for a dataset.</summary>
/// <remarks>
/// Queries GET /datasetorders of the chain's market API with the SDK's parameters in alphabetical order (bulkOnly false).
/// Tags filter as minTag (every bit must be in the order tag) and maxTag (no bit outside it); -App, -Requester and
/// -Workerpool keep the orders open to them (or restricted to them). Without -All only the first page (20 orders) is
/// read. What the market lists is not vetted here: Invoke-IExecApp -Dataset checks each order it uses (owner signature,
/// restrictions, price, tag, volume on chain).
/// </remarks>
/// <example>
/// <code>Get-IExecDatasetOrder -Dataset $dataset -App $app -MinTag tee,scone</code>
/// <para>Lists the SCONE orders of the dataset usable with the app.</para>
/// </example>
/// <example>
/// <code>Get-IExecDataset | Get-IExecDatasetOrder -All | Measure-Object</code>
/// <para>Counts every open order of the dataset recorded in deployed.json.</para>
/// </example>
/// <input type="System.String">The Address/Dataset property of piped datasets.</input>
/// <output type="IExecSecrets.Output.IExecOrder">One object per order, with OrderHash, Price, Volume, Remaining, Tag, AppRestrict and Signer.</output>
[Cmdlet(VerbsCommon.Get, "IExecDatasetOrder", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecDatasetOrder.md")]
[OutputType(typeof(IExecOrder))]
public sealed class GetIExecDatasetOrderCommand : GetOrderCommandBase<DatasetOrderQuery, DatasetOrder>
{
    /// <summary>The dataset address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedDatasetCompleter))]
    public string Dataset { get; set; } = string.Empty;

    /// <summary>Only orders usable with this app.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? App { get; set; }

    /// <summary>Only orders usable by this requester.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Requester { get; set; }

    /// <summary>Only orders usable on this workerpool.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>Only orders whose tag contains every bit of this tag, e.g. tee,scone.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? MinTag { get; set; }

    /// <summary>Only orders whose tag has no bit outside this tag.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? MaxTag { get; set; }

    /// <inheritdoc/>
    protected override DatasetOrderQuery Query() => new()
    {
            Dataset = AddressInput.Parse(Dataset, nameof(Dataset)),
            ChainId = 0,
            App = Address(App, nameof(App)),
            Requester = Address(Requester, nameof(Requester)),
            Workerpool = Address(Workerpool, nameof(Workerpool)),
            MinTag = Tag(MinTag),
            MaxTag = Tag(MaxTag),
    };

    /// <inheritdoc/>
    protected override string PathOf(DatasetOrderQuery query) => MarketClient.DatasetOrdersPath(query);

    /// <inheritdoc/>
    protected override Task<MarketPage<DatasetOrder>> ReadAsync(MarketClient market, DatasetOrderQuery query, CancellationToken cancellationToken) =>
        market.GetDatasetOrdersAsync(query, cancellationToken);

    /// <inheritdoc/>
    protected override IExecOrder ToOutput(PublishedOrder<DatasetOrder> published) => IExecOrder.From(published.Order, "Market", null, published);
}
