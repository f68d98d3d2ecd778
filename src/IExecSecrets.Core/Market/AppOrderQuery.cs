using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Market;

/// <summary>
/// An app order book query (<c>GET /apporders</c>) as iexec SDK 8.24 sends it: tags as <c>minTag</c>/<c>maxTag</c>,
/// the three strictness flags, paging, and the optional requester, workerpool and dataset filters.
/// </summary>
public sealed record AppOrderQuery : OrderBookQuery
{
    /// <summary>The app whose orders are listed.</summary>
    public required EthAddress App { get; init; }

    /// <summary>Only orders usable on this workerpool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>Only orders usable with this dataset.</summary>
    public EthAddress? Dataset { get; init; }

    /// <summary>The order's tag may have no bit outside this one; null to omit.</summary>
    public byte[]? MaxTag { get; init; }

    /// <summary>True to list only orders restricted to the given dataset.</summary>
    public bool IsDatasetStrict { get; init; }

    /// <summary>True to list only orders restricted to the given workerpool.</summary>
    public bool IsWorkerpoolStrict { get; init; }

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, string>> BookParameters()
    {
        yield return new("app", App.ToString());
        foreach (var parameter in Optional("dataset", Dataset).Concat(Optional("workerpool", Workerpool))) yield return parameter;
        yield return new("isDatasetStrict", MarketQuery.Bool(IsDatasetStrict));
        yield return new("isWorkerpoolStrict", MarketQuery.Bool(IsWorkerpoolStrict));
        if (MaxTag is not null) yield return new("maxTag", OrderTag.ToHex(MaxTag));
    }
}
