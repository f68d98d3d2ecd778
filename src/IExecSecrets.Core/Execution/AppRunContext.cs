using System.Numerics;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The chain state a run is planned from, read in two JSON-RPC batches by <see cref="AppRunner.LoadAsync"/>: the
/// hub's EIP-712 domain (checked against the profile's chain id and hub), who owns the app and the workerpool, the app's mrenclave and the requester's stake.
/// </summary>
public sealed record AppRunContext
{
    /// <summary>The validated request.</summary>
    public required AppRunRequest Request { get; init; }

    /// <summary>The built params.</summary>
    public required RequestParams Params { get; init; }

    /// <summary>The requester (the connected wallet).</summary>
    public required EthAddress Requester { get; init; }

    /// <summary>The hub's order domain.</summary>
    public required Eip712Domain Domain { get; init; }

    /// <summary>The app owner.</summary>
    public required EthAddress AppOwner { get; init; }

    /// <summary>The app's mrenclave as text (empty for none).</summary>
    public required string AppMrEnclave { get; init; }

    /// <summary>The app's TEE framework from its mrenclave, or null.</summary>
    public TeeFramework? AppFramework { get; init; }

    /// <summary>The workerpool owner, when a workerpool was named.</summary>
    public EthAddress? WorkerpoolOwner { get; init; }

    /// <summary>The dataset owner, when a dataset was named.</summary>
    public EthAddress? DatasetOwner { get; init; }

    /// <summary>The workerpool registry, where a market workerpool order's pool must be registered.</summary>
    public EthAddress WorkerpoolRegistry { get; init; }

    /// <summary>The requester's free stake in nRLC.</summary>
    public BigInteger RequesterStake { get; init; }
}
