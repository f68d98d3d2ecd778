using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>
/// Deploys an iExec dataset from iexec.json, or from parameters, proves it on chain and records its address in
/// deployed.json.
/// </summary>
/// <remarks>
/// <para>Validates the dataset like iexec dataset deploy 8.24 (owner address, name, multiaddr, bytes32 checksum) and
/// fails with InvalidDatasetDefinition before any network call. The multiaddr says where workers download the encrypted
/// file: an https URL (stored as its UTF-8 bytes) or an /ipfs/ path (stored as binary multiaddr); the checksum is the
/// SHA-256 of that encrypted file (Protect-IExecDataset outputs it, and the worker refuses a file that does not match).</para>
/// <para>Deploys are proven exactly as Deploy-IExecApp proves apps: the owner must be the connected wallet
/// (ForeignDatasetOwner before any network call, unless -Owner names that same owner on purpose); the address is
/// computed locally (CREATE2, as PoCo's registry does) and must equal the registry's predictDataset (else
/// DatasetDeploymentUnverified); a dataset already at that address fails DatasetAlreadyDeployed before any transaction;
/// after createDataset the receipt's address must be the computed one, the registry must know it and its owner(),
/// name, multiaddr and checksum must be what was sent, else DatasetDeploymentUnverified and deployed.json is left as it
/// was. Only then is {"dataset":{"&lt;chainId&gt;":"&lt;address&gt;"}} recorded in deployed.json.</para>
/// <para>The transaction's fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's
/// maxFeePerGas, else the chain's built-in cap) and its gas bounded by what createDataset can need; the -WhatIf and
/// -Confirm text shows the worst-case cost. With -WhatIf nothing is signed or sent and the predicted dataset is written
/// (IsPrediction True).</para>
/// </remarks>
/// <example>
/// <code>Deploy-IExecDataset -Name coefficients -Multiaddr https://example.com/coefficients.json.enc -Checksum 0x5d4f...a1b2</code>
/// <para>Deploys the dataset whose encrypted file is served at that URL and records it in ./deployed.json.</para>
/// </example>
/// <example>
/// <code>Protect-IExecDataset ./data.csv -Vault MyVault -VaultSecretName data-key | Deploy-IExecDataset -Name data -Multiaddr /ipfs/QmW2WQi7j6c7UgJTarActp7tDNikE4B2qXtFCfLPdsgaTQ -WhatIf</code>
/// <para>Shows the address the dataset would get, its checksum taken from the piped encrypted file.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecDataset -Chain bellecour</code>
/// <para>Deploys the dataset section of ./iexec.json.</para>
/// </example>
/// <input type="System.String">The Checksum (and Name, Multiaddr) properties of piped objects such as Protect-IExecDataset's output.</input>
/// <output type="IExecSecrets.Output.IExecDataset">The new dataset: address, transaction hash (TxHash) and deployed fields.</output>
// "Deploy" is an approved verb, but PowerShellStandard.Library 5.1 predates its VerbsLifecycle constant
[Cmdlet("Deploy", "IExecDataset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ProjectParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Deploy-IExecDataset.md")]
[OutputType(typeof(IExecDataset))]
public sealed class DeployIExecDatasetCommand : ChainCommandBase
{
    private const string ProjectParameterSet = "Project";
    private const string ParametersParameterSet = "Parameters";

    /// <summary>The project folder holding iexec.json, chain.json and deployed.json. Default: the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The dataset name. Giving it deploys from parameters instead of the dataset section of iexec.json.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Where workers download the encrypted file: an https URL, or an /ipfs/ path.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Multiaddr { get; set; } = string.Empty;

    /// <summary>The SHA-256 of the encrypted file, 0x and 64 hex digits; binds Checksum of piped Protect-IExecDataset output.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^0[xX][0-9a-fA-F]{64}$")]
    public string Checksum { get; set; } = string.Empty;

    /// <summary>
    /// The dataset owner. Default: the connected wallet. With iexec.json, the owner it names must be the connected wallet
    /// unless this parameter names that same owner.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>
    /// The most the transaction may pay per gas: a number of wei, or a number with a unit (2 gwei, 0.5 gwei). Default:
    /// the saved default, else chain.json's maxFeePerGas, else the chain's built-in cap.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    /// <summary>Validates, predicts the address, asks for confirmation, deploys, proves and records one dataset per input.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var directory = Path is null ? CurrentDirectory : GetUnresolvedProviderPathFromPSPath(Path);
            var chain = ChainFor(Chain, directory);
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var flag) && flag is SwitchParameter { IsPresent: true };
            var wallet = whatIf ? WalletSession.Current : WalletSession.Require();
            var named = Owner is null ? (Core.Crypto.EthAddress?)null : AddressInput.Parse(Owner, nameof(Owner));
            var fromProject = ParameterSetName != ParametersParameterSet;
            var dataset = fromProject
                ? ProjectFiles.ReadDatasetDefinition(directory)
                : DatasetDescriptor.Create(named?.ToString() ?? wallet?.Address.ToString() ?? WalletSession.Require().Address.ToString(), Name, Multiaddr, Checksum);
            // Who owns what the wallet pays for is the user's call, not the folder's (checked before any network call).
            if (wallet is not null) DatasetDeployer.CheckOwner(dataset, wallet.Address, named, fromProject ? $"iexec.json in {directory}" : "-Owner");
            var feeCap = FeeCapSetting.Resolve(this, chain, MaxFeePerGas);

            var deployer = new DatasetDeployer(Rpc, chain);
            WriteVerbose($"Predicting the address of dataset '{dataset.Name}' on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var plan = Await(deployer.PlanAsync(dataset, CancellationToken));
            var ceiling = DatasetDeployer.GasCeiling(dataset) * TransactionSenderOptions.GasCeilingFactorOf(chain);
            var target = $"dataset '{dataset.Name}' owned by {dataset.Owner}{(dataset.Owner == wallet?.Address ? "" : " (not the connected wallet)")} at {plan.PredictedAddress} "
                + $"on {chain.Name} (chain {chain.ChainId}), {feeCap.DescribeWorstCase(ceiling, chain)}";
            if (!ShouldProcess(target, "Deploy dataset"))
            {
                if (whatIf) WriteObject(IExecDataset.From(plan.PredictedAddress.ToString(), dataset, chain, null, isPrediction: true));
                return;
            }

            var deployment = Await(deployer.DeployAsync(dataset, wallet!.Signer, directory, CancellationToken, TransactionSenderOptions.ForChain(chain, feeCap), named));
            WriteVerbose($"Deployed dataset at {deployment.Address} in transaction {deployment.TransactionHash}; recorded in {deployment.DeployedJsonPath}");
            WriteObject(IExecDataset.From(deployment.Address.ToString(), dataset, chain, deployment.TransactionHash, isPrediction: false));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
