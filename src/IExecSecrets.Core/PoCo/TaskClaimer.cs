using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// Claims failed or expired tasks back, as <c>iexec task claim</c> and <c>iexec deal claim</c> 8.24/9.0.1 do: PoCo's
/// <c>claim</c> marks a task that is not final after its final deadline FAILED and unlocks its price (app + dataset +
/// workerpool) back to the deal's sponsor's free stake (the requester, unless a sponsor paid). A task is claimed with
/// <c>claim(taskid)</c>; a deal's initialised tasks with <c>claimArray</c> and its never-initialised ones with
/// <c>initializeAndClaimArray</c>, at most <see cref="MaxTasksPerTransaction"/> per transaction. A task never
/// initialised is claimed with its deal (<c>initializeAndClaimArray</c>) when the deal is known.
/// </summary>
/// <remarks>
/// The deadline is compared with the chain's time (the latest block's timestamp), which is what PoCo checks; the SDK
/// compares the local clock, which differs from a chain whose clock was moved (a devnet) and, by a few seconds, from
/// any chain. A task that is COMPLETED or already FAILED is refused before anything is signed
/// (<see cref="ErrorIds.TaskAlreadyCompleted"/>, <see cref="ErrorIds.TaskAlreadyClaimed"/>), as is a claim before the
/// deadline (<see cref="ErrorIds.ClaimTooEarly"/>, with the deadline). A mined claim must carry the hub's
/// <c>TaskClaimed</c> event of every task it claimed (<see cref="ErrorIds.ClaimUnconfirmed"/> otherwise); the amount
/// refunded is read from the hub's <c>Unlock</c> events for the sponsor in the receipts, not computed.
/// </remarks>
public sealed class TaskClaimer
{
    /// <summary>The most tasks one claimArray or initializeAndClaimArray transaction claims.</summary>
    public const int MaxTasksPerTransaction = 50;

    private static readonly byte[] TaskClaimedTopic = Abi.EventTopic("TaskClaimed(bytes32)");
    private static readonly byte[] UnlockTopic = Abi.EventTopic("Unlock(address,uint256)");

    private readonly JsonRpcClient _rpc;
    private readonly PoCoHub _hub;

