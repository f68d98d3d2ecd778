using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// What the PoCo registries (app, dataset, workerpool: ERC-721s whose token ids are the entries' addresses) share: the
/// registry's address, the RPC client and the registration check.
/// </summary>
public abstract class RegistryContract
{
    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    protected RegistryContract(JsonRpcClient rpc, EthAddress address)
    {
        Rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Address = address;
    }

    /// <summary>The registry address.</summary>
    public EthAddress Address { get; }

    /// <summary>The RPC client every call goes through.</summary>
    protected JsonRpcClient Rpc { get; }

    /// <summary>True when <paramref name="entry"/> was created by this registry.</summary>
    public Task<bool> IsRegisteredAsync(EthAddress entry, CancellationToken cancellationToken = default) =>
        RegistryCalls.IsRegisteredAsync(Rpc, Address, entry, cancellationToken);
}
