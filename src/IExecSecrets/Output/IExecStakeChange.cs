using System.Numerics;

namespace IExecSecrets.Output;

/// <summary>
/// A deposit (<c>Add-IExecStake</c>) or withdraw (<c>Remove-IExecStake</c>) confirmed on chain, with the account as
/// read after it. Amounts are nRLC.
/// </summary>
public sealed class IExecStakeChange
{
    /// <summary>Deposit or Withdraw.</summary>
    public required string Action { get; init; }

    /// <summary>The amount moved, nRLC.</summary>
    public required BigInteger Amount { get; init; }

    /// <summary>The account.</summary>
    public required string Address { get; init; }

    /// <summary>The free stake after it, nRLC.</summary>
    public required BigInteger Stake { get; init; }

    /// <summary>The locked stake after it, nRLC.</summary>
    public required BigInteger Locked { get; init; }

    /// <summary>The wallet's RLC after it, nRLC.</summary>
    public required BigInteger Balance { get; init; }

    /// <summary>The transaction.</summary>
    public required string TxHash { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The transaction hash.</summary>
    public override string ToString() => TxHash;
}
