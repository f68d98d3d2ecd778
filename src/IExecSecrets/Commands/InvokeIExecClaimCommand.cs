using System.Globalization;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>
/// Claims back the stake of a failed or expired task or deal (iexec task claim, iexec deal claim): PoCo's claim.
/// </summary>
/// <remarks>
/// <para>A task that is not COMPLETED when its final deadline has passed can be claimed: PoCo's claim marks it FAILED
/// and unlocks its price (app + dataset + workerpool) back to the free stake of the deal's sponsor (the requester,
/// unless a sponsor paid); the workerpool owner's stake for it is seized. Anyone may send the claim; the refund always
/// goes to the sponsor. Invoke is the verb because this invokes PoCo's claim method (PowerShell has no Claim verb);
/// Get-Command *Claim* finds it.</para>
/// <para>A task id (or a piped task) is claimed with claim(taskid), as iexec task claim does; a task never initialised
/// needs its deal (-DealId, or a task piped from Get-IExecTask -DealId) and is claimed with initializeAndClaimArray.
/// A deal id (or a piped deal, e.g. from Invoke-IExecApp or Get-IExecDeal) claims every task of the deal that is not
/// final, as iexec deal claim does: claimArray for the initialised tasks, initializeAndClaimArray for the others, at
/// most 50 tasks per transaction.</para>
/// <para>Before anything is signed the chain is read: a claim before the final deadline fails ClaimTooEarly with the
/// deadline (compared with the chain's time, which is what PoCo checks), a COMPLETED task TaskAlreadyCompleted, a task
/// already FAILED TaskAlreadyClaimed, a deal whose tasks are all final NothingToClaim. Each mined claim must carry the
/// hub's TaskClaimed event of every task it claims (ClaimUnconfirmed otherwise), and the output's Refunded is what the
/// hub's Unlock events gave the sponsor. Each item is its own claim; a failure is a non-terminating error and the
/// pipeline goes on.</para>
/// <para>The transaction's fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's
/// maxFeePerGas, else the chain's built-in cap) and its gas bounded; -WhatIf and -Confirm show the tasks, the expected
/// refund and the worst-case fee. A transaction that is not mined is reported TransactionPending or
/// TransactionReplaced, never as failed while it can still be mined.</para>
/// </remarks>
/// <example>
/// <code>Invoke-IExecClaim -TaskId 0xf95e...9384</code>
/// <para>Claims one task whose final deadline has passed; its price returns to the requester's stake.</para>
/// </example>
/// <example>
/// <code>Get-IExecDeal -Requester (Get-IExecWallet).Address | Where-Object { $_.Tasks.TimedOut -contains $true } | Invoke-IExecClaim</code>
/// <para>Claims every timed-out task of the connected wallet's recent deals, one claim per deal.</para>
/// </example>
/// <example>
/// <code>$deal = Invoke-IExecApp -App $app -Force; Invoke-IExecClaim -DealId $deal.DealId -WhatIf</code>
/// <para>Shows what claiming the deal would do (tasks, expected refund, worst-case fee), or why it cannot be claimed
/// yet, without signing anything.</para>
/// </example>
/// <input type="System.Object">IExecTask and IExecDeal objects (Get-IExecTask, Wait-IExecTask, Get-IExecDeal, Invoke-IExecApp), task ids, or
/// objects with a TaskId (and DealId) or a DealId property.</input>
/// <output type="IExecSecrets.Output.IExecClaim">One per claimed task or deal: the tasks, the refund and the transactions.</output>
[Cmdlet(VerbsLifecycle.Invoke, "IExecClaim", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Invoke-IExecClaim.md")]
[OutputType(typeof(IExecClaim))]
public sealed class InvokeIExecClaimCommand : ChainCommandBase
{
    private const string InputParameterSet = "Input";
    private const string TaskParameterSet = "Task";
    private const string DealParameterSet = "Deal";
    private FeeCap? _feeCap;
    private TransactionSender? _sender;

    /// <summary>
    /// What to claim, usually from the pipeline: a task (IExecTask from Get-IExecTask or Wait-IExecTask; claimed with its
    /// deal when it was never initialised), a deal (IExecDeal from Invoke-IExecApp or Get-IExecDeal: every task of it
    /// that is not final), or a task id.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputParameterSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object InputObject { get; set; } = null!;

    /// <summary>The task to claim: 0x followed by 64 hex digits.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TaskParameterSet)]
    [ValidateNotNullOrEmpty]
    public string TaskId { get; set; } = string.Empty;

    /// <summary>
    /// With -TaskId, the task's deal (needed only for a task never initialised); alone, the deal whose tasks to claim.
    /// </summary>
    [Parameter(ParameterSetName = TaskParameterSet)]
    [Parameter(Mandatory = true, ParameterSetName = DealParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? DealId { get; set; }

    /// <inheritdoc />
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public override string? Chain { get; set; }

    /// <summary>
    /// The most each claim transaction may pay per gas: a number of wei, or a number with a unit (2 gwei, 0.5 gwei).
    /// Default: the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas, else the
    /// chain's built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    /// <summary>Reads the task or deal, checks it can be claimed now, confirms, and claims it.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var (isDeal, taskText, dealText) = ParameterSetName switch
            {
                TaskParameterSet => (false, TaskId, DealId),
                DealParameterSet => (true, null, DealId),
                _ => Read(InputObject),
            };
            // Ids are checked before the chain, the wallet or the fee cap are needed.
            byte[] id = isDeal ? DealWatcher.ParseId(dealText, ErrorIds.InvalidDealId, "deal id") : DealWatcher.ParseId(taskText, ErrorIds.InvalidTaskId, "task id");
            var dealHint = !isDeal && !string.IsNullOrEmpty(dealText) ? DealWatcher.ParseId(dealText, ErrorIds.InvalidDealId, "deal id") : null;
            var chain = ChainProfile;
            _feeCap ??= FeeCapSetting.Resolve(this, chain, MaxFeePerGas);
            var hub = chain.RequireHub();
            var wallet = WalletSession.Current ?? WalletSession.Require();
            var claimer = new TaskClaimer(Rpc, hub);
            var plan = Await(isDeal ? claimer.PlanDealAsync(id, CancellationToken) : claimer.PlanTaskAsync(id, dealHint, CancellationToken));
            var batches = TaskClaimer.Batches(plan);
            var ceiling = batches.Aggregate(System.Numerics.BigInteger.Zero, (sum, b) => sum + b.GasCeiling) * TransactionSenderOptions.GasCeilingFactorOf(chain);
            var what = plan.Kind == ClaimKind.Task
                ? $"task {plan.Tasks[0].TaskId} of deal {plan.DealId}"
                : $"{plan.Tasks.Count} task(s) of deal {plan.DealId}";
            var description = $"{what}, final deadline {plan.Deadline.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} passed: "
                + $"{RlcAmount.Describe(plan.ExpectedRefund)} back to the stake of {plan.Sponsor}, in {batches.Count} transaction(s) "
                + $"({string.Join(", ", batches.Select(b => b.Method))}) on {chain.Name} (chain {chain.ChainId}), {_feeCap.DescribeWorstCase(ceiling, chain)}";
            WriteVerbose($"Claimable: {description}.");
            if (!ShouldProcess(description, "Claim (PoCo claim: the task becomes FAILED, its price returns to the sponsor)")) return;
            _sender ??= new TransactionSender(Rpc, wallet.Signer, chain.ChainId, TransactionSenderOptions.ForChain(chain, _feeCap));
            var outcome = Await(claimer.ClaimAsync(plan, _sender, CancellationToken));
            WriteVerbose($"Claimed {outcome.Claimed.Count} task(s) of deal {plan.DealId} in {string.Join(", ", outcome.Transactions)}; the hub unlocked {RlcAmount.Describe(outcome.Refunded)} to {plan.Sponsor}.");
            WriteObject(new IExecClaim
            {
                Kind = plan.Kind.ToString(),
                DealId = plan.DealId,
                TaskIds = outcome.Claimed.Select(t => t.TaskId).ToArray(),
                Sponsor = plan.Sponsor.ToString(),
                Refunded = outcome.Refunded,
                Deadline = plan.Deadline,
                TxHashes = outcome.Transactions.ToArray(),
                Chain = chain.Name,
                ChainId = chain.ChainId,
            });
        }
        catch (IExecException ex) when (ex.ErrorId is ErrorIds.InvalidTaskId or ErrorIds.InvalidDealId or ErrorIds.DealNotFound or ErrorIds.ClaimTooEarly
                                         or ErrorIds.TaskAlreadyClaimed or ErrorIds.TaskAlreadyCompleted or ErrorIds.NothingToClaim
                                         or ErrorIds.TaskNotInitialized or ErrorIds.ClaimUnconfirmed or ErrorIds.TransactionReverted
                                         or ErrorIds.TransactionPending or ErrorIds.TransactionReplaced)
        {
            // this item's own trouble: the next piped task or deal may be fine
            WriteIExecError(ex);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    // A piped deal is claimed whole; a piped task (or any object with a TaskId) by itself, with its DealId as the hint.
    private static (bool IsDeal, string? TaskId, string? DealId) Read(object input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        switch (value)
        {
            case IExecDeal deal: return (true, null, deal.DealId);
            case IExecTask task: return (false, task.TaskId, task.DealId);
            case string text: return (false, text, null);
        }
        var shown = PSObject.AsPSObject(input);
        var taskId = shown.Properties["TaskId"]?.Value?.ToString();
        var dealId = shown.Properties["DealId"]?.Value?.ToString();
        if (!string.IsNullOrEmpty(taskId)) return (false, taskId, dealId);
        if (!string.IsNullOrEmpty(dealId)) return (true, null, dealId);
        throw new IExecException(ErrorIds.InvalidTaskId,
            $"A {value.GetType().Name} is neither a task nor a deal: pipe tasks (Get-IExecTask), deals (Get-IExecDeal, Invoke-IExecApp) or task ids.", value.ToString())
        {
            RecommendedAction = "Pass -TaskId or -DealId.",
        };
    }
}
