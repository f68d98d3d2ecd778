using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>Deposits RLC from the connected wallet into its iExec account (iexec account deposit).</summary>
/// <remarks>
/// <para>Runs are paid from the stake of the requester's iExec account (the escrow on the PoCo hub), so RLC must be
/// deposited there first. Add is the verb because Deposit is not an approved PowerShell verb: Add-IExecStake adds to
/// the Stake that Get-IExecAccount shows, and Remove-IExecStake takes it back.</para>
/// <para>As iexec account deposit 8.24 and 9.0.1 do: on a token chain (Arbitrum-like) one transaction,
/// RLC.approveAndCall(hub, amount, 0x), approves the hub and lets it pull the amount; on a native chain
/// (bellecour-like) the hub's deposit() is sent the amount in the chain's coin (10^9 wei per nRLC). Before anything is
/// signed the amount must be more than 0 (InvalidAmount) and at most the wallet's balance
/// (InsufficientWalletBalance); the hub's token() decides the kind of chain (EscrowModeMismatch when chain.json's
/// "native" says otherwise). The mined transaction must carry the hub's Transfer minting exactly that amount to the
/// account (StakeChangeUnconfirmed otherwise).</para>
/// <para>The fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's maxFeePerGas, else the
/// chain's built-in cap) and the gas bounded; -WhatIf and -Confirm show the amount, the balances and the worst-case
/// fee. A transaction that is not mined is reported TransactionPending or TransactionReplaced.</para>
/// </remarks>
/// <example>
/// <code>Add-IExecStake -Amount '10 RLC'</code>
/// <para>Deposits 10 RLC from the connected wallet into its iExec account.</para>
/// </example>
/// <example>
/// <code>Add-IExecStake 500000000 -WhatIf</code>
/// <para>Shows the deposit of 0.5 RLC (the default unit is nRLC), the balances and the worst-case fee, without signing
/// anything.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecStakeChange">The deposit, its transaction and the account after it.</output>
[Cmdlet(VerbsCommon.Add, "IExecStake", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Add-IExecStake.md")]
[OutputType(typeof(IExecStakeChange))]
public sealed class AddIExecStakeCommand : StakeCommandBase
{
    /// <inheritdoc />
    private protected override StakeChangeKind Kind => StakeChangeKind.Deposit;
}
