using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// What the PoCo registries (app, dataset, workerpool: ERC-721s whose token ids are the entries' addresses) share: the
/// registration check, over the binding of the registry contract.
/// </summary>
public abstract class RegistryContract : ContractBinding
{
    /// <summary>Binds the registry at <paramref name="address"/>.</summary>
    protected RegistryContract(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>True when <paramref name="entry"/> was created by this registry.</summary>
    public Task<bool> IsRegisteredAsync(EthAddress entry, CancellationToken cancellationToken = default) =>
        RegistryCalls.IsRegisteredAsync(Rpc, Address, entry, cancellationToken);
}
