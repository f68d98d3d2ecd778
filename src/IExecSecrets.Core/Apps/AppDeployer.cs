using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Poco;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// Deploys apps like <c>iexec app deploy</c> 8.24: predict the address with <c>predictApp</c>, refuse with
/// <see cref="ErrorIds.AppAlreadyDeployed"/> when it is registered (before any transaction), send <c>createApp</c>,
/// read the new address from the ERC-721 <c>Transfer</c> event and record it in <c>deployed.json</c>.
/// </summary>
public sealed class AppDeployer
{
    private readonly JsonRpcClient _rpc;
    private readonly ChainProfile _chain;

    /// <summary>Deploys on <paramref name="chain"/> through <paramref name="rpc"/> (which must reach that chain's node).</summary>
    public AppDeployer(JsonRpcClient rpc, ChainProfile chain)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
    }

    /// <summary>
    /// Predicts where <paramref name="app"/> would be deployed, reading the chain only. Throws
    /// <see cref="ErrorIds.AppAlreadyDeployed"/> when an app already lives at that address.
    /// </summary>
    public async Task<AppDeploymentPlan> PlanAsync(AppDescriptor app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = await RegistryAsync(cancellationToken).ConfigureAwait(false);
        var predicted = await registry.PredictAppAsync(app.ToDefinition(), cancellationToken).ConfigureAwait(false);
        if (await registry.IsRegisteredAsync(predicted, cancellationToken).ConfigureAwait(false))
        {
            throw AlreadyDeployed(predicted);
        }
        return new AppDeploymentPlan(_chain, app, registry.Address, predicted);
    }

    /// <summary>
    /// Deploys <paramref name="app"/> signed by <paramref name="signer"/>, then records the address in
    /// <c>deployed.json</c> of <paramref name="projectDirectory"/> when one is given. The registry re-checks the
    /// predicted address right before sending, and the sender checks the node's chain id before signing.
    /// </summary>
    public async Task<AppDeployment> DeployAsync(AppDescriptor app, IEthSigner signer, string? projectDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(signer);
        // checked here too so the refusal carries the SDK's exact message; the registry re-checks right before sending
        var plan = await PlanAsync(app, cancellationToken).ConfigureAwait(false);
        var registry = new AppRegistry(_rpc, plan.Registry);
        var sender = new TransactionSender(_rpc, signer, _chain.ChainId, new TransactionSenderOptions { FeeMode = FeeModeOf(_chain) });
        var deployed = await registry.CreateAppAsync(sender, app.ToDefinition(), cancellationToken).ConfigureAwait(false);
        var deployedPath = projectDirectory is null
            ? null
            : ProjectFiles.SaveDeployedAddress(projectDirectory, "app", _chain.ChainId, deployed.Address);
        return new AppDeployment(deployed.Address, deployed.TransactionHash, _chain.ChainId, deployedPath);
    }

    /// <summary>
    /// The fee model the SDK uses on <paramref name="chain"/>: a forced zero gas price (bellecour, <c>useGas: false</c>)
    /// means legacy zero-price transactions; otherwise EIP-1559.
    /// </summary>
    public static FeeMode FeeModeOf(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.GasPriceOverride is { IsZero: true } ? FeeMode.ZeroGasPriceLegacy : FeeMode.Eip1559;
    }

    private async Task<AppRegistry> RegistryAsync(CancellationToken cancellationToken)
    {
        var hub = _chain.Hub ?? throw new IExecException(
            ErrorIds.InvalidChainConfig,
            IExecErrorCategory.InvalidData,
            $"Missing hub in \"{ChainConfigFile.FileName}\" for chain {_chain.ChainId}",
            _chain.Name);
        return await AppRegistry.FromHubAsync(_rpc, new PocoHub(_rpc, hub), cancellationToken).ConfigureAwait(false);
    }

    private static IExecException AlreadyDeployed(EthAddress address) => new(
        ErrorIds.AppAlreadyDeployed,
        IExecErrorCategory.ResourceExists,
        $"App already deployed at address {address}",
        address.ToString())
    { RecommendedAction = "Change the name, image or mrenclave to deploy a new app, or use the existing address." };
}
