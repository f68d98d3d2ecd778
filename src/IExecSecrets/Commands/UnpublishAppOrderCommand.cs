using IExecSecrets.Completers;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Commands;

/// <summary>Takes published app orders off the market's order book (iexec app unpublish, iexec order unpublish --app).</summary>
/// <remarks>
/// <para>Sends the market's unpublish (PUT /apporders) behind its login challenge, exactly as Publish-IExecAppOrder publishes:
/// only the market's own EIP-712 Challenge is signed (InvalidMarketChallenge otherwise) and a refused login is
/// MarketAuthorizationRefused. By -OrderHash (or piped orders) each order is unpublished by its hash, as iexec order
/// unpublish --app does; with -App the last order of that app the wallet published is unpublished, as
/// iexec app unpublish does, and with -All every one of them. Only the signer of an open order can unpublish it:
/// the market's refusal is UnpublishRefused with its reason, and an answer naming other orders than the one asked for
/// is UnpublishUnconfirmed.</para>
/// <para>Unpublishing only hides the order: its signature stays valid on chain, and whoever kept a copy can still
/// match it. To make it unusable, cancel it on chain with Revoke-IExecOrder (PoCo then counts it as fully consumed).
/// The market call is sent once; if its answer is lost, an order unpublished by hash is read back from the market
/// instead of being sent again.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecAppOrder -App $app | Where-Object Signer -eq (Get-IExecWallet).Address | Unpublish-IExecAppOrder</code>
/// <para>Unpublishes every order of the app the connected wallet published, one by one, each by its hash.</para>
/// </example>
/// <example>
/// <code>Unpublish-IExecAppOrder -App 0x7b39...f190 -All -WhatIf</code>
/// <para>Shows which orders would be unpublished, without signing anything.</para>
/// </example>
/// <example>
/// <code>$o = Get-IExecAppOrder -App $address | Select-Object -First 1; $o | Unpublish-IExecAppOrder; $o | Revoke-IExecOrder</code>
/// <para>Hides an order from the market, then cancels it on chain so that nobody can match it any more.</para>
/// </example>
/// <input type="System.String">Order hashes, or objects with an OrderHash property (IExecOrder).</input>
/// <output type="IExecSecrets.Output.IExecOrderUnpublication">One per order the market unpublished.</output>
[Cmdlet(VerbsData.Unpublish, "IExecAppOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = HashParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Unpublish-IExecAppOrder.md")]
[OutputType(typeof(IExecOrderUnpublication))]
public sealed class UnpublishAppOrderCommand : UnpublishOrderCommandBase
{
    /// <summary>The app whose last (or, with -All, every) order the wallet published is unpublished.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string App { get; set; } = string.Empty;

    /// <inheritdoc />
    private protected override OrderKind Kind => OrderKind.App;

    /// <inheritdoc />
    private protected override (string? Text, string Name) Resource => (App, nameof(App));
}
