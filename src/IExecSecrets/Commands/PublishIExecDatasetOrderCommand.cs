using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;
using IExecSecrets.Core.Sms;

namespace IExecSecrets.Commands;

/// <summary>Signs a dataset order with the connected wallet and publishes it on the market API.</summary>
/// <remarks>
/// <para>Builds a dataset order like iexec dataset publish (price, volume, tag, app, workerpool and requester
/// restrictions, a random salt) and checks, before signing anything, that the dataset is registered on the chain
/// (DatasetNotDeployed) and owned by the connected wallet (DatasetNotOwned: only the owner's signature is accepted by
/// matchOrders and by careful requesters). For a TEE tag the SDK's preflight runs too: the dataset's key must be on the
/// SMS of the tag's framework (DatasetSecretMissing, unless -SkipPreflightCheck), since the workers' pre-compute could
/// not decrypt the dataset without it. On a TDX chain tee,tdx is added to the tag as iExec SDK 9 does.</para>
/// <para>It then publishes through the same market code as Publish-IExecAppOrder: the hub's EIP-712 domain must carry the
/// profile's chain id and hub (HubDomainMismatch), the order is signed, only the market's own login challenge is
/// signed (InvalidMarketChallenge otherwise), a refused authorization fails MarketAuthorizationRefused, and a post
/// whose fate is unknown is looked up by hash instead of being posted again. Revoke-IExecOrder cancels it on chain.</para>
/// </remarks>
/// <example>
/// <code>Publish-IExecDatasetOrder -Dataset $dataset -Tag tee,scone -AppRestrict $app -Volume 100</code>
/// <para>Publishes a free SCONE order of 100 runs of the dataset, usable only by that app.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecDataset -Name data -Multiaddr $url -Checksum $sum | Publish-IExecDatasetOrder -Price 1000 -RequesterRestrict 0xFCAd...377c -WhatIf</code>
/// <para>Shows what would be published for the new dataset, restricted to one requester, without signing or sending anything.</para>
/// </example>
/// <input type="System.String">The Address property of piped datasets.</input>
/// <output type="IExecSecrets.Output.IExecOrder">The signed order with the OrderHash the market returned.</output>
[Cmdlet(VerbsData.Publish, "IExecDatasetOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Publish-IExecDatasetOrder.md")]
[OutputType(typeof(IExecOrder))]
public sealed class PublishIExecDatasetOrderCommand : ChainCommandBase
{
    /// <summary>The dataset address. Default: the dataset recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedDatasetCompleter))]
    public string? Dataset { get; set; }

    /// <summary>The price per task in nRLC; 0 by default.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Price { get; set; }

    /// <summary>How many tasks the order may serve; 1 by default.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Volume { get; set; } = 1;

    /// <summary>The order tag, e.g. tee,scone; on a TDX chain tee,tdx is added and scone/gramine refused.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? Tag { get; set; }

    /// <summary>Only this app may use the dataset (for a confidential dataset, the app you trust with it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppRestrict { get; set; }

    /// <summary>Only this workerpool may run tasks with the dataset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkerpoolRestrict { get; set; }

    /// <summary>Only this requester may use the order.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RequesterRestrict { get; set; }

    /// <summary>Skips the check that the dataset's key is on the SMS for a TEE tag.</summary>
    [Parameter]
    public SwitchParameter SkipPreflightCheck { get; set; }

    /// <summary>
    /// Builds and validates the order, checks the dataset on chain and its key on the SMS, reads the hub's domain,
    /// confirms, signs the order and the market's login challenge, and publishes.
    /// </summary>
    protected override void ProcessRecord()
    {
        try
        {
            var chain = ChainProfile;
            var dataset = DeployedApps.GivenOrDeployedDataset(Dataset, nameof(Dataset), CurrentDirectory, () => chain.ChainId);
            var order = new DatasetOrder
            {
                Dataset = dataset,
                DatasetPrice = Price,
                Volume = Volume,
                Tag = RunCommandSupport.ParseTag(Tag, allowTeeWithoutFramework: false),
                AppRestrict = AppRestrict is null ? default : AddressInput.Parse(AppRestrict, nameof(AppRestrict)),
                WorkerpoolRestrict = WorkerpoolRestrict is null ? default : AddressInput.Parse(WorkerpoolRestrict, nameof(WorkerpoolRestrict)),
                RequesterRestrict = RequesterRestrict is null ? default : AddressInput.Parse(RequesterRestrict, nameof(RequesterRestrict)),
                Salt = OrderSalt.New(),
            };
            if (RunTags.DefaultsToTdx(chain))
            {
                // iexec SDK 9.0.1 signs every order with tee+tdx added and refuses scone/gramine.
                order = order with { Tag = RunTags.ForTdxChain(order.Tag, chain, "dataset order") };
            }
            var wallet = WalletSession.Require();
            var market = Market;
            var info = Await(new DatasetReader(Rpc, chain).ReadAsync(dataset, CancellationToken));
            if (info.Owner != wallet.Address)
            {
                throw new IExecException(ErrorIds.DatasetNotOwned,
                    $"Dataset {dataset} is owned on chain by {info.Owner}, not by the connected wallet {wallet.Address}: an order it signs would be refused.", dataset.ToString())
                { RecommendedAction = "Connect the dataset owner's wallet (Connect-IExecWallet) to publish its orders." };
            }
            if (!SkipPreflightCheck && (order.Tag[31] & 1) != 0) CheckDatasetKey(chain, dataset, order.Tag);

            var domain = Await(new PoCoHub(Rpc, chain.Hub!.Value).RequireDomainAsync(chain.ChainId, chain.Name, CancellationToken));
            if (!ShouldProcess($"dataset order for {dataset} ({Price} nRLC × {Volume}, tag {IExecOrder.Names(order.Tag)}) on {market.DisplayUrl}", "Sign and publish dataset order"))
            {
                return;
            }
            var signed = order.SignWith(wallet.Signer, domain);
            var hash = Hex.Encode(signed.Hash(domain));
            var published = Await(market.PublishDatasetOrderAsync(signed, chain.ChainId, wallet.Signer, hash, CancellationToken));
            WriteObject(IExecOrder.From(signed, "Self", published));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    // The SDK's checkDatasetRequirements: a TEE order of a dataset whose key the SMS lacks could never be decrypted.
    private void CheckDatasetKey(ChainProfile chain, EthAddress dataset, byte[] tag)
    {
        var framework = RunTags.FrameworkOfTag(tag) ?? Saved.TeeFramework ?? ChainResolver.ResolveTeeFramework(chain);
        var url = ChainResolver.ResolveSmsUrl(chain, framework);
        using var lease = SmsClientCache.Shared.Acquire(url, AllowInsecureHttp, new SmsClientOptions().RequestTimeout);
        if (!Await(lease.Client.Web3SecretExistsAsync(dataset, CancellationToken)))
        {
            throw new IExecException(ErrorIds.DatasetSecretMissing,
                $"Dataset encryption key is not set for dataset {dataset} in the SMS. Dataset decryption will fail. "
                + "(If you consider this is not an issue, use -SkipPreflightCheck to skip preflight requirement check)", dataset.ToString())
            {
                RecommendedAction = $"Push the key first: Push-IExecDatasetSecret {dataset} -Vault <vault> -VaultSecretName <key name> (to the {framework.ToWireName()} SMS {lease.Client.DisplayUrl}).",
            };
        }
    }
}
