using System.Management.Automation;
using System.Numerics;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.Poco;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Signs an app order with the connected wallet (the app owner) and publishes it on the market.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "IExecAppOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecOrder))]
public sealed class PublishIExecAppOrderCommand : IExecCmdlet
{
    /// <summary>The app address; binds Address of piped apps (Deploy-IExecApp, Get-IExecApp).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string App { get; set; } = string.Empty;

    /// <summary>The price per task in nRLC (0 by default).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Price { get; set; }

    /// <summary>How many tasks the order may serve (1 by default).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Volume { get; set; } = 1;

    /// <summary>The order tag, e.g. tee,scone.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? Tag { get; set; }

    /// <summary>Only this requester may use the order.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RequesterRestrict { get; set; }

    /// <summary>Only this workerpool may run the order.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkerpoolRestrict { get; set; }

    /// <summary>Only this dataset may be used with the order.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatasetRestrict { get; set; }

    /// <summary>The chain: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>Builds and validates the order, reads the hub's domain, confirms, signs and publishes.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var order = new AppOrder
            {
                App = AddressInput.Parse(App, nameof(App)),
                AppPrice = Price,
                Volume = Volume,
                Tag = RunCommandSupport.ParseTag(Tag, allowTeeWithoutFramework: false),
                RequesterRestrict = RequesterRestrict is null ? default : AddressInput.Parse(RequesterRestrict, nameof(RequesterRestrict)),
                WorkerpoolRestrict = WorkerpoolRestrict is null ? default : AddressInput.Parse(WorkerpoolRestrict, nameof(WorkerpoolRestrict)),
                DatasetRestrict = DatasetRestrict is null ? default : AddressInput.Parse(DatasetRestrict, nameof(DatasetRestrict)),
                Salt = OrderSalt.New(),
            };
            var chain = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(Chain);
            var wallet = WalletSession.Require();
            using var market = RunCommandSupport.RequireMarket(chain);
            using var rpc = ChainRpc.Connect(chain);
            var hub = new PocoHub(rpc, chain.Hub!.Value);
            var pocoDomain = Await(hub.DomainAsync(CancellationToken));
            var domain = new Eip712Domain(pocoDomain.Name, pocoDomain.Version, pocoDomain.ChainId, pocoDomain.VerifyingContract);
            if (!ShouldProcess($"app order for {order.App} ({Price} nRLC × {Volume}) on {market.BaseUrl}", "Sign and publish app order"))
            {
                return;
            }
            var signed = order.SignWith(wallet.Signer, domain);
            var hash = Hex.Encode(signed.Hash(domain));
            var published = Await(market.PublishAppOrderAsync(signed, chain.ChainId, wallet.Signer, hash, CancellationToken));
            WriteObject(IExecOrder.From(signed, "Self", published));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
