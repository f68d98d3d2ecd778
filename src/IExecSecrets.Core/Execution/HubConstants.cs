using System.Collections.Concurrent;
using System.Numerics;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// What a PoCo hub fixes at deployment and never changes — its EIP-712 domain (checked against the profile's chain id
/// and hub before it is kept) and its three registries — as one runner read them: later loads of the same runner (the
/// inputs of a pipeline of runs) read the rest of the context in one batch. Kept per runner, not per process: a cache
/// shared by every client of a URL would let one client's earlier answers stand in for another client's node. (The
/// process keeps the last registries per hub only as a guess of where to ask first; see <c>RunHubReader.LoadAsync</c>.)
/// </summary>
internal sealed record HubConstants(Eip712Domain Domain, Crypto.EthAddress AppRegistry, Crypto.EthAddress WorkerpoolRegistry, Crypto.EthAddress DatasetRegistry)
{
    /// <summary>True when <paramref name="other"/> names the same three registries.</summary>
    public bool SameRegistries(HubConstants other) =>
        AppRegistry == other.AppRegistry && WorkerpoolRegistry == other.WorkerpoolRegistry && DatasetRegistry == other.DatasetRegistry;
}
