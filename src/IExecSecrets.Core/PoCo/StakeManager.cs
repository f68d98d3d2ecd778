using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// Moves RLC into and out of an account's escrow on the hub, as <c>iexec account deposit</c> and
/// <c>withdraw</c> 8.24/9.0.1 do: a deposit is <c>RLC.approveAndCall(hub, amount, 0x)</c> on a token chain (one
/// transaction that approves and lets the hub pull the amount) and the hub's payable <c>deposit()</c> with
/// amount × 10^9 wei on a native chain; a withdraw is the hub's <c>withdraw(amount)</c>. Every amount is checked
/// against the chain before anything is signed (more than 0, at most the wallet's RLC or the free stake), and every
/// mined transaction must carry the hub's own <c>Transfer</c> of the account's escrow tokens (minted by a deposit,
/// burnt by a withdraw) for exactly that amount, else <see cref="ErrorIds.StakeChangeUnconfirmed"/>.
/// </summary>
public sealed class StakeManager
{
    private readonly JsonRpcClient _rpc;
    private readonly ChainProfile _chain;
    private readonly EthAddress _hub;

    /// <summary>Works on the hub of <paramref name="chain"/> through <paramref name="rpc"/>.</summary>
    public StakeManager(JsonRpcClient rpc, ChainProfile chain)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _hub = chain.RequireHub();
    }

    /// <summary>
    /// Checks a deposit of <paramref name="amount"/> nRLC from <paramref name="account"/>'s wallet, reading the chain only:
    /// <see cref="ErrorIds.InvalidAmount"/> for 0 or less, <see cref="ErrorIds.InsufficientWalletBalance"/> above the
    /// wallet's RLC ("Deposit amount exceed wallet balance" in the SDK).
    /// </summary>
    public async Task<StakeChangePlan> PlanDepositAsync(EthAddress account, BigInteger amount, CancellationToken cancellationToken = default)
    {
        var before = await ReadAbleToGiveAsync(account, amount, StakeChangeKind.Deposit, cancellationToken).ConfigureAwait(false);
        var call = before.Token is { } token
            ? new TransactionCall(token, Abi.EncodeCall("approveAndCall(address,uint256,bytes)", _hub, amount, Array.Empty<byte>()))
            {
                GasCeiling = GasCeilings.TokenDeposit, Label = $"the deposit of {RlcAmount.Describe(amount)}",
            }
            : new TransactionCall(_hub, PoCoHub.EncodeDeposit())
            {
                Value = amount * RlcAmount.WeiPerNRlc, GasCeiling = GasCeilings.NativeDeposit, Label = $"the deposit of {RlcAmount.Describe(amount)}",
            };
        return new StakeChangePlan(StakeChangeKind.Deposit, amount, before, call);
    }

    /// <summary>
    /// Checks a withdraw of <paramref name="amount"/> nRLC from <paramref name="account"/>'s free stake, reading the
    /// chain only: <see cref="ErrorIds.InvalidAmount"/> for 0 or less, <see cref="ErrorIds.InsufficientAccountStake"/>
    /// above the free stake ("Withdraw amount exceed account balance" in the SDK; locked stake cannot be withdrawn).
    /// </summary>
    public async Task<StakeChangePlan> PlanWithdrawAsync(EthAddress account, BigInteger amount, CancellationToken cancellationToken = default)
    {
        var before = await ReadAbleToGiveAsync(account, amount, StakeChangeKind.Withdraw, cancellationToken).ConfigureAwait(false);
        var call = new TransactionCall(_hub, Abi.EncodeCall("withdraw(uint256)", amount))
        {
            GasCeiling = GasCeilings.Withdraw, Label = $"the withdraw of {RlcAmount.Describe(amount)}",
        };
        return new StakeChangePlan(StakeChangeKind.Withdraw, amount, before, call);
    }

    /// <summary>
    /// Sends <paramref name="plan"/> through <paramref name="sender"/> (the account's), checks the hub's
    /// <c>Transfer</c> for it in the receipt and reads the account again.
    /// </summary>
    public async Task<StakeChange> ExecuteAsync(StakeChangePlan plan, TransactionSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sender);
        var account = plan.Before.Address;
        if (sender.From != account) throw new ArgumentException("The sender is not the planned account.", nameof(sender));
        var receipt = await sender.SendAsync(plan.Call, cancellationToken).ConfigureAwait(false);
        // The hub mints escrow tokens to the account on a deposit and burns them on a withdraw (ERC-20 Transfer from or
        // to 0x0, emitted by the hub itself): the one event that says the escrow moved by this amount.
        var (from, to) = plan.Kind == StakeChangeKind.Deposit ? (EthAddress.Zero, account) : (account, EthAddress.Zero);
        var confirmed = receipt.LogsOf(EventTopics.Transfer, _hub).Any(log => log.Topics.Count == 3
            && EthAddress.FromBytes(log.Topics[1].AsSpan(12, 20)) == from && EthAddress.FromBytes(log.Topics[2].AsSpan(12, 20)) == to
            && log.Data.Length == 32 && new BigInteger(log.Data, isUnsigned: true, isBigEndian: true) == plan.Amount);
        if (!confirmed)
        {
            throw new IExecException(ErrorIds.StakeChangeUnconfirmed,
                $"Transaction {receipt.TransactionHash} was mined, but its receipt has no Transfer of {RlcAmount.Describe(plan.Amount)} "
                + $"{(plan.Kind == StakeChangeKind.Deposit ? "minted to" : "burnt from")} {account} by the hub {_hub}: the {plan.Kind.ToString().ToLowerInvariant()} is not confirmed.",
                receipt.TransactionHash)
            {
                RecommendedAction = "Check the account with Get-IExecAccount (and the transaction on a block explorer) before trying again.",
            };
        }
        var after = await EscrowAccount.ReadAsync(_rpc, _chain, _hub, account, cancellationToken).ConfigureAwait(false);
        return new StakeChange(plan, receipt.TransactionHash, after);
    }

    // The account as the chain holds it now, once it is known to be able to give the amount: more than 0 (the SDK's
    // words), and at most the wallet's RLC for a deposit or the free stake for a withdraw. Nothing is signed before.
    private async Task<EscrowAccount> ReadAbleToGiveAsync(EthAddress account, BigInteger amount, StakeChangeKind kind, CancellationToken cancellationToken)
    {
        var deposit = kind == StakeChangeKind.Deposit;
        if (amount.Sign <= 0) throw new IExecException(ErrorIds.InvalidAmount, $"{(deposit ? "Deposit" : "Withdraw")} amount must be greater than 0", "Amount");
        var before = await EscrowAccount.ReadAsync(_rpc, _chain, _hub, account, cancellationToken).ConfigureAwait(false);
        var coin = before.IsNative ? "of the chain's native coin" : $"of the RLC token {before.Token}";
        if (deposit && before.Balance < amount)
        {
            throw new IExecException(ErrorIds.InsufficientWalletBalance,
                $"Deposit amount exceed wallet balance: {RlcAmount.Describe(amount)} asked, the wallet {account} holds {RlcAmount.Describe(before.Balance)} {coin}. Nothing was signed.", account.ToString())
            { RecommendedAction = "Deposit at most the wallet's balance (Get-IExecAccount shows it), or fund the wallet first." };
        }
        if (!deposit && before.Stake < amount)
        {
            throw new IExecException(ErrorIds.InsufficientAccountStake,
                $"Withdraw amount exceed account balance: {RlcAmount.Describe(amount)} asked, the iExec account of {account} has {RlcAmount.Describe(before.Stake)} of free stake "
                + $"({RlcAmount.Describe(before.Locked)} locked by deals not finished yet). Nothing was signed.", account.ToString())
            { RecommendedAction = "Withdraw at most the free stake (Get-IExecAccount shows it); locked stake comes back when its deals complete or are claimed (Invoke-IExecClaim)." };
        }
        return before;
    }
}

/// <summary>Deposit into, or withdraw from, the escrow.</summary>
public enum StakeChangeKind
{
    /// <summary>Wallet RLC into the escrow (<c>iexec account deposit</c>).</summary>
    Deposit,

    /// <summary>Free stake back to the wallet (<c>iexec account withdraw</c>).</summary>
    Withdraw,
}

/// <summary>A checked deposit or withdraw, not sent yet.</summary>
/// <param name="Kind">Deposit or withdraw.</param>
/// <param name="Amount">nRLC.</param>
/// <param name="Before">The account when it was checked.</param>
/// <param name="Call">The transaction to send (its gas ceiling set).</param>
public sealed record StakeChangePlan(StakeChangeKind Kind, BigInteger Amount, EscrowAccount Before, TransactionCall Call);

/// <summary>A deposit or withdraw that was mined and confirmed by the hub's event.</summary>
/// <param name="Plan">What was sent.</param>
/// <param name="TransactionHash">Its transaction.</param>
/// <param name="After">The account read after it.</param>
public sealed record StakeChange(StakeChangePlan Plan, string TransactionHash, EscrowAccount After);
