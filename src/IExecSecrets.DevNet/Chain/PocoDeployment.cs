using IExecSecrets.Core.Crypto;

namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// The addresses of a PoCo deployment on the devnet chain, plus the devnet's own workerpool (owned by account #2).
/// <see cref="FromCache"/> tells whether it came from the cached anvil state rather than fresh transactions.
/// </summary>
public sealed record PocoDeployment(
    DevNetMode Mode,
    EthAddress Hub,
    EthAddress AppRegistry,
    EthAddress DatasetRegistry,
    EthAddress WorkerpoolRegistry,
    EthAddress Workerpool,
    bool FromCache,
    TimeSpan Duration);
