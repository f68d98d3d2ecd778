using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// Deploys apps like <c>iexec app deploy</c> 8.24: compute the address (locally, checked against <c>predictApp</c>),
/// refuse with <see cref="ErrorIds.AppAlreadyDeployed"/> when it is registered (before any transaction), send
/// <c>createApp</c> within its gas ceiling and the fee cap, prove the new app on chain (address, registration,
/// <c>owner()</c>, fields; see <see cref="AppRegistry.CreateAppAsync"/>) and only then record it in <c>deployed.json</c>.
/// </summary>
public sealed class AppDeployer : RegistryEntryClient
{
    /// <summary>Deploys on <paramref name="chain"/> through <paramref name="rpc"/> (which must reach that chain's node).</summary>
    public AppDeployer(JsonRpcClient rpc, ChainProfile chain)
        : base(rpc, chain)
    {
    }

    /// <summary>
    /// Refuses an app whose owner is not <paramref name="wallet"/> unless <paramref name="namedOwner"/> names that
    /// same owner (the user said so, not a file): <see cref="ErrorIds.ForeignAppOwner"/>, before any network call.
    /// <paramref name="source"/> says where the owner was read (<c>iexec.json</c>, <c>-Owner</c>).
    /// </summary>
    public static void CheckOwner(AppDescriptor app, EthAddress wallet, EthAddress? namedOwner, string source)
    {
        ArgumentNullException.ThrowIfNull(app);
        CheckRegistryOwner(app.Owner, wallet, namedOwner, source, ErrorIds.ForeignAppOwner, "an app (its orders and its secret)");
    }

    /// <summary>
    /// The owner rule apps and datasets share: <paramref name="owner"/> must be <paramref name="wallet"/> unless
    /// <paramref name="namedOwner"/> names that same owner; else <paramref name="errorId"/> (or
    /// <see cref="ErrorIds.ConflictingOwner"/> when <paramref name="namedOwner"/> names another owner), before any network call.
    /// <paramref name="what"/> says what the wallet would pay for ("an app (its orders and its secret)").
    /// </summary>
    internal static void CheckRegistryOwner(EthAddress owner, EthAddress wallet, EthAddress? namedOwner, string source, string errorId, string what)
    {
        if (namedOwner is { } named && named != owner)
        {
            throw new IExecException(ErrorIds.ConflictingOwner,
                $"{source} names owner {owner}, but -Owner says {named}; nothing was deployed.", owner.ToString())
            {
                RecommendedAction = "Give the owner once, in iexec.json and -Owner alike.",
            };
        }
        if (owner != wallet && namedOwner is null)
        {
            throw new IExecException(errorId,
                $"{source} names owner {owner}, not the connected wallet {wallet}: the wallet would pay for {what} that someone else owns. "
                + "Nothing was deployed.", owner.ToString())
            {
                RecommendedAction = $"Fix the owner in {source}, or deploy for that owner on purpose with -Owner {owner}.",
            };
        }
    }

    /// <summary>
    /// Predicts where <paramref name="app"/> would be deployed, reading the chain only. Throws
    /// <see cref="ErrorIds.AppAlreadyDeployed"/> when an app already lives at that address, and
    /// <see cref="ErrorIds.AppDeploymentUnverified"/> when the node's <c>predictApp</c> differs from the computed address.
    /// </summary>
    public async Task<AppDeploymentPlan> PlanAsync(AppDescriptor app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = await RegistryAsync(cancellationToken).ConfigureAwait(false);
        var predicted = await registry.ExpectedAddressAsync(app.ToDefinition(), cancellationToken).ConfigureAwait(false);
        if (await registry.IsRegisteredAsync(predicted, cancellationToken).ConfigureAwait(false))
        {
            throw AlreadyDeployed(predicted);
        }
        return new AppDeploymentPlan(Profile, app, registry.Address, predicted);
    }

    /// <summary>The most gas deploying <paramref name="app"/> can take (before the chain's factor), for the worst-case cost.</summary>
    public static System.Numerics.BigInteger GasCeiling(AppDescriptor app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return GasCeilings.CreateApp(AppRegistry.EncodeCreateApp(app.ToDefinition()).Length);
    }

    /// <summary>
    /// Deploys <paramref name="app"/> signed by <paramref name="signer"/>, then records the address in
    /// <c>deployed.json</c> of <paramref name="projectDirectory"/> when one is given, once the deployment is proven on
    /// chain. The owner must be the signer unless <paramref name="namedOwner"/> names it (<see cref="CheckOwner"/>).
    /// <paramref name="options"/> default to <see cref="TransactionSenderOptions.ForChain"/>.
    /// </summary>
    public async Task<AppDeployment> DeployAsync(AppDescriptor app, IEthSigner signer, string? projectDirectory, CancellationToken cancellationToken = default,
        TransactionSenderOptions? options = null, EthAddress? namedOwner = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(signer);
        CheckOwner(app, signer.Address, namedOwner, "The app");
        // checked here too so the refusal carries the SDK's exact message; the registry re-checks right before sending
        var plan = await PlanAsync(app, cancellationToken).ConfigureAwait(false);
        var registry = new AppRegistry(Rpc, plan.Registry);
        var sender = new TransactionSender(Rpc, signer, Profile.ChainId, options ?? TransactionSenderOptions.ForChain(Profile));
        var deployed = await registry.CreateAppAsync(sender, app.ToDefinition(), cancellationToken).ConfigureAwait(false);
        var deployedPath = projectDirectory is null
            ? null
            : ProjectFiles.SaveDeployedAddress(projectDirectory, "app", Profile.ChainId, deployed.Address);
        return new AppDeployment(deployed.Address, deployed.TransactionHash, Profile.ChainId, deployedPath);
    }

    /// <summary>The fee model the SDK uses on <paramref name="chain"/> (see <see cref="TransactionSenderOptions.FeeModeOf"/>).</summary>
    public static FeeMode FeeModeOf(ChainProfile chain) => TransactionSenderOptions.FeeModeOf(chain);

    private async Task<AppRegistry> RegistryAsync(CancellationToken cancellationToken)
    {
        return await AppRegistry.FromHubAsync(Rpc, Hub(), cancellationToken).ConfigureAwait(false);
    }

    private static IExecException AlreadyDeployed(EthAddress address) => new(
        ErrorIds.AppAlreadyDeployed,
        $"App already deployed at address {address}",
        address.ToString())
    { RecommendedAction = "Change the name, image or mrenclave to deploy a new app, or use the existing address." };
}
