using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Datasets;

/// <summary>A dataset deployment planned without signing or sending anything: the chain, the registry and the address it will have.</summary>
/// <param name="Chain">The chain the dataset would be deployed on.</param>
/// <param name="Dataset">The validated dataset.</param>
/// <param name="Registry">The dataset registry of the chain's hub.</param>
/// <param name="PredictedAddress">The address the dataset will have (computed, and equal to the node's prediction).</param>
public sealed record DatasetDeploymentPlan(ChainProfile Chain, DatasetDescriptor Dataset, EthAddress Registry, EthAddress PredictedAddress);

/// <summary>A deployed dataset: its address (proven on chain), the transaction, the chain and the deployed.json it was recorded in.</summary>
/// <param name="Address">The new dataset's address.</param>
/// <param name="TransactionHash">The <c>createDataset</c> transaction hash.</param>
/// <param name="ChainId">The chain the dataset lives on.</param>
/// <param name="DeployedJsonPath">The <c>deployed.json</c> the address was recorded in, or null when none was written.</param>
public sealed record DatasetDeployment(EthAddress Address, string TransactionHash, ulong ChainId, string? DeployedJsonPath);

/// <summary>
/// Deploys datasets like <c>iexec dataset deploy</c> 8.24, with the proofs <see cref="AppDeployer"/> gives apps: the
/// owner must be the connected wallet unless named on purpose (<see cref="ErrorIds.ForeignDatasetOwner"/>, before any
/// network call); the address is computed locally and must equal <c>predictDataset</c>; a registered address is
/// <see cref="ErrorIds.DatasetAlreadyDeployed"/> before any transaction; <c>createDataset</c> is sent within its gas
/// ceiling and the fee cap; the new dataset is proven on chain (address, registration, <c>owner()</c>, fields:
/// <see cref="ErrorIds.DatasetDeploymentUnverified"/>) and only then recorded in <c>deployed.json</c>.
/// </summary>
public sealed class DatasetDeployer : RegistryEntryClient
{
    /// <summary>Deploys on <paramref name="chain"/> through <paramref name="rpc"/>.</summary>
    public DatasetDeployer(JsonRpcClient rpc, ChainProfile chain)
        : base(rpc, chain)
    {
    }

    /// <summary>
    /// Refuses a dataset whose owner is not <paramref name="wallet"/> unless <paramref name="namedOwner"/> names that same
    /// owner: <see cref="ErrorIds.ForeignDatasetOwner"/>. <paramref name="source"/> says where the owner was read.
    /// </summary>
    public static void CheckOwner(DatasetDescriptor dataset, EthAddress wallet, EthAddress? namedOwner, string source)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        AppDeployer.CheckRegistryOwner(dataset.Owner, wallet, namedOwner, source, ErrorIds.ForeignDatasetOwner, "a dataset (its orders and its key)");
    }

    /// <summary>The most gas deploying <paramref name="dataset"/> can take (before the chain's factor).</summary>
    public static System.Numerics.BigInteger GasCeiling(DatasetDescriptor dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return GasCeilings.CreateDataset(DatasetRegistry.EncodeCreateDataset(dataset.ToDefinition()).Length);
    }

    /// <summary>
    /// Predicts where <paramref name="dataset"/> would be deployed, reading the chain only: <see cref="ErrorIds.DatasetAlreadyDeployed"/>
    /// when a dataset lives there, <see cref="ErrorIds.DatasetDeploymentUnverified"/> when the node's prediction differs.
    /// </summary>
    public async Task<DatasetDeploymentPlan> PlanAsync(DatasetDescriptor dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var registry = await RegistryAsync(cancellationToken).ConfigureAwait(false);
        var predicted = await registry.ExpectedAddressAsync(dataset.ToDefinition(), cancellationToken).ConfigureAwait(false);
        if (await registry.IsRegisteredAsync(predicted, cancellationToken).ConfigureAwait(false))
        {
            throw new IExecException(ErrorIds.DatasetAlreadyDeployed, $"Dataset already deployed at address {predicted}", predicted.ToString())
            { RecommendedAction = "Change the name, multiaddr or checksum to deploy a new dataset, or use the existing address." };
        }
        return new DatasetDeploymentPlan(Profile, dataset, registry.Address, predicted);
    }

    /// <summary>
    /// Deploys <paramref name="dataset"/> signed by <paramref name="signer"/>, then records it in <c>deployed.json</c> of
    /// <paramref name="projectDirectory"/> (when given) once proven on chain.
    /// </summary>
    public async Task<DatasetDeployment> DeployAsync(DatasetDescriptor dataset, IEthSigner signer, string? projectDirectory, CancellationToken cancellationToken = default,
        TransactionSenderOptions? options = null, EthAddress? namedOwner = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(signer);
        CheckOwner(dataset, signer.Address, namedOwner, "The dataset");
        var plan = await PlanAsync(dataset, cancellationToken).ConfigureAwait(false);
        var registry = new DatasetRegistry(Rpc, plan.Registry);
        var sender = new TransactionSender(Rpc, signer, Profile.ChainId, options ?? TransactionSenderOptions.ForChain(Profile));
        var deployed = await registry.CreateDatasetAsync(sender, dataset.ToDefinition(), cancellationToken).ConfigureAwait(false);
        var deployedPath = projectDirectory is null ? null : ProjectFiles.SaveDeployedAddress(projectDirectory, "dataset", Profile.ChainId, deployed.Address);
        return new DatasetDeployment(deployed.Address, deployed.TransactionHash, Profile.ChainId, deployedPath);
    }

    private async Task<DatasetRegistry> RegistryAsync(CancellationToken cancellationToken)
    {
        return await DatasetRegistry.FromHubAsync(Rpc, Hub(), cancellationToken).ConfigureAwait(false);
    }
}
