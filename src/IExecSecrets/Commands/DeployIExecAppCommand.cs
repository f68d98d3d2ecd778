using System.Collections;
using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>
/// Deploys an iExec app from iexec.json, or from parameters, and records its address in deployed.json.
/// </summary>
/// <remarks>
/// <para>Validates the app like iexec app deploy 8.24 (owner address, name, type exactly DOCKER, multiaddr, bytes32
/// checksum, mrenclave with framework, version, fingerprint and, for SCONE, entrypoint and heapSize) and fails with
/// InvalidAppDefinition before any network call.</para>
/// <para>It then asks the app registry of the chain for the address the app will get (predictApp). The address is
/// deterministic: if an app already lives there the command fails with AppAlreadyDeployed, before any transaction.
/// Otherwise it sends createApp signed by the connected wallet (after checking the node's chain id), reads the new
/// address from the Transfer event and records it in deployed.json as {"app":{"&lt;chainId&gt;":"&lt;address&gt;"}},
/// keeping the other entries.</para>
/// <para>The owner must be the connected wallet: an owner read from iexec.json that is not the wallet fails
/// ForeignAppOwner before any network call (the wallet would pay for an app, its orders and its secret that someone
/// else owns), unless -Owner names that same owner on purpose.</para>
/// <para>The transaction's fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's
/// maxFeePerGas, else the chain's built-in cap: 0 on bellecour, 1 gwei on Arbitrum One, 10 gwei on Arbitrum Sepolia)
/// and its gas limit bounded by what createApp of these fields can need; a node asking for more fails FeeAboveCap or
/// GasAboveCeiling and nothing is signed. The -WhatIf and -Confirm text shows the worst-case cost in the chain's
/// currency.</para>
/// <para>The receipt is not trusted on its own: the new address must be the one computed locally (CREATE2, as PoCo's
/// registry does), the registry must know it, its owner() must be the owner and its multiaddr, checksum and mrenclave
/// what was sent; else the command fails AppDeploymentUnverified and deployed.json is left as it was. A send that is
/// not mined in time ends TransactionReplaced (cancelled by a transfer to self with the same nonce) or
/// TransactionPending (with its hash and nonce), never as a failure that could still be mined.</para>
/// <para>With -WhatIf nothing is signed or sent: the predicted address is written as an IExecApp whose IsPrediction is
/// true.</para>
/// </remarks>
/// <example>
/// <code>Deploy-IExecApp -Chain bellecour</code>
/// <para>Deploys the app section of ./iexec.json on bellecour and records the address in ./deployed.json.</para>
/// </example>
/// <example>
/// <code>
/// Deploy-IExecApp -Name hello -Multiaddr docker.io/me/hello:1.0 -Checksum 0x15de77fd7ac448028884256b3ab376e7d4560e9ef6acf0594ea0b3c031d5d395 -MrEnclave ([ordered]@{framework="SCONE";version="v5.9";entrypoint="python /app/app.py";heapSize=1073741824;fingerprint="2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}) -WhatIf
/// </code>
/// <para>Shows the address the SCONE app would get, without signing or sending anything.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecApp -Owner 0x7bd4783FDCAD405A28052a0d1f11236A741da593 -MaxFeePerGas '0.05 gwei'</code>
/// <para>Deploys the app of ./iexec.json for the owner it names, which is not the connected wallet, on purpose; no fee
/// above 0.05 gwei per gas is signed.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecApp">
/// IExecSecrets.Output.IExecApp: the new app address, the transaction hash (TxHash) and the deployed fields.
/// </output>
// "Deploy" is an approved verb, but PowerShellStandard.Library 5.1 predates its VerbsLifecycle constant
[Cmdlet("Deploy", "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ProjectParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Deploy-IExecApp.md")]
[OutputType(typeof(IExecApp))]
public sealed class DeployIExecAppCommand : ChainCommandBase
{
    private const string ProjectParameterSet = "Project";
    private const string ParametersParameterSet = "Parameters";

    /// <summary>
    /// The project folder holding iexec.json, chain.json and deployed.json. Default: the current location.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The app name. Giving it deploys from parameters instead of the app section of iexec.json.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The app type. Only DOCKER exists, and it is the default.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = "DOCKER";

