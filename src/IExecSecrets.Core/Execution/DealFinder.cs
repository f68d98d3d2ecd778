using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Finds deals from the hub's <c>OrdersMatched</c> events, so a deal whose id was never seen by the caller (a run
/// stopped with Ctrl+C while watching, a lost terminal) can still be found. PoCo indexes none of the event's fields and
/// the requester is not among them, so the finder lists every deal id matched in a block range and the caller reads
/// each deal to filter by requester. Ranges are read in spans of at most <see cref="BlockSpan"/> blocks, the limit
/// public nodes put on <c>eth_getLogs</c>.
/// </summary>
public sealed class DealFinder
{
    private readonly JsonRpcClient _rpc;
    private readonly EthAddress _hub;

    /// <summary>Creates a finder over the hub (PoCo proxy) at <paramref name="hub"/>.</summary>
    public DealFinder(JsonRpcClient rpc, EthAddress hub)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _hub = hub;
    }

    /// <summary>The most blocks one <c>eth_getLogs</c> call asks for (default 10,000).</summary>
    public long BlockSpan { get; init; } = 10_000;

    /// <summary>
    /// The ids of the deals matched in blocks <paramref name="fromBlock"/> to <paramref name="toBlock"/> (inclusive),
    /// oldest first, each once.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> FindDealIdsAsync(long fromBlock, long toBlock, CancellationToken cancellationToken = default) =>
        (await FindMatchesAsync(fromBlock, toBlock, cancellationToken).ConfigureAwait(false)).Select(match => match.DealId).ToArray();

    /// <summary>
    /// The deals matched in blocks <paramref name="fromBlock"/> to <paramref name="toBlock"/> (inclusive), oldest first,
    /// each once, with the <c>matchOrders</c> transaction that emitted the event (null when the node's log has none), so a
    /// deal read back names its match transaction.
    /// </summary>
    public async Task<IReadOnlyList<(byte[] DealId, string? TransactionHash)>> FindMatchesAsync(long fromBlock, long toBlock, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromBlock);
        var ids = new List<(byte[] DealId, string? TransactionHash)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var start = fromBlock; start <= toBlock; start += BlockSpan)
        {
            var end = Math.Min(toBlock, start + BlockSpan - 1);
            var filter = new JsonObject
            {
                ["fromBlock"] = JsonRpcClient.ToQuantity(start),
                ["toBlock"] = JsonRpcClient.ToQuantity(end),
                ["address"] = _hub.ToLowerHex(),
                ["topics"] = new JsonArray(Hex.Encode(EventTopics.OrdersMatched)),
            };
            var logs = await _rpc.CallAsync("eth_getLogs", [filter], cancellationToken).ConfigureAwait(false);
            foreach (var log in logs.EnumerateArray())
            {
                var data = Hex.Decode(log.GetProperty("data").GetString()!);
                // dealid is the first (non-indexed) word; a log too short to hold it is not PoCo's and is skipped.
                if (data.Length < 32) continue;
                var id = data[..32];
                // Written by the node: kept only when it is a 32-byte hash, so nothing else reaches the output.
                var hash = log.TryGetProperty("transactionHash", out var tx) && tx.ValueKind == System.Text.Json.JsonValueKind.String
                    && tx.GetString() is { Length: 66 } text && text.StartsWith("0x", StringComparison.Ordinal) && text[2..].All(Uri.IsHexDigit)
                    ? text.ToLowerInvariant() : null;
                if (seen.Add(Hex.Encode(id))) ids.Add((id, hash));
            }
        }

        return ids;
    }
}
