using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// Cancels orders on chain as <c>iexec order cancel</c> 8.24 does (<c>manage*Order</c> with CLOSE, sent by the owner,
/// see <see cref="OrderManagement"/>): afterwards PoCo counts the order as fully consumed, so no deal can use it
/// whoever holds its signature. Only the order's owner can: the app's, dataset's or workerpool's <c>owner()</c>, or a
/// request order's requester; a signed order must also carry the wallet's own signature.
/// </summary>
public sealed class OrderCanceller
{
    private readonly JsonRpcClient _rpc;
    private readonly ulong _chainId;
    private bool _domainChecked;

    /// <summary>Cancels through <paramref name="rpc"/> on the hub <paramref name="hub"/> of chain <paramref name="chainId"/>.</summary>
    public OrderCanceller(JsonRpcClient rpc, ulong chainId, EthAddress hub)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Hub = hub;
        _chainId = chainId;
        Domain = Eip712Domain.ForHub(chainId, hub);
    }

    /// <summary>The hub the orders are closed on.</summary>
    public EthAddress Hub { get; }

    /// <summary>The EIP-712 domain order hashes are computed under.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>
    /// Checks that <paramref name="wallet"/> can cancel <paramref name="order"/> and reads how much of it is left, reading
    /// the chain only. A signature by someone else, or an owner other than the wallet, fails
    /// <see cref="ErrorIds.OrderNotOwned"/> before anything is signed; a hub whose EIP-712 domain is not this chain's
    /// fails <see cref="ErrorIds.HubDomainMismatch"/> (the hash closed would not be the order's).
    /// </summary>
    public async Task<OrderCancelPlan> PlanAsync(AnyOrder order, EthAddress wallet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!_domainChecked)
        {
            await new PoCoHub(_rpc, Hub).RequireDomainAsync(_chainId, $"chain {_chainId}", cancellationToken).ConfigureAwait(false);
            _domainChecked = true;
        }
        var hash = order.Hash(Domain);
        var hashHex = Hex.Encode(hash);
        if (order.IsSigned)
        {
            EthAddress signer;
            try
            {
                signer = order.RecoverSigner(Domain);
            }
            catch (IExecException e)
            {
                throw new IExecException(ErrorIds.InvalidOrder,
                    $"The signature of {order.KindName} {hashHex} cannot be read: {e.Message}", hashHex, e);
            }
            if (signer != wallet) throw NotOwned(order, hashHex, $"it is signed by {signer}, not by the connected wallet {wallet}");
        }
        EthAddress owner;
        if (order.Order is RequestOrder request)
        {
            owner = request.Requester;
        }
        else
        {
            owner = await AppContract.TryReadOwnerAsync(_rpc, order.Resource, cancellationToken).ConfigureAwait(false)
                ?? throw NotOwned(order, hashHex, $"{order.Resource} has no owner() on chain");
        }
        if (owner != wallet) throw NotOwned(order, hashHex, $"its owner is {owner}, not the connected wallet {wallet}");
        var consumed = await new PoCoHub(_rpc, Hub).ViewConsumedAsync(hash, cancellationToken).ConfigureAwait(false);
        var calldata = OrderManagement.EncodeClose(order);
        return new OrderCancelPlan(order, hashHex, owner, consumed, calldata, GasCeilings.ManageOrder(calldata.Length));
    }

    /// <summary>
    /// Sends the cancel of <paramref name="plan"/> through <paramref name="sender"/> (the owner's), unless the order is
    /// already fully consumed or closed; checks the hub's <c>Closed*Order</c> event for the order's hash and the
    /// consumed volume afterwards.
    /// </summary>
    public async Task<OrderCancellation> CancelAsync(OrderCancelPlan plan, TransactionSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sender);
        if (plan.AlreadyClosed) return new OrderCancellation(plan, null, WasAlreadyClosed: true);
        var receipt = await sender.SendAsync(new TransactionCall(Hub, plan.Calldata)
        {
            GasCeiling = plan.GasCeiling,
            Label = $"the cancel of {plan.Order.KindName} {plan.OrderHash}",
        }, cancellationToken).ConfigureAwait(false);
        var topic = OrderManagement.ClosedTopic(plan.Order.Kind);
        var closed = receipt.LogsOf(topic, Hub).Any(log => Hex.Encode(log.Data) == plan.OrderHash);
        var consumed = await new PoCoHub(_rpc, Hub).ViewConsumedAsync(Hex.Decode(plan.OrderHash), cancellationToken).ConfigureAwait(false);
        if (!closed || consumed < plan.Order.Volume)
        {
            throw new IExecException(ErrorIds.RpcError,
                $"Transaction {receipt.TransactionHash} did not close {plan.Order.KindName} {plan.OrderHash}: "
                + $"{(closed ? "" : "no Closed event, ")}{consumed.ToString(CultureInfo.InvariantCulture)} of {plan.Order.Volume.ToString(CultureInfo.InvariantCulture)} consumed.", plan.OrderHash);
        }
        return new OrderCancellation(plan, receipt.TransactionHash, WasAlreadyClosed: false);
    }

    /// <summary>
    /// The exact command that cancels <paramref name="order"/> on <paramref name="chainName"/>, for messages: the order
    /// as JSON without its signature (which the owner does not need), quoted for PowerShell.
    /// </summary>
    public static string RevokeCommand(AnyOrder order, string chainName)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(chainName);
        return $"Revoke-IExecOrder -Chain '{chainName.Replace("'", "''", StringComparison.Ordinal)}' -Order '{order.ToJson(withSignature: false).Replace("'", "''", StringComparison.Ordinal)}'";
    }

    private static IExecException NotOwned(AnyOrder order, string hash, string why) =>
        new(ErrorIds.OrderNotOwned,
            $"The connected wallet cannot cancel {order.KindName} {hash}: {why}. Nothing was signed.", hash)
        {
            RecommendedAction = "Connect the wallet that owns the order (Connect-IExecWallet), or check the order and the chain (-Chain).",
        };
}

/// <summary>What cancelling one order will do: the order, its hash, its owner, how much of it is used, the calldata.</summary>
/// <param name="Order">The order.</param>
/// <param name="OrderHash">Its EIP-712 hash under the hub's domain (0x + 64 hex digits).</param>
/// <param name="Owner">Its owner (the connected wallet).</param>
/// <param name="Consumed">The volume PoCo counts as consumed.</param>
/// <param name="Calldata">The <c>manage*Order</c> CLOSE calldata.</param>
/// <param name="GasCeiling">The most gas the cancel can need (before the chain's factor).</param>
public sealed record OrderCancelPlan(AnyOrder Order, string OrderHash, EthAddress Owner, BigInteger Consumed, byte[] Calldata, BigInteger GasCeiling)
{
    /// <summary>True when nothing is left to cancel: fully consumed by deals, or already closed.</summary>
    public bool AlreadyClosed => Consumed >= Order.Volume;
}

/// <summary>One cancel's outcome: the transaction, or none when the order was already closed or used up.</summary>
/// <param name="Plan">What was cancelled.</param>
/// <param name="TransactionHash">The <c>manage*Order</c> transaction, or null.</param>
/// <param name="WasAlreadyClosed">True when no transaction was needed.</param>
public sealed record OrderCancellation(OrderCancelPlan Plan, string? TransactionHash, bool WasAlreadyClosed);
