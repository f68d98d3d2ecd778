using System.Numerics;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The stake a pipeline of runs has promised but the chain may not show yet: every match a session started, until it
/// ended with a deal. Before a priced run is confirmed, <see cref="RequireAsync"/> reads, at one pinned block, the
/// requester's free stake and, for each such match, whether its request order is consumed (its deal mined, its price
/// already locked, so already out of the free stake). What is left must cover the run's price, else
/// <see cref="ErrorIds.InsufficientStake"/> with the figures, before anything is pushed or signed: matchOrders would
/// revert for want of stake (as the SDK's preflight says, "Orders can't be matched").
/// </summary>
internal sealed class StakeCommitments
{
    private readonly List<Commitment> _open = new();

    /// <summary>Records a started match of <paramref name="cost"/> nRLC for request order <paramref name="requestOrderHash"/>.</summary>
    public void Add(string requestOrderHash, BigInteger cost, Task match)
    {
        if (cost.Sign > 0) _open.Add(new Commitment(Hex.Decode(requestOrderHash), cost, match));
    }

    /// <summary>
    /// Checks that <paramref name="requester"/>'s free stake on <paramref name="hub"/>, less the price of this
    /// session's matches not on chain yet, covers <paramref name="cost"/>. Free runs read nothing.
    /// </summary>
    public async Task RequireAsync(JsonRpcClient rpc, EthAddress hub, EthAddress requester, BigInteger cost, CancellationToken cancellationToken)
    {
        if (cost.Sign <= 0) return;
        // A match that ended with a deal was mined before the block read below: its lock is in the stake read there.
        _open.RemoveAll(c => c.Match.IsCompletedSuccessfully);
        var pending = _open.ToList();
        var block = JsonRpcClient.ToQuantity(await rpc.BlockNumberAsync(cancellationToken).ConfigureAwait(false));
        var calls = new List<(string, object?[]?)> { Call(hub, Abi.EncodeCall("viewAccount(address)", requester), block) };
        calls.AddRange(pending.Select(c => Call(hub, Abi.EncodeCall("viewConsumed(bytes32)", c.RequestOrderHash), block)));
        var answers = await rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        var stake = (BigInteger)((object?[])Abi.Decode("(uint256,uint256)", Hex.Decode(answers[0].GetString() ?? "0x"))[0]!)[0]!;
        var promised = BigInteger.Zero;
        var notMined = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var consumed = (BigInteger)Abi.Decode("uint256", Hex.Decode(answers[i + 1].GetString() ?? "0x"))[0]!;
            if (consumed.Sign > 0) continue;
            promised += pending[i].Cost;
            notMined++;
        }
        var available = stake - promised;
        if (cost <= available) return;
        var earlier = notMined == 0 ? ""
            : $", of which {RlcAmount.Describe(promised)} is promised to {notMined} earlier run(s) of this pipeline not on chain yet, leaving {RlcAmount.Describe(BigInteger.Max(available, BigInteger.Zero))}";
        var missing = cost - BigInteger.Max(available, BigInteger.Zero);
        throw new IExecException(ErrorIds.InsufficientStake,
            $"Cost per task ({RlcAmount.Describe(cost)}) is greater than requester account stake ({RlcAmount.Describe(stake)}{earlier}). "
            + "Orders can't be matched; nothing was pushed or signed.", requester.ToString())
        {
            RecommendedAction = $"Deposit at least {RlcAmount.Describe(missing)} first (Add-IExecStake -Amount '{missing} nRLC'), or lower the max prices.",
        };
    }

    private static (string, object?[]?) Call(EthAddress to, byte[] data, string block) =>
        ("eth_call", [new JsonObject { ["to"] = to.ToLowerHex(), ["data"] = Hex.Encode(data) }, block]);

    private sealed record Commitment(byte[] RequestOrderHash, BigInteger Cost, Task Match);
}
