using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// What the readers and deployers of registry entries (apps, datasets) share: the chain they act on, the RPC client
/// they act through, and the chain's hub (<see cref="ErrorIds.InvalidChainConfig"/> when the profile has none).
/// </summary>
public abstract class RegistryEntryClient
{
    /// <summary>Acts on <paramref name="chain"/> through <paramref name="rpc"/>.</summary>
    protected RegistryEntryClient(JsonRpcClient rpc, ChainProfile chain)
    {
        Rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Profile = chain ?? throw new ArgumentNullException(nameof(chain));
    }

    /// <summary>The RPC client every read and transaction goes through.</summary>
    protected JsonRpcClient Rpc { get; }

    /// <summary>The chain acted on.</summary>
    protected ChainProfile Profile { get; }

    /// <summary>The chain's hub; <see cref="ErrorIds.InvalidChainConfig"/> when the profile has none.</summary>
    protected PoCoHub Hub() => new(Rpc, Profile.RequireHub());
}
