using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets;

/// <summary>
/// Add-IExecStake and Remove-IExecStake: one amount, checked against the chain, confirmed with the worst-case fee,
/// sent through the module's <see cref="TransactionSender"/> and confirmed by the hub's event.
/// </summary>
public abstract class StakeCommandBase : ChainCommandBase
{
    /// <summary>
    /// The amount: a whole number of nRLC (1500000000), or a number with a unit: '1.5 RLC', '100 nRLC' (1 RLC = 10^9
    /// nRLC), as the iexec CLI takes it. Anything else fails InvalidAmount before any network call.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Amount { get; set; } = string.Empty;

    /// <summary>
    /// The most the transaction may pay per gas: a number of wei, or a number with a unit (2 gwei, 0.5 gwei). Default:
    /// the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas, else the chain's
    /// built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    /// <summary>Deposit or withdraw.</summary>
    private protected abstract StakeChangeKind Kind { get; }

    /// <summary>Parses the amount, checks it on chain, confirms and sends.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var amount = RlcAmount.Parse(Amount, nameof(Amount));
            var chain = ChainProfile;
            var feeCap = FeeCapSetting.Resolve(this, chain, MaxFeePerGas);
            var wallet = WalletSession.Current ?? WalletSession.Require();
            var manager = new StakeManager(Rpc, chain);
            var plan = Await(Kind == StakeChangeKind.Deposit
                ? manager.PlanDepositAsync(wallet.Address, amount, CancellationToken)
                : manager.PlanWithdrawAsync(wallet.Address, amount, CancellationToken));
            var before = plan.Before;
            var ceiling = plan.Call.GasCeiling!.Value * TransactionSenderOptions.GasCeilingFactorOf(chain);
            var target = Kind == StakeChangeKind.Deposit
                ? $"{RlcAmount.Describe(amount)} from the wallet {before.Address} (holding {RlcAmount.Describe(before.Balance)}"
                  + $"{(before.IsNative ? " of the chain's coin" : $" of the RLC token {before.Token}")}) into its iExec account (stake {RlcAmount.Describe(before.Stake)})"
                : $"{RlcAmount.Describe(amount)} from the iExec account of {before.Address} (stake {RlcAmount.Describe(before.Stake)}) back to the wallet";
            target += $" on {chain.Name} (chain {chain.ChainId}), {feeCap.DescribeWorstCase(ceiling, chain)}";
            var action = Kind == StakeChangeKind.Deposit
                ? (before.IsNative ? "Deposit (hub deposit() with the amount in the chain's coin)" : "Deposit (RLC approveAndCall to the hub)")
                : "Withdraw (hub withdraw)";
            if (!ShouldProcess(target, action)) return;
            var sender = new TransactionSender(Rpc, wallet.Signer, chain.ChainId, TransactionSenderOptions.ForChain(chain, feeCap));
            var change = Await(manager.ExecuteAsync(plan, sender, CancellationToken));
            WriteVerbose($"{Kind} of {RlcAmount.Describe(amount)} confirmed in {change.TransactionHash}; stake now {RlcAmount.Describe(change.After.Stake)}.");
            WriteObject(new IExecStakeChange
            {
                Action = Kind.ToString(),
                Amount = amount,
                Address = change.After.Address.ToString(),
                Stake = change.After.Stake,
                Locked = change.After.Locked,
                Balance = change.After.Balance,
                TxHash = change.TransactionHash,
                Chain = chain.Name,
                ChainId = chain.ChainId,
            });
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
