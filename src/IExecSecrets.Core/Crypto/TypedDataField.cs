namespace IExecSecrets.Core.Crypto;

/// <summary>One member of an EIP-712 struct type, e.g. <c>("appprice", "uint256")</c>.</summary>
/// <param name="Name">The member name as it appears in the type string.</param>
/// <param name="Type">The Solidity type: <c>address</c>, <c>uint256</c>, <c>bytes32</c>, <c>string</c> or <c>bytes</c>.</param>
public sealed record TypedDataField(string Name, string Type);
