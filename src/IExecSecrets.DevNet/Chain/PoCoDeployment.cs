namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// The addresses of a PoCo deployment on the devnet chain, plus the devnet's own workerpool (owned by account #2).
/// <see cref="FromCache"/> tells whether it came from the cached anvil state rather than fresh transactions.
/// </summary>
public sealed record PoCoDeployment(
    DevNetMode Mode,
    EthAddress Hub,
    EthAddress AppRegistry,
    EthAddress DatasetRegistry,
    EthAddress WorkerpoolRegistry,
    EthAddress Workerpool,
    bool FromCache,
    TimeSpan Duration)
{
    /// <summary>
    /// The RLC ERC-20 the hub escrows in token mode (what the hub's <c>token()</c> returns); <see cref="EthAddress.Zero"/>
    /// in native mode, where the escrow holds the chain's own coin.
    /// </summary>
    public EthAddress Token { get; init; }
}
