using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>Withdraws RLC from the connected wallet's iExec account back to the wallet (iexec account withdraw).</summary>
/// <remarks>
/// <para>Remove is the verb because Withdraw is not an approved PowerShell verb: Remove-IExecStake takes from the
/// Stake that Get-IExecAccount shows what Add-IExecStake put there. Only the free stake can be withdrawn: the locked
/// stake pays deals not finished yet (claim failed ones back with Invoke-IExecClaim first).</para>
/// <para>As iexec account withdraw 8.24 and 9.0.1 do, the hub's withdraw(amount) is sent: on a token chain the hub
/// transfers the RLC token back, on a native chain the chain's coin (10^9 wei per nRLC). Before anything is signed the
/// amount must be more than 0 (InvalidAmount) and at most the free stake (InsufficientAccountStake). The mined
/// transaction must carry the hub's Transfer burning exactly that amount from the account (StakeChangeUnconfirmed
/// otherwise).</para>
/// <para>The fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's maxFeePerGas, else the
/// chain's built-in cap) and the gas bounded; -WhatIf and -Confirm show the amount, the stake and the worst-case fee.
/// ConfirmImpact is High: the stake leaves the account that pays for runs.</para>
/// </remarks>
/// <example>
/// <code>Remove-IExecStake -Amount '2.5 RLC'</code>
/// <para>Withdraws 2.5 RLC of free stake back to the connected wallet, after confirmation.</para>
/// </example>
/// <example>
/// <code>Remove-IExecStake -Amount "$((Get-IExecAccount).Stake) nRLC" -Confirm:$false</code>
/// <para>Withdraws the whole free stake without asking.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecStakeChange">The withdraw, its transaction and the account after it.</output>
[Cmdlet(VerbsCommon.Remove, "IExecStake", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Remove-IExecStake.md")]
[OutputType(typeof(IExecStakeChange))]
public sealed class RemoveIExecStakeCommand : StakeCommandBase
{
    /// <inheritdoc />
    private protected override StakeChangeKind Kind => StakeChangeKind.Withdraw;
}
