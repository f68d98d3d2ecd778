namespace IExecSecrets.Core.PoCo;

/// <summary>A contract a registry created: its address and the creating transaction's hash.</summary>
public sealed record DeployedContract(EthAddress Address, string TransactionHash);
