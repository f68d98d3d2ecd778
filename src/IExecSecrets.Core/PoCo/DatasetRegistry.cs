using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// The PoCo dataset registry (an ERC-721 whose token ids are dataset addresses). Datasets are created with CREATE2 like
/// apps, so their address is known before deployment and identical arguments cannot be deployed twice; deploys are
/// proven on chain by the steps apps use (<see cref="RegistryEntryDeployment"/>).
/// </summary>
public sealed class DatasetRegistry : RegistryContract
{
    /// <summary><c>createDataset(address,string,bytes,bytes32)</c>.</summary>
    public const string CreateDatasetSignature = "createDataset(address,string,bytes,bytes32)";

    /// <summary><c>predictDataset(address,string,bytes,bytes32)</c>.</summary>
    public const string PredictDatasetSignature = "predictDataset(address,string,bytes,bytes32)";

    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    public DatasetRegistry(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>Binds the registry the hub points at (<c>datasetregistry()</c>).</summary>
    public static async Task<DatasetRegistry> FromHubAsync(JsonRpcClient rpc, PoCoHub hub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new DatasetRegistry(rpc, await hub.DatasetRegistryAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The <c>createDataset</c> calldata (validated first).</summary>
    public static byte[] EncodeCreateDataset(DatasetDefinition dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.Validate();
        return Abi.EncodeCall(CreateDatasetSignature, dataset.ToAbiValues());
    }

    /// <summary>The address <c>createDataset</c> gives <paramref name="dataset"/> in <paramref name="registry"/> (CREATE2, as PoCo computes it).</summary>
    public static EthAddress ComputeDatasetAddress(EthAddress registry, byte[] proxyCodeHash, DatasetDefinition dataset)
    {
        ArgumentNullException.ThrowIfNull(proxyCodeHash);
        ArgumentNullException.ThrowIfNull(dataset);
        return RegistryEntryDeployment.ComputeAddress(registry, proxyCodeHash, Initializer(dataset), dataset.Owner);
    }

    /// <summary>
    /// The locally computed address of <paramref name="dataset"/>, checked against the node's <c>predictDataset</c>
    /// (<see cref="ErrorIds.DatasetDeploymentUnverified"/> when they differ).
    /// </summary>
    public Task<EthAddress> ExpectedAddressAsync(DatasetDefinition dataset, CancellationToken cancellationToken = default) =>
        RegistryEntryDeployment.ExpectedAddressAsync(Rpc, Entry(dataset), cancellationToken);

    /// <summary>
    /// Deploys <paramref name="dataset"/> and proves it as apps are proven: the computed address must be the node's
    /// prediction and not yet registered (<see cref="ErrorIds.DatasetAlreadyDeployed"/>); after createDataset (gas at
    /// most <see cref="GasCeilings.CreateDataset"/>) the receipt's minted address must be the computed one, the registry
    /// must know it and its <c>owner()</c>, name, multiaddr and checksum must be what was sent
    /// (<see cref="ErrorIds.DatasetDeploymentUnverified"/> otherwise).
    /// </summary>
    public Task<DeployedContract> CreateDatasetAsync(TransactionSender sender, DatasetDefinition dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return RegistryEntryDeployment.CreateAsync(Rpc, sender, Entry(dataset), cancellationToken);
    }

    private static byte[] Initializer(DatasetDefinition dataset) =>
        Abi.EncodeCall("initialize(string,bytes,bytes32)", dataset.Name, dataset.Multiaddr, dataset.Checksum);

    private RegistryEntry Entry(DatasetDefinition dataset)
    {
        var calldata = EncodeCreateDataset(dataset);
        return new RegistryEntry
        {
            Kind = "dataset",
            AlreadyDeployedId = ErrorIds.DatasetAlreadyDeployed,
            UnverifiedId = ErrorIds.DatasetDeploymentUnverified,
            Registry = Address,
            Owner = dataset.Owner,
            Initializer = Initializer(dataset),
            PredictCalldata = Abi.EncodeCall(PredictDatasetSignature, dataset.ToAbiValues()),
            CreateCalldata = calldata,
            GasCeiling = GasCeilings.CreateDataset(calldata.Length),
            Label = $"createDataset of '{dataset.Name}'",
            Differences = (address, token) => DifferencesAsync(address, dataset, token),
        };
    }

    private async Task<IReadOnlyList<string>> DifferencesAsync(EthAddress address, DatasetDefinition dataset, CancellationToken cancellationToken)
    {
        var onChain = await new DatasetContract(Rpc, address).ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        var differences = new List<string>();
        if (onChain.Owner != dataset.Owner) differences.Add($"its owner() is {onChain.Owner}, not {dataset.Owner}");
        if (onChain.Name != dataset.Name) differences.Add("its name differs");
        if (!onChain.Multiaddr.AsSpan().SequenceEqual(dataset.Multiaddr)) differences.Add("its multiaddr differs");
        if (!onChain.Checksum.AsSpan().SequenceEqual(dataset.Checksum)) differences.Add("its checksum differs");
        return differences;
    }
}
