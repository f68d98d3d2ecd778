using System.Numerics;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Reads deals and tasks and watches a deal to the end like the SDK's <c>obsDeal</c>: every task is polled with
/// <c>viewTask</c> at an interval (5 s by default) until each is COMPLETED, FAILED or past its final deadline. A poll
/// that fails on the RPC is reported and retried at the next tick, so a node hiccup never ends the watch; stopping
/// the watch (cancellation) only stops reading and changes nothing on chain.
/// </summary>
public sealed class DealWatcher
{
    private readonly JsonRpcClient _rpc;
    private readonly PoCoHub _hub;
    private BigInteger? _ratio;

    /// <summary>Binds the hub at <paramref name="hub"/>.</summary>
    public DealWatcher(JsonRpcClient rpc, EthAddress hub)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _hub = new PoCoHub(rpc, hub);
    }

    /// <summary>The clock used for TIMEOUT; the SDK uses the local clock.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>Parses a 32-byte id, or throws <paramref name="errorId"/> naming <paramref name="what"/>.</summary>
    public static byte[] ParseId(string? text, string errorId, string what)
    {
        if (Hex.IsHex(text, 32)) return Hex.Decode(text!);
        throw new IExecException(errorId, $"{text} is not a valid {what} (0x followed by 64 hex digits)", text);
    }

    /// <summary>The deal, its task ids and its tasks' final deadline; <see cref="ErrorIds.DealNotFound"/> for an unknown id.</summary>
    public Task<DealInfo> GetDealAsync(byte[] dealId, CancellationToken cancellationToken = default) =>
        GetDealAsync(dealId, null, cancellationToken);

    /// <summary>
    /// <see cref="GetDealAsync(byte[], CancellationToken)"/> in one JSON-RPC batch when the caller knows the deal's
    /// category (<paramref name="expectedCategory"/>, e.g. the request order's, right after the match): the deal, the
    /// category's work clock and <c>final_deadline_ratio</c> (a PoCo constant, read once per watcher).
    /// The deadline always uses the category the chain's deal names: another one is read before it is used.
    /// </summary>
    public async Task<DealInfo> GetDealAsync(byte[] dealId, BigInteger? expectedCategory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealId);
        var ratio = _ratio;
        var calls = new List<(string, object?[]?)> { Call(PoCoHub.EncodeViewDeal(dealId)) };
        if (ratio is null) calls.Add(Call(Abi.EncodeCall("final_deadline_ratio()")));
        if (expectedCategory is { } guess) calls.Add(Call(PoCoHub.EncodeViewCategory(guess)));
        var answers = await _rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        var deal = PoCoHub.DecodeDeal(Bytes(answers[0]));
        if (!deal.Exists)
            throw new IExecException(ErrorIds.DealNotFound, $"No deal found for dealid {Hex.Encode(dealId)}", Hex.Encode(dealId));
        if (ratio is null)
        {
            ratio = (BigInteger)Abi.Decode("uint256", Bytes(answers[1]))[0]!;
            _ratio = ratio;
        }
        var category = expectedCategory == deal.Category
            ? PoCoHub.DecodeCategory(Bytes(answers[^1]))
            : await _hub.ViewCategoryAsync(deal.Category, cancellationToken).ConfigureAwait(false);
        var deadline = DateTimeOffset.FromUnixTimeSeconds((long)(deal.StartTime + ratio.Value * category.WorkClockTimeRef));
        var tasks = new List<string>();
        for (var i = BigInteger.Zero; i < deal.BotSize; i++) tasks.Add(Hex.Encode(ExecutionIds.TaskId(dealId, deal.BotFirst + i)));
        return new DealInfo(Hex.Encode(dealId), deal, deadline, tasks);
    }

    private (string, object?[]?) Call(byte[] data) =>
        ("eth_call", [new System.Text.Json.Nodes.JsonObject { ["to"] = _hub.Address.ToLowerHex(), ["data"] = Hex.Encode(data) }, "latest"]);

    private static byte[] Bytes(JsonElement result) => Hex.Decode(result.GetString() ?? "0x");

    /// <summary>
    /// One task. An uninitialised task (status UNSET, no deal on chain yet) takes its deal id and deadline from
    /// <paramref name="deal"/> when given; without it the deadline is unknown and it never reads as TIMEOUT.
    /// </summary>
    public async Task<TaskInfo> GetTaskAsync(byte[] taskId, DealInfo? deal = null, CancellationToken cancellationToken = default)
    {
        var task = await _hub.ViewTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        var initialised = !task.DealId.All(b => b == 0);
        DateTimeOffset? deadline = initialised ? DateTimeOffset.FromUnixTimeSeconds((long)task.FinalDeadline) : deal?.FinalDeadline;
        var (storage, location) = DecodeResults(task.Results);
        var index = initialised ? task.Index
            : deal is null ? BigInteger.Zero : deal.BotFirst + deal.TaskIds.ToList().IndexOf(Hex.Encode(taskId));
        return new TaskInfo
        {
            TaskId = Hex.Encode(taskId),
            DealId = initialised ? Hex.Encode(task.DealId) : deal?.DealId,
            Index = index,
            Status = task.Status,
            TimedOut = task.Status < PoCoTaskStatus.Completed && deadline is { } d && Clock() >= d,
            FinalDeadline = deadline,
            ResultStorage = storage,
            ResultLocation = location,
            // Written on chain by a worker and shown as is by the output objects: cleaned of terminal control characters.
            ResultsText = Text.ForeignText.Clean(Encoding.UTF8.GetString(task.Results)),
        };
    }

    /// <summary>
    /// Polls every task of <paramref name="dealId"/> every <paramref name="interval"/> until all are final, reporting
    /// each round to <paramref name="progress"/>; returns the final states.
    /// </summary>
    public async Task<IReadOnlyList<TaskInfo>> WatchAsync(byte[] dealId, TimeSpan interval, IProgress<DealProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        DealInfo? deal = null;
        IReadOnlyList<TaskInfo> latest = [];
        while (true)
        {
            try
            {
                deal ??= await GetDealAsync(dealId, cancellationToken).ConfigureAwait(false);
                var tasks = await Task.WhenAll(deal.TaskIds.Select(id => GetTaskAsync(Hex.Decode(id), deal, cancellationToken))).ConfigureAwait(false);
                latest = tasks;
                progress?.Report(new DealProgress(latest));
                if (latest.All(t => t.IsFinal)) return latest;
            }
            catch (IExecException e) when (e.ErrorId is ErrorIds.RpcUnreachable or ErrorIds.RpcError)
            {
                progress?.Report(new DealProgress(latest, $"The RPC node did not answer ({e.Message}); still watching."));
            }
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decodes <c>task.results</c>: UTF-8 JSON <c>{"storage":"ipfs","location":"/ipfs/…"}</c>; empty bytes mean
    /// <c>none</c>; anything unreadable is reported as storage <c>unknown</c>. The storage name is written on chain by a
    /// worker and only ever shown or compared, so it is cleaned of terminal control characters; the location stays as
    /// written (it is resolved as a URL, never printed whole).
    /// </summary>
    public static (string Storage, string? Location) DecodeResults(byte[] results)
    {
        if (results is null || results.Length == 0) return ("none", null);
        try
        {
            using var document = JsonDocument.Parse(results);
            var root = document.RootElement;
            var storage = root.TryGetProperty("storage", out var s) && s.ValueKind == JsonValueKind.String ? Text.ForeignText.Clean(s.GetString()) : "unknown";
            var location = root.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            return (storage, location);
        }
        catch (JsonException)
        {
            return ("unknown", null);
        }
    }
}
