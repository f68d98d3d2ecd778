using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets;

/// <summary>
/// Unpublish-IExecAppOrder, Unpublish-IExecDatasetOrder and Unpublish-IExecWorkerpoolOrder: one code path, the
/// market's PUT /&lt;kind&gt;s behind its login challenge (<see cref="MarketClient.UnpublishAsync"/>), by order hash or
/// for the last or every order of a resource.
/// </summary>
public abstract class UnpublishOrderCommandBase : ChainCommandBase
{
    /// <summary>The parameter set of -OrderHash.</summary>
    protected const string HashParameterSet = "OrderHash";

    /// <summary>The parameter set of the resource parameter (-App, -Dataset, -Workerpool) and -All.</summary>
    protected const string ResourceParameterSet = "Resource";

    /// <summary>The order hash (0x + 64 hex digits) of a published order; binds OrderHash of piped orders.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = HashParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] OrderHash { get; set; } = [];

    /// <summary>
    /// With the resource: every open order of it the wallet published (iexec … unpublish --all). Without -All, only the
    /// last one published (iexec … unpublish).
    /// </summary>
    [Parameter(ParameterSetName = ResourceParameterSet)]
    public SwitchParameter All { get; set; }

    /// <summary>The order book: App, Dataset or Workerpool.</summary>
    private protected abstract OrderKind Kind { get; }

    /// <summary>The resource parameter's text (null in the hash set) and its name.</summary>
    private protected abstract (string? Text, string Name) Resource { get; }

    /// <summary>Unpublishes each hash, or the resource's last or every order.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == HashParameterSet)
        {
            foreach (var hash in OrderHash)
            {
                try
                {
                    Unpublish(MarketUnpublishTarget.ByHash(hash));
                }
                catch (IExecException ex) when (ex.ErrorId is ErrorIds.InvalidOrder or ErrorIds.UnpublishRefused or ErrorIds.UnpublishUnconfirmed)
                {
                    // this order's own trouble: the next one may be fine
                    WriteIExecError(ex);
                }
                catch (IExecException ex)
                {
                    ThrowIExecError(ex);
                }
            }
            return;
        }
        try
        {
            var (text, name) = Resource;
            Unpublish(MarketUnpublishTarget.OfResource(AddressInput.Parse(text, name), All));
        }
        catch (IExecException ex) when (ex.ErrorId is ErrorIds.InvalidAddress or ErrorIds.UnpublishRefused or ErrorIds.UnpublishUnconfirmed)
        {
            WriteIExecError(ex);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private void Unpublish(MarketUnpublishTarget target)
    {
        var chain = ChainProfile;
        var wallet = WalletSession.Current ?? WalletSession.Require();
        var market = Market;
        var description = $"{target.Describe(Kind)} (signed by {wallet.Address}) on the market {market.DisplayUrl} of {chain.Name} (chain {chain.ChainId}); "
            + "the order stays valid on chain for whoever holds it (Revoke-IExecOrder closes it)";
        if (!ShouldProcess(description, "Unpublish from the market (sign the market's login challenge)")) return;
        var hashes = Await(market.UnpublishAsync(Kind, target, chain.ChainId, wallet.Signer, CancellationToken));
        WriteVerbose($"The market at {market.DisplayUrl} unpublished {hashes.Count} {Kind.ToString().ToLowerInvariant()}order(s).");
        foreach (var hash in hashes)
        {
            WriteObject(new IExecOrderUnpublication
            {
                Kind = Kind.ToString().ToLowerInvariant() + "order",
                OrderHash = hash,
                Resource = target.Resource?.ToString(),
                Market = market.DisplayUrl,
                Chain = chain.Name,
                ChainId = chain.ChainId,
            });
        }
    }
}
