using IExecSecrets.Core.Orders;

namespace IExecSecrets.Commands;

/// <summary>Takes published workerpool orders off the market's order book (iexec workerpool unpublish, iexec order unpublish --workerpool).</summary>
/// <remarks>
/// <para>Sends the market's unpublish (PUT /workerpoolorders) behind its login challenge, exactly as Publish-IExecAppOrder publishes:
/// only the market's own EIP-712 Challenge is signed (InvalidMarketChallenge otherwise) and a refused login is
/// MarketAuthorizationRefused. By -OrderHash (or piped orders) each order is unpublished by its hash, as iexec order
/// unpublish --workerpool does; with -Workerpool the last order of that workerpool the wallet published is unpublished, as
/// iexec workerpool unpublish does, and with -All every one of them. Only the signer of an open order can unpublish it:
/// the market's refusal is UnpublishRefused with its reason, and an answer naming other orders than the one asked for
/// is UnpublishUnconfirmed.</para>
/// <para>Unpublishing only hides the order: its signature stays valid on chain, and whoever kept a copy can still
/// match it. To make it unusable, cancel it on chain with Revoke-IExecOrder (PoCo then counts it as fully consumed).
/// The market call is sent once; if its answer is lost, an order unpublished by hash is read back from the market
/// instead of being sent again.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecWorkerpoolOrder -Workerpool $pool | Where-Object Signer -eq (Get-IExecWallet).Address | Unpublish-IExecWorkerpoolOrder</code>
/// <para>Unpublishes every order of the workerpool the connected wallet published, one by one, each by its hash.</para>
/// </example>
/// <example>
/// <code>Unpublish-IExecWorkerpoolOrder -Workerpool 0x7b39...f190 -All -WhatIf</code>
/// <para>Shows which orders would be unpublished, without signing anything.</para>
/// </example>
/// <example>
/// <code>$o = Get-IExecWorkerpoolOrder -Workerpool $address | Select-Object -First 1; $o | Unpublish-IExecWorkerpoolOrder; $o | Revoke-IExecOrder</code>
/// <para>Hides an order from the market, then cancels it on chain so that nobody can match it any more.</para>
/// </example>
/// <input type="System.String">Order hashes, or objects with an OrderHash property (IExecOrder).</input>
/// <output type="IExecSecrets.Output.IExecOrderUnpublication">One per order the market unpublished.</output>
[Cmdlet(VerbsData.Unpublish, "IExecWorkerpoolOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = HashParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Unpublish-IExecWorkerpoolOrder.md")]
[OutputType(typeof(IExecOrderUnpublication))]
public sealed class UnpublishWorkerpoolOrderCommand : UnpublishOrderCommandBase
{
    /// <summary>The workerpool whose last (or, with -All, every) order the wallet published is unpublished.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Workerpool { get; set; } = string.Empty;

    /// <inheritdoc />
    private protected override OrderKind Kind => OrderKind.Workerpool;

    /// <inheritdoc />
    private protected override (string? Text, string Name) Resource => (Workerpool, nameof(Workerpool));
}
