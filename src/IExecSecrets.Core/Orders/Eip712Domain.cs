using System.Numerics;
using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// The EIP-712 domain iExec orders are signed under. Read it from the hub (<c>domain()</c>) rather than hard-coding
/// it; <see cref="ForHub"/> builds the value PoCo v5 returns.
/// </summary>
/// <param name="Name">Domain name, <c>iExecODB</c> for PoCo.</param>
/// <param name="Version">Domain version, <c>5.0.0</c> for PoCo v5/v6.</param>
/// <param name="ChainId">The chain id the hub runs on (134 for bellecour).</param>
/// <param name="VerifyingContract">The hub (PoCo proxy) address.</param>
public sealed record Eip712Domain(string Name, string Version, BigInteger ChainId, EthAddress VerifyingContract)
{
    /// <summary>PoCo's domain <c>{ "iExecODB", "5.0.0", chainId, hub }</c>.</summary>
    public static Eip712Domain ForHub(BigInteger chainId, EthAddress hub) => new("iExecODB", "5.0.0", chainId, hub);

    /// <summary>The 32-byte domain separator, recomputed on each call.</summary>
    public byte[] Separator() => TypedDataHasher.DomainSeparator(Name, Version, ChainId, VerifyingContract);
}
