using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Core.Poco;

/// <summary>A contract a registry created: its address and the creating transaction's hash.</summary>
public sealed record DeployedContract(EthAddress Address, string TransactionHash);
