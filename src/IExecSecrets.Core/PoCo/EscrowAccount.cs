using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// One account's RLC on a PoCo hub, read as <c>iexec account show</c> and <c>iexec wallet show</c> 8.24/9.0.1 do: the
/// escrow account (<c>viewAccount</c>: free stake and locked stake) and the wallet's RLC outside it (on a native
/// chain, the chain's own coin in wei truncated to nRLC; on a token chain, the RLC token's <c>balanceOf</c>), plus the
/// wallet's native coin (what fees are paid with).
/// </summary>
/// <param name="Address">The account.</param>
/// <param name="Token">The RLC token (<c>token()</c> of the hub), or null on a native chain.</param>
/// <param name="Balance">The wallet's RLC outside the escrow, nRLC.</param>
/// <param name="NativeBalance">The wallet's native coin, wei.</param>
/// <param name="Stake">The escrow's free stake, nRLC: what runs are paid from and what can be withdrawn.</param>
/// <param name="Locked">The escrow's locked stake, nRLC: the price of deals not finished yet, until they complete or are claimed.</param>
public sealed record EscrowAccount(EthAddress Address, EthAddress? Token, BigInteger Balance, BigInteger NativeBalance, BigInteger Stake, BigInteger Locked)
{
    /// <summary>True on a native (bellecour-like) escrow, whose RLC is the chain's own coin.</summary>
    public bool IsNative => Token is null;

    /// <summary>
    /// Reads <paramref name="address"/>'s account on the hub <paramref name="hub"/> of <paramref name="chain"/>. The hub's
    /// <c>token()</c> decides native or token mode; a chain.json that says otherwise (<c>native</c>) fails
    /// <see cref="ErrorIds.EscrowModeMismatch"/>: what the file says would make a deposit send the wrong transaction.
    /// </summary>
    public static async Task<EscrowAccount> ReadAsync(JsonRpcClient rpc, ChainProfile chain, EthAddress hub, EthAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(chain);
        var poco = new PoCoHub(rpc, hub);
        var token = await TokenOfAsync(poco, chain, cancellationToken).ConfigureAwait(false);
        var accountTask = poco.ViewAccountAsync(address, cancellationToken);
        var nativeTask = rpc.GetBalanceAsync(address, cancellationToken: cancellationToken);
        var native = await nativeTask.ConfigureAwait(false);
        var account = await accountTask.ConfigureAwait(false);
        var balance = token is { } t ? await TokenBalanceAsync(rpc, t, address, cancellationToken).ConfigureAwait(false) : native / RlcAmount.WeiPerNRlc;
        return new EscrowAccount(address, token, balance, native, account.Stake, account.Locked);
    }

    /// <summary>
    /// The hub's RLC token, or null on a native hub (<c>token()</c> is zero), checked against chain.json's
    /// <c>native</c> when it is set (<see cref="ErrorIds.EscrowModeMismatch"/>).
    /// </summary>
    public static async Task<EthAddress?> TokenOfAsync(PoCoHub hub, ChainProfile chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(chain);
        var token = await hub.TokenAsync(cancellationToken).ConfigureAwait(false);
        var native = token.IsZero;
        if (chain.Native is { } said && said != native)
        {
            throw new IExecException(ErrorIds.EscrowModeMismatch,
                $"chain.json says chain {chain.Name} is {(said ? "native" : "a token chain")}, but its hub {hub.Address} "
                + (native ? "has no RLC token (token() is 0x0): its escrow holds the chain's own coin." : $"holds the RLC token {token}."), chain.Name)
            {
                RecommendedAction = $"Fix \"native\" in the chain's chain.json entry ({(native ? "true" : "false")}), or check its hub address.",
            };
        }
        return native ? null : token;
    }

    /// <summary>The RLC token balance (<c>balanceOf</c>) of <paramref name="address"/>, nRLC.</summary>
    public static async Task<BigInteger> TokenBalanceAsync(JsonRpcClient rpc, EthAddress token, EthAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var result = await rpc.EthCallAsync(token, Abi.EncodeCall("balanceOf(address)", address), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (BigInteger)Abi.Decode("uint256", result)[0]!;
    }
}
