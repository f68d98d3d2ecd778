using System.Management.Automation;
using System.Numerics;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Lists the open workerpool orders of the market (iexecGateway), cheapest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "IExecWorkerpoolOrder")]
[OutputType(typeof(IExecOrder))]
public sealed class GetIExecWorkerpoolOrderCommand : IExecCmdlet
{
    /// <summary>Only orders of this workerpool.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>Only orders of this category.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? Category { get; set; }

    /// <summary>Only orders whose tag has every bit of this tag (e.g. tee,scone).</summary>
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
            var query = new WorkerpoolOrderQuery
            {
                ChainId = 0,
                Workerpool = Workerpool is null ? null : AddressInput.Parse(Workerpool, nameof(Workerpool)),
                Category = Category is null ? null : new BigInteger(Category.Value),
                MinTag = MinTag is null ? null : OrderTag.Parse(string.Join(",", MinTag), allowTeeWithoutFramework: true),
                App = App is null ? null : AddressInput.Parse(App, nameof(App)),
                Requester = Requester is null ? null : AddressInput.Parse(Requester, nameof(Requester)),
                MinTrust = MinTrust,
            };
            var chain = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(Chain);
            using var market = RunCommandSupport.RequireMarket(chain);
            query = query with { ChainId = chain.ChainId };
            while (true)
            {
                WriteVerbose($"GET {market.BaseUrl}{MarketClient.WorkerpoolOrdersPath(query)}");
                var page = Await(market.GetWorkerpoolOrdersAsync(query, CancellationToken));
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
