using System.Collections;
using System.Globalization;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>Cancels on chain an app, dataset, workerpool or request order that the connected wallet owns.</summary>
/// <remarks>
/// <para>Sends PoCo's manageAppOrder, manageDatasetOrder, manageWorkerpoolOrder or manageRequestOrder with the CLOSE
/// operation, as iexec order cancel 8.24 does: PoCo then counts the order as fully consumed, so no deal can use it any
/// more, whoever holds its signature. Use it to take a published order off the chain (unpublishing it from the market
/// only hides it), or to cancel the signed request order of a failed Invoke-IExecApp, whose error names this command
/// with the order to pass.</para>
/// <para>Only the order's owner can cancel it: the owner() of its app, dataset or workerpool, or a request order's
/// requester. Before anything is signed the order's hash is computed under the hub's EIP-712 domain (which must be the
/// chain's: HubDomainMismatch otherwise), a signature it carries must be the connected wallet's and the owner must be
/// the connected wallet (OrderNotOwned otherwise). An order that PoCo already counts as closed or used up is written
/// with Status AlreadyClosed and no transaction. Each order is its own transaction; a failure is a non-terminating
/// error and the pipeline goes on.</para>
/// <para>The transaction's fee per gas is capped (-MaxFeePerGas, else the saved default, else chain.json's maxFeePerGas,
/// else the chain's built-in cap) and its gas bounded; the -WhatIf and -Confirm text shows the worst-case cost.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecAppOrder -App $app | Where-Object Signer -eq (Get-IExecWallet).Address | Revoke-IExecOrder</code>
/// <para>Cancels on chain every open order of the app that the connected wallet published.</para>
/// </example>
/// <example>
/// <code>Publish-IExecAppOrder -App $app -Volume 10 | Revoke-IExecOrder -WhatIf</code>
/// <para>Shows which order would be cancelled and the worst-case fee, without signing or sending anything.</para>
/// </example>
/// <example>
/// <code>Revoke-IExecOrder -Chain bellecour -Order '{"app":"0x…","appmaxprice":"0",…,"salt":"0x…"}'</code>
/// <para>Cancels the request order a failed Invoke-IExecApp named in its error (the JSON of a signed order, with or
/// without its sign).</para>
/// </example>
/// <input type="System.Object">IExecOrder objects (Publish-IExecAppOrder, Get-IExecAppOrder, Get-IExecWorkerpoolOrder),
/// order JSON text, or hashtables of the order's members.</input>
/// <output type="IExecSecrets.Output.IExecOrderCancellation">One per order: its hash, Status Cancelled or AlreadyClosed,
/// and the transaction.</output>
[Cmdlet(VerbsSecurity.Revoke, "IExecOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Revoke-IExecOrder.md")]
[OutputType(typeof(IExecOrderCancellation))]
public sealed class RevokeIExecOrderCommand : ChainCommandBase
{
    private ChainProfile? _chain;
    private FeeCap? _feeCap;
    private OrderCanceller? _canceller;
    private TransactionSender? _sender;

    /// <summary>
    /// The order: an IExecOrder the module output, an order record, the JSON of a signed order as the iexec SDK writes it
    /// (its sign may be left out), or a hashtable of the same members.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Order { get; set; } = null!;

    /// <summary>
    /// The most each cancel transaction may pay per gas: a number of wei, or a number with a unit (2 gwei, 0.5 gwei).
    /// Default: the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas, else the
    /// chain's built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    /// <summary>Reads the order, checks who owns it and what is left of it, confirms, and closes it on chain.</summary>
    protected override void ProcessRecord()
    {
        AnyOrder order;
        try
        {
            order = Read(Order);
            _chain ??= ChainProfile;
            _feeCap ??= FeeCapSetting.Resolve(this, _chain, MaxFeePerGas);
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
            return;
        }

        try
        {
            var chain = _chain;
            var wallet = WalletSession.Current ?? WalletSession.Require();
            var hub = chain.RequireHub();
            _canceller ??= new OrderCanceller(Rpc, chain.ChainId, hub);
            var plan = Await(_canceller.PlanAsync(order, wallet.Address, CancellationToken));
            if (plan.AlreadyClosed)
            {
                WriteVerbose($"{order.KindName} {plan.OrderHash} is already closed or used up on chain ({plan.Consumed} of {order.Volume} consumed); nothing to send.");
                WriteObject(Output(plan, null, "AlreadyClosed", chain));
                return;
            }
            var ceiling = plan.GasCeiling * TransactionSenderOptions.GasCeilingFactorOf(chain);
            var target = $"{order.KindName} {plan.OrderHash} for {order.Resource} ({plan.Consumed} of {order.Volume} used) owned by {plan.Owner} "
                + $"on {chain.Name} (chain {chain.ChainId}), {_feeCap!.DescribeWorstCase(ceiling, chain)}";
            if (!ShouldProcess(target, "Cancel the order on chain (manage*Order CLOSE)")) return;
            _sender ??= new TransactionSender(Rpc, wallet.Signer, chain.ChainId, TransactionSenderOptions.ForChain(chain, _feeCap));
            var cancellation = Await(_canceller.CancelAsync(plan, _sender, CancellationToken));
            WriteVerbose($"Cancelled {order.KindName} {plan.OrderHash} in transaction {cancellation.TransactionHash}.");
            WriteObject(Output(plan, cancellation.TransactionHash, "Cancelled", chain));
        }
        catch (IExecException ex) when (ex.ErrorId is ErrorIds.OrderNotOwned or ErrorIds.InvalidOrder or ErrorIds.TransactionReverted
                                         or ErrorIds.TransactionPending or ErrorIds.TransactionReplaced)
        {
            // this order's own trouble: the next piped order may be fine
            WriteIExecError(ex);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private static IExecOrderCancellation Output(OrderCancelPlan plan, string? txHash, string status, ChainProfile chain) => new()
    {
        Kind = plan.Order.KindName,
        OrderHash = plan.OrderHash,
        Resource = plan.Order.Resource.ToString(),
        Owner = plan.Owner.ToString(),
        Volume = plan.Order.Volume.ToString(CultureInfo.InvariantCulture),
        Status = status,
        TxHash = txHash,
        Chain = chain.Name,
        ChainId = chain.ChainId,
    };

    private static AnyOrder Read(object input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        return value switch
        {
            IExecOrder shown => AnyOrder.TryOf(shown.Order is PSObject o ? o.BaseObject : shown.Order) ?? throw Invalid("The IExecOrder carries no order."),
            string json => AnyOrder.Parse(json),
            IDictionary dictionary => AnyOrder.Parse(HashtableJson.From(dictionary).ToJsonString()),
            IExecPlannedOrder => throw Invalid("A planned order (Invoke-IExecApp -WhatIf) was never signed, so there is nothing to cancel."),
            _ => AnyOrder.TryOf(value) ?? throw Invalid($"A {value.GetType().Name} is not an order."),
        };
    }

    private static IExecException Invalid(string message) =>
        new(ErrorIds.InvalidOrder, message, nameof(Order))
        {
            RecommendedAction = "Pass an order object output by the module (Publish-IExecAppOrder, Get-IExecAppOrder…), or the signed order's JSON.",
        };
}
