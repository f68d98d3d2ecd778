using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Chain;

// The nonces this process sent per chain and account that are not yet seen mined, with their hashes: with the node's
// mined count, the only transactions a new nonce may sit behind (see TransactionSender). Callers hold the account's
// send lock.
internal static class NonceLedger
{
    private static readonly ConcurrentDictionary<string, SortedDictionary<BigInteger, string>> OwnPending = new();

    // A nonce only where the node's mined count and this process's own pending sends account for it; a pending count
    // above that is a gap (NonceGap), never waited on.
    public static async Task<BigInteger> NextAsync(JsonRpcClient rpc, EthAddress from, string key, CancellationToken cancellationToken)
    {
        var counts = await rpc.BatchAsync(
        [
            ("eth_getTransactionCount", [from.ToLowerHex(), "latest"]),
            ("eth_getTransactionCount", [from.ToLowerHex(), "pending"]),
        ], cancellationToken).ConfigureAwait(false);
        var latest = JsonRpcClient.ParseQuantity(counts[0]);
        var pending = JsonRpcClient.ParseQuantity(counts[1]);
        var own = OwnPending.GetOrAdd(key, _ => new SortedDictionary<BigInteger, string>());
        List<KeyValuePair<BigInteger, string>> unconfirmed;
        lock (own)
        {
            // mined (or replaced, or taken by another transaction): the node's mined count has passed them
            foreach (var mined in own.Keys.Where(n => n < latest).ToList()) own.Remove(mined);
            unconfirmed = own.Where(pair => pair.Key >= pending).ToList();
        }
        foreach (var (nonce, hash) in unconfirmed)
        {
            // Counted by nobody but this process: if the node no longer knows the transaction, it was dropped.
            if (!await rpc.IsTransactionKnownAsync(hash, cancellationToken).ConfigureAwait(false))
            {
                lock (own) own.Remove(nonce);
            }
        }
        BigInteger expected;
        int ownCount;
        lock (own)
        {
            ownCount = own.Count;
            expected = ownCount == 0 ? latest : BigInteger.Max(latest, own.Keys.Max() + 1);
        }
        if (pending > expected)
        {
            throw new IExecException(ErrorIds.NonceGap,
                $"The RPC node at {rpc.DisplayUrl} counts {pending} transactions from {from} with the pending ones, but only {latest} are mined"
                + (ownCount == 0 ? "" : $" and {ownCount} more were sent by this session")
                + $": nonce {Range(expected, pending - 1)} belongs to transactions this module did not send (another wallet, tool or session, or a lying node). "
                + "Nothing was signed: a transaction behind that gap would wait for it, and could be mined long after being reported failed.", from.ToString())
            {
                RecommendedAction = "Wait until those transactions are mined or dropped (compare the account's 'latest' and 'pending' transaction counts), or use another RPC node, then run the command again.",
            };
        }
        return expected;
    }

    public static void Remember(string key, BigInteger nonce, string hash)
    {
        var own = OwnPending.GetOrAdd(key, _ => new SortedDictionary<BigInteger, string>());
        lock (own) own[nonce] = hash;
    }

    public static void Forget(string key, BigInteger nonce)
    {
        if (!OwnPending.TryGetValue(key, out var own)) return;
        lock (own) own.Remove(nonce);
    }

    private static string Range(BigInteger first, BigInteger last) =>
        first == last ? first.ToString(CultureInfo.InvariantCulture) : $"{first.ToString(CultureInfo.InvariantCulture)} to {last.ToString(CultureInfo.InvariantCulture)}";
}
