using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// What a failed <c>matchOrders</c> leaves behind, said truthfully. Its calldata carries the requester's signed
/// request order, valid for anyone who holds it until PoCo counts it consumed. So:
/// <list type="bullet">
/// <item>failed before the gas estimate (chain id, nonce gap, fee cap): the order never left this process;</item>
/// <item>failed at the estimate (a revert, a gas estimate above the ceiling): only the node saw it; the error gives the
/// exact <c>Revoke-IExecOrder</c> command that cancels it;</item>
/// <item>still pending: the deal may still happen; the error says so and how to cancel if it is dropped;</item>
/// <item>anything else after the signed transaction reached the node (mined and reverted, replaced, refused): the
/// order is cancelled on chain at once (<c>manageRequestOrder</c> CLOSE, see <see cref="OrderCanceller"/>), or the
/// error gives the command when that fails too.</item>
/// </list>
/// </summary>
public static class FailedMatch
{
    /// <summary>
    /// Settles <paramref name="failure"/> of the match of <paramref name="requestOrder"/> (signed) sent through
    /// <paramref name="sender"/> to <paramref name="hub"/> on <paramref name="chain"/>, and returns the exception to
    /// throw: the same error id and category, its message completed with what became of the signed order.
    /// </summary>
    public static async Task<IExecException> SettleAsync(IExecException failure, RequestOrder requestOrder, TransactionSender sender, EthAddress hub,
        ChainProfile chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(requestOrder);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(chain);
        var order = AnyOrder.Of(requestOrder);
        var canceller = new OrderCanceller(sender.Rpc, chain.ChainId, hub);
        var hash = Hex.Encode(order.Hash(canceller.Domain));
        var revoke = OrderCanceller.RevokeCommand(order, chain.Name);
        if (failure is not TransactionException sent)
        {
            return With(failure, $"The signed request order {hash} was not sent anywhere.");
        }
        if (sent.Exposure == TransactionExposure.CalldataToNode)
        {
            return With(failure, $"The signed request order {hash} reached the RPC node in the gas estimate; to be sure nobody can match it, cancel it: {revoke}");
        }
        if (failure.ErrorId == ErrorIds.TransactionPending)
        {
            return With(failure, $"If it is mined, the deal for request order {hash} happens. If it is dropped instead, cancel the signed request order: {revoke}");
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return With(failure, $"The signed request order {hash} may be seen by anyone the node shows the transaction to; cancel it: {revoke}");
        }
        try
        {
            var plan = await canceller.PlanAsync(order, sender.From, cancellationToken).ConfigureAwait(false);
            var cancellation = await canceller.CancelAsync(plan, sender, cancellationToken).ConfigureAwait(false);
            return With(failure, cancellation.WasAlreadyClosed
                ? $"The signed request order {hash} is already fully consumed or closed on chain, so nobody can match it."
                : $"The signed request order {hash} was cancelled on chain (manageRequestOrder, transaction {cancellation.TransactionHash}), so nobody can match it.");
        }
        catch (IExecException cancelFailure)
        {
            return With(failure, $"The signed request order {hash} was in the transaction the node received, and cancelling it failed ({cancelFailure.ErrorId}: "
                + $"{cancelFailure.Message}); cancel it with: {revoke}");
        }
    }

    private static IExecException With(IExecException failure, string addition) =>
        new(failure.ErrorId, failure.Message.TrimEnd() + " " + addition, failure.Target, failure)
        {
            RecommendedAction = failure.RecommendedAction,
        };
}
