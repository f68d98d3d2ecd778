using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.PoCo;

/// <summary>The PoCo workerpool registry; workerpools are CREATE2-deployed like apps.</summary>
public sealed class WorkerpoolRegistry : RegistryContract
{
    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    public WorkerpoolRegistry(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>Binds the registry the hub points at (<c>workerpoolregistry()</c>).</summary>
    public static async Task<WorkerpoolRegistry> FromHubAsync(JsonRpcClient rpc, PoCoHub hub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new WorkerpoolRegistry(rpc, await hub.WorkerpoolRegistryAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The address <see cref="CreateWorkerpoolAsync"/> would give.</summary>
    public async Task<EthAddress> PredictWorkerpoolAsync(EthAddress owner, string description, CancellationToken cancellationToken = default)
    {
        var result = await Rpc.EthCallAsync(Address, Abi.EncodeCall("predictWorkerpool(address,string)", owner, description), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (EthAddress)Abi.Decode("address", result)[0]!;
    }

    /// <summary>
    /// Creates a workerpool owned by <paramref name="owner"/>. If the predicted address is already registered (a
    /// repeated call), returns it without sending, so the call is safe to repeat.
    /// </summary>
    public async Task<DeployedContract> CreateWorkerpoolAsync(TransactionSender sender, EthAddress owner, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentException.ThrowIfNullOrEmpty(description);
        var predicted = await PredictWorkerpoolAsync(owner, description, cancellationToken).ConfigureAwait(false);
        if (await IsRegisteredAsync(predicted, cancellationToken).ConfigureAwait(false)) return new DeployedContract(predicted, "");
        var receipt = await sender.SendAsync(Address, Abi.EncodeCall("createWorkerpool(address,string)", owner, description), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new DeployedContract(RegistryCalls.MintedAddress(receipt, Address), receipt.TransactionHash);
    }
}
