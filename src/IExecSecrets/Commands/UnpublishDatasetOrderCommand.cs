using IExecSecrets.Core.Orders;

namespace IExecSecrets.Commands;

/// <summary>Takes published dataset orders off the market's order book (iexec dataset unpublish, iexec order unpublish --dataset).</summary>
/// <remarks>
/// <para>Sends the market's unpublish (PUT /datasetorders) behind its login challenge, exactly as Publish-IExecAppOrder publishes:
/// only the market's own EIP-712 Challenge is signed (InvalidMarketChallenge otherwise) and a refused login is
/// MarketAuthorizationRefused. By -OrderHash (or piped orders) each order is unpublished by its hash, as iexec order
/// unpublish --dataset does; with -Dataset the last order of that dataset the wallet published is unpublished, as
/// iexec dataset unpublish does, and with -All every one of them. Only the signer of an open order can unpublish it:
/// the market's refusal is UnpublishRefused with its reason, and an answer naming other orders than the one asked for
/// is UnpublishUnconfirmed.</para>
/// <para>Unpublishing only hides the order: its signature stays valid on chain, and whoever kept a copy can still
/// match it. To make it unusable, cancel it on chain with Revoke-IExecOrder (PoCo then counts it as fully consumed).
/// The market call is sent once; if its answer is lost, an order unpublished by hash is read back from the market
/// instead of being sent again.</para>
/// </remarks>
/// <example>
/// <code>Unpublish-IExecDatasetOrder -OrderHash 0x3888...9fda</code>
/// <para>Unpublishes one dataset order by its hash.</para>
/// </example>
/// <example>
/// <code>Unpublish-IExecDatasetOrder -Dataset 0x7b39...f190 -All -WhatIf</code>
/// <para>Shows which orders would be unpublished, without signing anything.</para>
/// </example>
/// <example>
/// <code>Unpublish-IExecDatasetOrder -Dataset $dataset -All; Revoke-IExecOrder -Order (Get-Content ./datasetorder.json -Raw)</code>
/// <para>Hides every order of the dataset the wallet published, then cancels on chain the signed order kept in a file,
/// so that nobody can match it any more.</para>
/// </example>
/// <input type="System.String">Order hashes, or objects with an OrderHash property (IExecOrder).</input>
/// <output type="IExecSecrets.Output.IExecOrderUnpublication">One per order the market unpublished.</output>
[Cmdlet(VerbsData.Unpublish, "IExecDatasetOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = HashParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Unpublish-IExecDatasetOrder.md")]
[OutputType(typeof(IExecOrderUnpublication))]
public sealed class UnpublishDatasetOrderCommand : UnpublishOrderCommandBase
{
    /// <summary>The dataset whose last (or, with -All, every) order the wallet published is unpublished.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Dataset { get; set; } = string.Empty;

    /// <inheritdoc />
    private protected override OrderKind Kind => OrderKind.Dataset;

    /// <inheritdoc />
    private protected override (string? Text, string Name) Resource => (Dataset, nameof(Dataset));
}
