namespace IExecSecrets.Core.Apps;

/// <summary>A deployed app: its address (computed, and proven on chain after the transaction), the transaction and the chain.</summary>
/// <param name="Address">The new app's address.</param>
/// <param name="TransactionHash">The <c>createApp</c> transaction hash (<c>0x</c> + 64 hex digits).</param>
/// <param name="ChainId">The chain the app lives on.</param>
/// <param name="DeployedJsonPath">The <c>deployed.json</c> the address was recorded in, or null when none was written.</param>
public sealed record AppDeployment(EthAddress Address, string TransactionHash, ulong ChainId, string? DeployedJsonPath);
