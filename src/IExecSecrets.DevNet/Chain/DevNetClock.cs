using IExecSecrets.Core.Chain;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// The devnet chain's clock, which tests and the devnet worker move forward with anvil's <c>evm_increaseTime</c> and
/// <c>evm_mine</c> so that deadlines pass at once: a task expires (and can be claimed) without waiting its category's
/// hours. Moving the clock affects every user of the chain, which is acceptable on a single-user devnet only. Time
/// here is the chain's (the latest block's timestamp), never the local clock.
/// </summary>
public static class DevNetClock
{
    /// <summary>The chain's time: the latest block's timestamp.</summary>
    public static async Task<DateTimeOffset> NowAsync(JsonRpcClient rpc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var block = await rpc.CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds((long)JsonRpcClient.ParseQuantity(block.GetProperty("timestamp")));
    }

    /// <summary>Moves the clock forward by <paramref name="by"/> (whole seconds, at least 1) and mines a block at the new time; returns it.</summary>
    public static async Task<DateTimeOffset> AdvanceAsync(JsonRpcClient rpc, TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var seconds = (long)Math.Ceiling(by.TotalSeconds);
        if (seconds < 1) throw new ArgumentOutOfRangeException(nameof(by), by, "The clock only moves forward, by a second or more.");
        await rpc.SendOnceAsync("evm_increaseTime", [seconds], cancellationToken).ConfigureAwait(false);
        await rpc.SendOnceAsync("evm_mine", [], cancellationToken).ConfigureAwait(false);
        return await NowAsync(rpc, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the clock just past <paramref name="deadline"/> (a block is mined after it), or leaves it when it is already past; returns the chain's time.</summary>
    public static async Task<DateTimeOffset> AdvancePastAsync(JsonRpcClient rpc, DateTimeOffset deadline, CancellationToken cancellationToken = default)
    {
        var now = await NowAsync(rpc, cancellationToken).ConfigureAwait(false);
        return now > deadline ? now : await AdvanceAsync(rpc, deadline - now + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the clock past the final deadline of <paramref name="id"/>: a task (its own deadline once initialised) or
    /// a deal (start + final_deadline_ratio × its category's work clock, the deadline of every task never
    /// initialised). Returns the deadline passed and the chain's time after.
    /// </summary>
    public static async Task<(DateTimeOffset Deadline, DateTimeOffset Now)> ExpireAsync(JsonRpcClient rpc, EthAddress hub, byte[] id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var poco = new PoCoHub(rpc, hub);
        DateTimeOffset deadline;
        var task = await poco.ViewTaskAsync(id, cancellationToken).ConfigureAwait(false);
        if (task.Status != PoCoTaskStatus.Unset)
        {
            deadline = DateTimeOffset.FromUnixTimeSeconds((long)task.FinalDeadline);
        }
        else
        {
            var deal = await poco.ViewDealAsync(id, cancellationToken).ConfigureAwait(false);
            if (!deal.Exists) throw new ArgumentException($"{Hex.Encode(id)} is neither an initialised task nor a deal on this chain.", nameof(id));
            var ratio = await poco.FinalDeadlineRatioAsync(cancellationToken).ConfigureAwait(false);
            var category = await poco.ViewCategoryAsync(deal.Category, cancellationToken).ConfigureAwait(false);
            deadline = DateTimeOffset.FromUnixTimeSeconds((long)(deal.StartTime + ratio * category.WorkClockTimeRef));
        }
        return (deadline, await AdvancePastAsync(rpc, deadline, cancellationToken).ConfigureAwait(false));
    }
}
