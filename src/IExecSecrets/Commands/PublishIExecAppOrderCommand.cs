using System.Numerics;
using IExecSecrets.Completers;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>Signs an app order with the connected wallet and publishes it on the market API.</summary>
/// <remarks>
/// <para>Builds an app order (price, volume, tag, restrictions and a random salt), reads the EIP-712 domain from
/// the hub, checks that it carries the profile's chain id and hub address (HubDomainMismatch otherwise), signs
/// the order with the connected wallet (which must own the app for matchOrders to accept it), then signs the
/// market's login challenge and posts the order with the authorization header hash_signature_address, as
/// iexec-market-api expects. Only the market's own challenge is ever signed (EIP-712 primary type Challenge with
/// one string member, domain "iExec Gateway" version 1 and the profile's chain id); any other typed data the
/// market sends is refused with InvalidMarketChallenge before signing, and a refused authorization fails with
/// MarketAuthorizationRefused. If the post fails without a clear answer, the order is looked up by hash instead
/// of being posted again.</para>
/// </remarks>
/// <example>
/// <code>Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 100</code>
/// <para>Publishes a free SCONE order for 100 runs of the app.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecApp | Publish-IExecAppOrder -Price 10 -RequesterRestrict 0xFCAd...377c -WhatIf</code>
/// <para>Shows what would be published for the newly deployed app, restricted to one requester, without signing
/// or sending anything.</para>
/// </example>
/// <input type="System.String">The Address property of piped apps.</input>
/// <output type="IExecSecrets.Output.IExecOrder">The signed order with the OrderHash the market
/// returned.</output>
[Cmdlet(VerbsData.Publish, "IExecAppOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Publish-IExecAppOrder.md")]
[OutputType(typeof(IExecOrder))]
public sealed class PublishIExecAppOrderCommand : ChainCommandBase
{
    /// <summary>The app address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string App { get; set; } = string.Empty;

    /// <summary>The price per task in nRLC; 0 by default.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Price { get; set; }

    /// <summary>How many tasks the order may serve; 1 by default.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Volume { get; set; } = 1;

    /// <summary>The order tag, e.g. tee,scone; on a TDX chain tee,tdx is added (as iExec SDK 9 does) and scone/gramine refused.</summary>
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

    /// <summary>
    /// Builds and validates the order, reads the hub's domain (which must be the profile's chain id and hub), confirms,
    /// signs the order, signs the market's login challenge (only iexec-market-api's own) and publishes.
    /// </summary>
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
            var chain = ChainProfile;
            if (RunTags.DefaultsToTdx(chain))
            {
                // iexec SDK 9.0.1 signs every app order with tee+tdx added and refuses scone/gramine.
                order = order with { Tag = RunTags.ForTdxChain(order.Tag, chain, "app order") };
            }
            var wallet = WalletSession.Require();
            var market = Market;
            var domain = Await(new PoCoHub(Rpc, chain.Hub!.Value).RequireDomainAsync(chain.ChainId, chain.Name, CancellationToken));
            if (!ShouldProcess($"app order for {order.App} ({Price} nRLC × {Volume}) on {market.DisplayUrl}", "Sign and publish app order"))
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