    /// <summary>Claims on the hub at <paramref name="hub"/> through <paramref name="rpc"/>.</summary>
    public TaskClaimer(JsonRpcClient rpc, EthAddress hub)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _hub = new PoCoHub(rpc, hub);
    }

    /// <summary>
    /// Checks that <paramref name="taskId"/> can be claimed now, reading the chain only. A task never initialised needs
    /// its deal (<paramref name="dealId"/>), else <see cref="ErrorIds.TaskNotInitialized"/>.
    /// </summary>
    public async Task<ClaimPlan> PlanTaskAsync(byte[] taskId, byte[]? dealId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var taskHex = Hex.Encode(taskId);
        var task = await _hub.ViewTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        RefuseFinal(task.Status, taskHex, "task", taskHex);
        var initialised = task.Status != PoCoTaskStatus.Unset;
        PoCoDeal deal;
        byte[] dealBytes;
        BigInteger index;
        DateTimeOffset deadline;
        if (initialised)
        {
            dealBytes = task.DealId;
            deal = await _hub.ViewDealAsync(dealBytes, cancellationToken).ConfigureAwait(false);
            index = task.Index;
            deadline = DateTimeOffset.FromUnixTimeSeconds((long)task.FinalDeadline);
        }
        else
        {
            dealBytes = dealId ?? throw new IExecException(ErrorIds.TaskNotInitialized,
                $"Task {taskHex} was never initialised, so the chain does not know its deal yet; it is claimed with its deal.", taskHex)
            {
                RecommendedAction = "Pass its deal: -DealId 0x…, pipe the task from Get-IExecTask -DealId, or claim the whole deal (Get-IExecDeal <id> | Invoke-IExecClaim).",
            };
            deal = await ReadDealAsync(dealBytes, cancellationToken).ConfigureAwait(false);
            index = IndexIn(deal, dealBytes, taskId)
                ?? throw new IExecException(ErrorIds.InvalidTaskId,
                    $"Task {taskHex} is not a task of deal {Hex.Encode(dealBytes)} (tasks {deal.BotFirst}..{deal.BotFirst + deal.BotSize - 1}).", taskHex);
            deadline = await DealDeadlineAsync(deal, cancellationToken).ConfigureAwait(false);
        }
        var now = await ChainTimeAsync(cancellationToken).ConfigureAwait(false);
        if (deadline > now)
        {
            throw TooEarly($"Cannot claim a task before reaching the consensus deadline date: {Iso(deadline)}", deadline, now, taskHex);
        }
        return new ClaimPlan(ClaimKind.Task, Hex.Encode(dealBytes), deal.Sponsor, Price(deal),
            [new ClaimedTask(taskHex, index, initialised)], deadline, now);
    }

    /// <summary>
    /// Checks that <paramref name="dealId"/> has tasks to claim now, reading the chain only: its final time must have
    /// passed (<see cref="ErrorIds.ClaimTooEarly"/>), and at least one task must be neither COMPLETED nor FAILED
    /// (<see cref="ErrorIds.NothingToClaim"/>).
    /// </summary>
    public async Task<ClaimPlan> PlanDealAsync(byte[] dealId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealId);
        var dealHex = Hex.Encode(dealId);
        var deal = await ReadDealAsync(dealId, cancellationToken).ConfigureAwait(false);
        var deadline = await DealDeadlineAsync(deal, cancellationToken).ConfigureAwait(false);
        var now = await ChainTimeAsync(cancellationToken).ConfigureAwait(false);
        if (deadline > now)
        {
            throw TooEarly($"Cannot claim a deal before reaching the final time: {Iso(deadline)}", deadline, now, dealHex);
        }
        var indexes = Enumerable.Range(0, (int)deal.BotSize).Select(i => deal.BotFirst + i).ToList();
        var tasks = await Task.WhenAll(indexes.Select(i => _hub.ViewTaskAsync(ExecutionIds.TaskId(dealId, i), cancellationToken))).ConfigureAwait(false);
        var claimable = new List<ClaimedTask>();
        for (var i = 0; i < indexes.Count; i++)
        {
            if (tasks[i].Status is PoCoTaskStatus.Completed or PoCoTaskStatus.Failed) continue;
            claimable.Add(new ClaimedTask(Hex.Encode(ExecutionIds.TaskId(dealId, indexes[i])), indexes[i], tasks[i].Status != PoCoTaskStatus.Unset));
        }
        if (claimable.Count == 0)
        {
            var completed = tasks.Count(t => t.Status == PoCoTaskStatus.Completed);
            throw new IExecException(ErrorIds.NothingToClaim,
                $"Nothing to claim: the {tasks.Length} task(s) of deal {dealHex} are final ({completed} COMPLETED, {tasks.Length - completed} FAILED, already claimed).", dealHex);
        }
        return new ClaimPlan(ClaimKind.Deal, dealHex, deal.Sponsor, Price(deal), claimable, deadline, now);
    }

    /// <summary>
    /// The transactions <paramref name="plan"/> sends, in order: one <c>claim</c> for a task, else <c>claimArray</c>
    /// batches of the initialised tasks then <c>initializeAndClaimArray</c> batches of the others.
    /// </summary>
    public static IReadOnlyList<ClaimBatch> Batches(ClaimPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var batches = new List<ClaimBatch>();
        if (plan.Kind == ClaimKind.Task && plan.Tasks[0].Initialised)
        {
            var only = plan.Tasks[0];
            batches.Add(new ClaimBatch("claim", [only], Abi.EncodeCall("claim(bytes32)", Hex.Decode(only.TaskId)), GasCeilings.Claim(1)));
            return batches;
        }
        var dealId = Hex.Decode(plan.DealId);
        foreach (var chunk in plan.Tasks.Where(t => t.Initialised).Chunk(MaxTasksPerTransaction))
        {
            batches.Add(new ClaimBatch("claimArray", chunk,
                Abi.EncodeCall("claimArray(bytes32[])", (object)chunk.Select(t => (object?)Hex.Decode(t.TaskId)).ToArray()), GasCeilings.Claim(chunk.Length)));
        }
        foreach (var chunk in plan.Tasks.Where(t => !t.Initialised).Chunk(MaxTasksPerTransaction))
        {
            batches.Add(new ClaimBatch("initializeAndClaimArray", chunk,
                Abi.EncodeCall("initializeAndClaimArray(bytes32[],uint256[])",
                    (object)chunk.Select(_ => (object?)dealId).ToArray(), (object)chunk.Select(t => (object?)t.Index).ToArray()),
                GasCeilings.InitializeAndClaim(chunk.Length)));
        }
        return batches;
    }

    /// <summary>
    /// Sends the claim transactions of <paramref name="plan"/> through <paramref name="sender"/>, each checked for the
    /// hub's TaskClaimed event of every task it claims. If a later transaction fails, the error says which tasks the
    /// earlier ones already claimed.
    /// </summary>
    public async Task<ClaimOutcome> ClaimAsync(ClaimPlan plan, TransactionSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sender);
        var transactions = new List<string>();
        var claimed = new List<ClaimedTask>();
        var refunded = BigInteger.Zero;
        foreach (var batch in Batches(plan))
        {
            Receipt receipt;
            try
            {
                receipt = await sender.SendAsync(new TransactionCall(_hub.Address, batch.Calldata)
                {
                    GasCeiling = batch.GasCeiling,
                    Label = $"the {batch.Method} of {batch.Tasks.Count} task(s) of deal {plan.DealId}",
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (IExecException e) when (claimed.Count > 0)
            {
                throw new IExecException(e.ErrorId,
                    $"{e.Message} Earlier transactions ({string.Join(", ", transactions)}) already claimed {claimed.Count} task(s): {string.Join(", ", claimed.Select(t => t.TaskId))}.",
                    e.Target, e)
                { RecommendedAction = e.RecommendedAction };
            }
            var seen = receipt.LogsOf(TaskClaimedTopic, _hub.Address).Where(l => l.Topics.Count > 1).Select(l => Hex.Encode(l.Topics[1])).ToHashSet(StringComparer.Ordinal);
            var missing = batch.Tasks.Where(t => !seen.Contains(t.TaskId)).ToList();
            if (missing.Count > 0)
            {
                throw new IExecException(ErrorIds.ClaimUnconfirmed,
                    $"Transaction {receipt.TransactionHash} ({batch.Method}) was mined, but its receipt has no TaskClaimed event of the hub {_hub.Address} for "
                    + $"{string.Join(", ", missing.Select(t => t.TaskId))}: the claim is not confirmed.", receipt.TransactionHash)
                {
                    RecommendedAction = "Read the tasks again (Get-IExecTask) before claiming again: a claimed task is FAILED.",
                };
            }
            refunded += receipt.LogsOf(UnlockTopic, _hub.Address)
                .Where(l => l.Data.Length == 64 && EthAddress.FromBytes(l.Data.AsSpan(12, 20)) == plan.Sponsor)
                .Aggregate(BigInteger.Zero, (sum, l) => sum + new BigInteger(l.Data.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
            transactions.Add(receipt.TransactionHash);
            claimed.AddRange(batch.Tasks);
        }
        return new ClaimOutcome(plan, claimed, transactions, refunded);
    }

    /// <summary>The chain's time: the latest block's timestamp.</summary>
    public async Task<DateTimeOffset> ChainTimeAsync(CancellationToken cancellationToken = default)
    {
        var block = await _rpc.CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds((long)JsonRpcClient.ParseQuantity(block.GetProperty("timestamp")));
    }

    private async Task<PoCoDeal> ReadDealAsync(byte[] dealId, CancellationToken cancellationToken)
    {
        var deal = await _hub.ViewDealAsync(dealId, cancellationToken).ConfigureAwait(false);
        if (!deal.Exists)
            throw new IExecException(ErrorIds.DealNotFound, $"No deal found for dealid {Hex.Encode(dealId)}", Hex.Encode(dealId));
        return deal;
    }

    // The deal's final time as the SDK computes it: start + final_deadline_ratio × the category's work clock.
    private async Task<DateTimeOffset> DealDeadlineAsync(PoCoDeal deal, CancellationToken cancellationToken)
    {
        var ratio = await _hub.FinalDeadlineRatioAsync(cancellationToken).ConfigureAwait(false);
        var category = await _hub.ViewCategoryAsync(deal.Category, cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds((long)(deal.StartTime + ratio * category.WorkClockTimeRef));
    }

    private static BigInteger? IndexIn(PoCoDeal deal, byte[] dealId, byte[] taskId)
    {
        for (var i = deal.BotFirst; i < deal.BotFirst + deal.BotSize; i++)
        {
            if (ExecutionIds.TaskId(dealId, i).AsSpan().SequenceEqual(taskId)) return i;
        }
        return null;
    }

    private static BigInteger Price(PoCoDeal deal) => deal.App.Price + deal.Dataset.Price + deal.Workerpool.Price;

    private static void RefuseFinal(PoCoTaskStatus status, string taskHex, string what, string target)
    {
        if (status == PoCoTaskStatus.Completed)
        {
            throw new IExecException(ErrorIds.TaskAlreadyCompleted,
                $"Cannot claim a {what} having status COMPLETED: task {taskHex} has its result, and its price was paid.", target)
            { RecommendedAction = "Download its result with Save-IExecTaskResult." };
        }
        if (status == PoCoTaskStatus.Failed)
        {
            throw new IExecException(ErrorIds.TaskAlreadyClaimed,
                $"Cannot claim a {what} having status FAILED: task {taskHex} was already claimed, and its price went back to the sponsor's stake then.", target)
            { RecommendedAction = "Nothing is left to claim; Get-IExecAccount shows the stake." };
        }
    }

    private static IExecException TooEarly(string message, DateTimeOffset deadline, DateTimeOffset now, string target) =>
        new(ErrorIds.ClaimTooEarly,
            $"{message} (chain time now {Iso(now)}, {Wait(deadline - now)} to go). Nothing was signed.", target)
        {
            RecommendedAction = $"Claim again after {Iso(deadline)}; until then a worker may still complete it (Wait-IExecTask).",
        };

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Wait(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
        : $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";
}

/// <summary>A claim of one task, or of a deal's tasks.</summary>
public enum ClaimKind
{
    /// <summary><c>iexec task claim</c>.</summary>
    Task,

    /// <summary><c>iexec deal claim</c>.</summary>
    Deal,
}

/// <summary>A task a claim covers.</summary>
/// <param name="TaskId">0x + 64 lower-case hex digits.</param>
/// <param name="Index">Its index in the deal.</param>
/// <param name="Initialised">False when the task was never initialised (claimed with initializeAndClaimArray).</param>
public sealed record ClaimedTask(string TaskId, BigInteger Index, bool Initialised);

/// <summary>What a claim will do, checked against the chain, nothing signed.</summary>
/// <param name="Kind">Task or deal.</param>
/// <param name="DealId">The deal.</param>
/// <param name="Sponsor">Who paid the deal: the refund goes to this account's stake.</param>
/// <param name="PricePerTask">app + dataset + workerpool price of the deal, nRLC: what each claimed task unlocks.</param>
/// <param name="Tasks">The tasks to claim.</param>
/// <param name="Deadline">The final deadline that has passed.</param>
/// <param name="ChainTime">The chain time it was compared with.</param>
public sealed record ClaimPlan(ClaimKind Kind, string DealId, EthAddress Sponsor, BigInteger PricePerTask, IReadOnlyList<ClaimedTask> Tasks,
    DateTimeOffset Deadline, DateTimeOffset ChainTime)
{
    /// <summary>The stake the claim should give back to the sponsor, nRLC.</summary>
    public BigInteger ExpectedRefund => PricePerTask * Tasks.Count;
}

/// <summary>One claim transaction.</summary>
/// <param name="Method">claim, claimArray or initializeAndClaimArray.</param>
/// <param name="Tasks">The tasks it claims.</param>
/// <param name="Calldata">Its calldata.</param>
/// <param name="GasCeiling">The most gas it can need (before the chain's factor).</param>
public sealed record ClaimBatch(string Method, IReadOnlyList<ClaimedTask> Tasks, byte[] Calldata, BigInteger GasCeiling);

/// <summary>What a claim did.</summary>
/// <param name="Plan">The claim.</param>
/// <param name="Claimed">The tasks claimed (each confirmed by a TaskClaimed event).</param>
/// <param name="Transactions">The transactions, in order.</param>
/// <param name="Refunded">nRLC unlocked to the sponsor, summed from the hub's Unlock events in the receipts.</param>
public sealed record ClaimOutcome(ClaimPlan Plan, IReadOnlyList<ClaimedTask> Claimed, IReadOnlyList<string> Transactions, BigInteger Refunded);
