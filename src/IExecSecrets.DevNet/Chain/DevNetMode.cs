namespace IExecSecrets.DevNet.Chain;

/// <summary>Which PoCo flavour the devnet deploys.</summary>
public enum DevNetMode
{
    /// <summary>Bellecour-like: the chain's native coin is RLC (<c>IexecEscrowNativeFacet</c>, <c>token()</c> = 0x0).</summary>
    Native,
    /// <summary>Arbitrum-like: RLC is an ERC-20 (<c>IexecEscrowTokenFacet</c>), as SDK 9 expects. Not implemented yet.</summary>
    Token,
}
