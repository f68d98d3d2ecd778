using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Lists the open app orders of the market (iexecGateway) for an app, cheapest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "IExecAppOrder")]
[OutputType(typeof(IExecOrder))]
public sealed class GetIExecAppOrderCommand : IExecCmdlet
{
    /// <summary>The app address; binds Address/App of piped apps.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string App { get; set; } = string.Empty;

    /// <summary>Only orders whose tag has every bit of this tag (e.g. tee,scone).</summary>
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

    /// <summary>Reads every page instead of the first.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>The chain: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

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
            var chain = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(Chain);
            using var market = RunCommandSupport.RequireMarket(chain);
            query = query with { ChainId = chain.ChainId };
            while (true)
            {
                WriteVerbose($"GET {market.BaseUrl}{MarketClient.AppOrdersPath(query)}");
                var page = Await(market.GetAppOrdersAsync(query, CancellationToken));
                foreach (var order in page.Orders) WriteObject(IExecOrder.From(order.Order, "Market", null, order));
                if (!All || page.NextPage is not { } next) break;
                query = query with { PageIndex = next };
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
