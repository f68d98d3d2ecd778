using System.Numerics;
using IExecSecrets.Core.Errors;

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

    /// <summary>
    /// This domain, when its chain id is <paramref name="chainId"/> and its verifying contract is <paramref name="hub"/>
    /// (the profile's); otherwise throws <see cref="ErrorIds.HubDomainMismatch"/>. An order signed under another chain
    /// id or contract is a signature the RPC node chose, valid where the requester never meant it, so nothing may be
    /// signed under a domain that fails this check.
    /// </summary>
    public Eip712Domain RequireFor(BigInteger chainId, EthAddress hub, string chainName)
    {
        if (ChainId == chainId && VerifyingContract == hub) return this;
        throw new IExecException(ErrorIds.HubDomainMismatch,
            $"The hub's EIP-712 domain (chain id {ChainId}, verifying contract {VerifyingContract}) is not chain {chainName}'s "
            + $"(chain id {chainId}, hub {hub}); nothing was signed.", hub.ToString())
        {
            RecommendedAction = "Check the chain's RPC host and hub address in chain.json: the node answers for another deployment.",
        };
    }

    /// <summary>The 32-byte domain separator, recomputed on each call.</summary>
    public byte[] Separator() => TypedDataHasher.DomainSeparator(Name, Version, ChainId, VerifyingContract);
}
