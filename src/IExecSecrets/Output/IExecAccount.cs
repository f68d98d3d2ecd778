using System.Numerics;

namespace IExecSecrets.Output;

/// <summary>
/// An account's RLC as <c>Get-IExecAccount</c> reads it (<c>iexec account show</c> and <c>iexec wallet show</c>): the
/// wallet's RLC, and its iExec account (escrow) on the hub: free stake and locked stake. Amounts are nRLC (10^9 per
/// RLC).
/// </summary>
public sealed class IExecAccount
{
    /// <summary>The account address.</summary>
    public required string Address { get; init; }

    /// <summary>Native (RLC is the chain's own coin, bellecour-like) or Token (the RLC token, Arbitrum-like).</summary>
    public required string Escrow { get; init; }

    /// <summary>The RLC token, or null on a native chain.</summary>
    public string? Token { get; init; }

    /// <summary>The wallet's RLC outside the iExec account, nRLC: what Add-IExecStake can deposit.</summary>
    public required BigInteger Balance { get; init; }

    /// <summary>The free stake of the iExec account, nRLC: what runs are paid from and Remove-IExecStake can withdraw.</summary>
    public required BigInteger Stake { get; init; }

    /// <summary>The locked stake, nRLC: the price of deals not finished yet, until they complete or are claimed.</summary>
    public required BigInteger Locked { get; init; }

    /// <summary>
    /// <see cref="Stake"/> in RLC as <c>iexec account show</c> prints it (e.g. <c>1000.0</c>): the table shows it; compare
    /// and sum with the nRLC <see cref="Stake"/>.
    /// </summary>
    public string StakeRlc => Core.PoCo.RlcAmount.FormatRlc(Stake);

    /// <summary><see cref="Locked"/> in RLC as <c>iexec account show</c> prints it.</summary>
    public string LockedRlc => Core.PoCo.RlcAmount.FormatRlc(Locked);

    /// <summary>The wallet's native coin, wei: what transaction fees are paid with.</summary>
    public required BigInteger NativeBalance { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The address.</summary>
    public override string ToString() => Address;

    internal static IExecAccount From(Core.PoCo.EscrowAccount account, Core.Config.ChainProfile chain) => new()
    {
        Address = account.Address.ToString(),
        Escrow = account.IsNative ? "Native" : "Token",
        Token = account.Token?.ToString(),
        Balance = account.Balance,
        Stake = account.Stake,
        Locked = account.Locked,
        NativeBalance = account.NativeBalance,
        Chain = chain.Name,
        ChainId = chain.ChainId,
    };
}
