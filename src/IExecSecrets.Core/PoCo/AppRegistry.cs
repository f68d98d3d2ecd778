using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// The PoCo app registry (an ERC-721 whose token ids are app addresses). Apps are created with CREATE2, so
/// <see cref="PredictAppAsync"/> gives the address before deployment and identical arguments cannot be deployed twice.
/// </summary>
public sealed class AppRegistry : RegistryContract
{
    /// <summary><c>createApp(address,string,string,bytes,bytes32,bytes)</c>, selector 0x3f7868ff.</summary>
    public const string CreateAppSignature = "createApp(address,string,string,bytes,bytes32,bytes)";

    /// <summary><c>predictApp(address,string,string,bytes,bytes32,bytes)</c>, selector 0xe92118ed.</summary>
    public const string PredictAppSignature = "predictApp(address,string,string,bytes,bytes32,bytes)";

    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    public AppRegistry(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>Binds the registry the hub points at (<c>appregistry()</c>).</summary>
    public static async Task<AppRegistry> FromHubAsync(JsonRpcClient rpc, PoCoHub hub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new AppRegistry(rpc, await hub.AppRegistryAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The address <see cref="CreateAppAsync"/> would give for <paramref name="app"/>.</summary>
    public async Task<EthAddress> PredictAppAsync(AppDefinition app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Validate();
        var result = await Rpc.EthCallAsync(Address, Abi.EncodeCall(PredictAppSignature, app.ToAbiValues()), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (EthAddress)Abi.Decode("address", result)[0]!;
    }

    /// <summary>The <c>createApp</c> calldata (validated first).</summary>
    public static byte[] EncodeCreateApp(AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Validate();
        return Abi.EncodeCall(CreateAppSignature, app.ToAbiValues());
    }

    /// <summary>The CREATE2 init-code hash of the registry's entry proxies (<c>proxyCodeHash()</c>).</summary>
    public Task<byte[]> ProxyCodeHashAsync(CancellationToken cancellationToken = default) =>
        RegistryEntryDeployment.ProxyCodeHashAsync(Rpc, Address, cancellationToken);

    /// <summary>
    /// The address <c>createApp</c> gives <paramref name="app"/> in the registry at <paramref name="registry"/>,
    /// computed here as PoCo's <c>Registry._mintCreate</c> does: CREATE2 by the registry with salt
    /// keccak256(initializer ‖ owner), where the initializer is <c>initialize(string,string,bytes,bytes32,bytes)</c>
    /// of the app's fields, and <paramref name="proxyCodeHash"/> as the init-code hash.
    /// </summary>
    public static EthAddress ComputeAppAddress(EthAddress registry, byte[] proxyCodeHash, AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(proxyCodeHash);
        ArgumentNullException.ThrowIfNull(app);
        return RegistryEntryDeployment.ComputeAddress(registry, proxyCodeHash, Initializer(app), app.Owner);
    }

    /// <summary>
    /// Deploys <paramref name="app"/>: validates, computes its address locally (<see cref="ComputeAppAddress"/>) and
    /// refuses with <see cref="ErrorIds.AppDeploymentUnverified"/> when the node's <c>predictApp</c> disagrees, or
    /// with <see cref="ErrorIds.AppAlreadyDeployed"/> if it is registered; then sends createApp (gas at most
    /// <see cref="GasCeilings.CreateApp"/>) and proves the result before returning it: the receipt's minted address
    /// must be the computed one, the registry must know it, its <c>owner()</c> must be the app's owner and its
    /// name, type, multiaddr, checksum and mrenclave what was sent (else <see cref="ErrorIds.AppDeploymentUnverified"/>).
    /// The steps are the ones datasets share (<see cref="RegistryEntryDeployment"/>).
    /// </summary>
    public Task<DeployedContract> CreateAppAsync(TransactionSender sender, AppDefinition app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return RegistryEntryDeployment.CreateAsync(Rpc, sender, Entry(app), cancellationToken);
    }

    /// <summary>
    /// The locally computed address of <paramref name="app"/>, checked against the node's <c>predictApp</c>
    /// (<see cref="ErrorIds.AppDeploymentUnverified"/> when they differ).
    /// </summary>
    public Task<EthAddress> ExpectedAddressAsync(AppDefinition app, CancellationToken cancellationToken = default) =>
        RegistryEntryDeployment.ExpectedAddressAsync(Rpc, Entry(app), cancellationToken);

    private static byte[] Initializer(AppDefinition app) =>
        Abi.EncodeCall("initialize(string,string,bytes,bytes32,bytes)", app.Name, app.Type, app.Multiaddr, app.Checksum, app.MrEnclave);

    private RegistryEntry Entry(AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var calldata = EncodeCreateApp(app);
        return new RegistryEntry
        {
            Kind = "app",
            AlreadyDeployedId = ErrorIds.AppAlreadyDeployed,
            UnverifiedId = ErrorIds.AppDeploymentUnverified,
            Registry = Address,
            Owner = app.Owner,
            Initializer = Initializer(app),
            PredictCalldata = Abi.EncodeCall(PredictAppSignature, app.ToAbiValues()),
            CreateCalldata = calldata,
            GasCeiling = GasCeilings.CreateApp(calldata.Length),
            Label = $"createApp of '{app.Name}'",
            Differences = (address, token) => DifferencesAsync(address, app, token),
        };
    }

    private async Task<IReadOnlyList<string>> DifferencesAsync(EthAddress address, AppDefinition app, CancellationToken cancellationToken)
    {
        var onChain = await new AppContract(Rpc, address).ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        var differences = new List<string>();
        if (onChain.Owner != app.Owner) differences.Add($"its owner() is {onChain.Owner}, not {app.Owner}");
        if (onChain.Name != app.Name) differences.Add("its name differs");
        if (onChain.Type != app.Type) differences.Add("its type differs");
        if (!onChain.Multiaddr.AsSpan().SequenceEqual(app.Multiaddr)) differences.Add("its multiaddr differs");
        if (!onChain.Checksum.AsSpan().SequenceEqual(app.Checksum)) differences.Add("its checksum differs");
        if (!onChain.MrEnclave.AsSpan().SequenceEqual(app.MrEnclave)) differences.Add("its mrenclave differs");
        return differences;
    }
}