    /// <summary>
    /// The docker image reference of the app (stored as its UTF-8 bytes), or an /ipfs/ multiaddr (stored as binary
    /// multiaddr).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Multiaddr { get; set; } = string.Empty;

    /// <summary>The 0x-prefixed sha256 digest of the image, 32 bytes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidatePattern("^0[xX][0-9a-fA-F]{64}$")]
    public string Checksum { get; set; } = string.Empty;

    /// <summary>
    /// The TEE enclave description, as a JSON string, an [ordered] hashtable (key order is kept in the stored JSON) or
    /// the MrEnclave of an app read with Get-IExecApp. Omit it for a non-TEE app.
    /// </summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    public object? MrEnclave { get; set; }

    /// <summary>
    /// The app owner. Default: the connected wallet. With iexec.json, the owner it names must be the connected wallet
    /// unless this parameter names that same owner: a project folder cannot choose, unseen, who owns what the wallet
    /// pays for.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>
    /// The most the transaction may pay per gas: a number of wei, or a number with a unit (2 gwei, 0.5 gwei). Default:
    /// the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas, else the chain's
    /// built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    /// <summary>Validates, predicts the address, asks for confirmation, deploys and records the app.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var directory = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : GetUnresolvedProviderPathFromPSPath(Path);
            var chain = ChainFor(Chain, directory);
            var wallet = WhatIfRequested ? WalletSession.Current : WalletSession.Require();
            var named = Owner is null ? (Core.Crypto.EthAddress?)null : AddressInput.Parse(Owner, nameof(Owner));
            var fromProject = ParameterSetName != ParametersParameterSet;
            var app = fromProject
                ? ProjectFiles.ReadAppDefinition(directory)
                : AppDescriptor.Create(named?.ToString() ?? wallet?.Address.ToString() ?? WalletSession.Require().Address.ToString(), Name, Type, Multiaddr, Checksum, MrEnclaveText());
            // Who owns what the wallet pays for is the user's call, not the folder's (checked before any network call).
            if (wallet is not null) AppDeployer.CheckOwner(app, wallet.Address, named, fromProject ? $"iexec.json in {directory}" : "-Owner");
            var feeCap = FeeCapSetting.Resolve(this, chain, MaxFeePerGas);

            var deployer = new AppDeployer(Rpc, chain);
            WriteVerbose($"Predicting the address of app '{app.Name}' on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var plan = Await(deployer.PlanAsync(app, CancellationToken));

            var ceiling = AppDeployer.GasCeiling(app) * TransactionSenderOptions.GasCeilingFactorOf(chain);
            var target = $"app '{app.Name}' owned by {app.Owner}{(app.Owner == wallet?.Address ? "" : " (not the connected wallet)")} at {plan.PredictedAddress} "
                + $"on {chain.Name} (chain {chain.ChainId}), {feeCap.DescribeWorstCase(ceiling, chain)}";
            if (!ShouldProcess(target, "Deploy app"))
            {
                if (WhatIfRequested) WriteObject(IExecApp.From(plan.PredictedAddress.ToString(), app, chain, null, isPrediction: true));
                return;
            }

            var deployment = Await(deployer.DeployAsync(app, wallet!.Signer, directory, CancellationToken, TransactionSenderOptions.ForChain(chain, feeCap), named));
            WriteVerbose($"Deployed app at {deployment.Address} in transaction {deployment.TransactionHash}; recorded in {deployment.DeployedJsonPath}");
            WriteObject(IExecApp.From(deployment.Address.ToString(), app, chain, deployment.TransactionHash, isPrediction: false));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true };

    private string? MrEnclaveText()
    {
        var value = MrEnclave is PSObject wrapped ? wrapped.BaseObject : MrEnclave;
        return value switch
        {
            null => null,
            string text => text,
            Output.IExecMrEnclave mrEnclave => mrEnclave.Text,
            IDictionary dictionary => HashtableJson.From(dictionary).ToJsonString(),
            _ => throw new IExecException(
                ErrorIds.InvalidAppDefinition,
                "mrenclave is not a valid mrenclave",
                nameof(MrEnclave))
            { RecommendedAction = "Pass -MrEnclave as a JSON string, an [ordered] hashtable or the MrEnclave of an app." },
        };
    }
}
