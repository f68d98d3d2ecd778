using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Poco;

/// <summary>
/// The PoCo app registry (an ERC-721 whose token ids are app addresses). Apps are created with CREATE2, so
/// <see cref="PredictAppAsync"/> gives the address before deployment and identical arguments cannot be deployed twice.
/// </summary>
public sealed class AppRegistry
{
    /// <summary><c>createApp(address,string,string,bytes,bytes32,bytes)</c>, selector 0x3f7868ff.</summary>
    public const string CreateAppSignature = "createApp(address,string,string,bytes,bytes32,bytes)";

    /// <summary><c>predictApp(address,string,string,bytes,bytes32,bytes)</c>, selector 0xe92118ed.</summary>
    public const string PredictAppSignature = "predictApp(address,string,string,bytes,bytes32,bytes)";

    private readonly JsonRpcClient _rpc;

    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    public AppRegistry(JsonRpcClient rpc, EthAddress address)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Address = address;
    }

    /// <summary>The registry address.</summary>
    public EthAddress Address { get; }

    /// <summary>Binds the registry the hub points at (<c>appregistry()</c>).</summary>
    public static async Task<AppRegistry> FromHubAsync(JsonRpcClient rpc, PocoHub hub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new AppRegistry(rpc, await hub.AppRegistryAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>True when <paramref name="app"/> was created by this registry.</summary>
    public Task<bool> IsRegisteredAsync(EthAddress app, CancellationToken cancellationToken = default) =>
        RegistryCalls.IsRegisteredAsync(_rpc, Address, app, cancellationToken);

    /// <summary>The address <see cref="CreateAppAsync"/> would give for <paramref name="app"/>.</summary>
    public async Task<EthAddress> PredictAppAsync(AppDefinition app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Validate();
        var result = await _rpc.EthCallAsync(Address, Abi.EncodeCall(PredictAppSignature, app.ToAbiValues()), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (EthAddress)Abi.Decode("address", result)[0]!;
    }

    /// <summary>The <c>createApp</c> calldata (validated first).</summary>
    public static byte[] EncodeCreateApp(AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Validate();
        return Abi.EncodeCall(CreateAppSignature, app.ToAbiValues());
    }

    /// <summary>
    /// Deploys <paramref name="app"/>: validates, predicts the address and refuses with
    /// <see cref="ErrorIds.AppAlreadyDeployed"/> if it is registered, then sends createApp and reads the new address
    /// from the registry's ERC-721 <c>Transfer</c> event.
    /// </summary>
    public async Task<DeployedContract> CreateAppAsync(TransactionSender sender, AppDefinition app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var calldata = EncodeCreateApp(app);
        var predicted = await PredictAppAsync(app, cancellationToken).ConfigureAwait(false);
        if (await IsRegisteredAsync(predicted, cancellationToken).ConfigureAwait(false))
        {
            throw new IExecException(ErrorIds.AppAlreadyDeployed, IExecErrorCategory.ResourceExists,
                $"App already deployed at address {predicted}.", predicted.ToString());
        }
        var receipt = await sender.SendAsync(Address, calldata, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new DeployedContract(RegistryCalls.MintedAddress(receipt, Address), receipt.TransactionHash);
    }
}
