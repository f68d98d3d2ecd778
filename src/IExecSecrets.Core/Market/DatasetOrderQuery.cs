namespace IExecSecrets.Core.Market;

/// <summary>
/// A dataset order book query (<c>GET /datasetorders</c>) as iexec SDK 8.24 sends it (<c>fetchDatasetOrderbook</c>): the
/// dataset, tags as <c>minTag</c>/<c>maxTag</c>, the app, requester and workerpool filters with their strictness
/// flags, <c>bulkOnly</c>, and paging.
/// </summary>
public sealed record DatasetOrderQuery : OrderBookQuery
{
    /// <summary>The dataset whose orders are listed.</summary>
    public required EthAddress Dataset { get; init; }

    /// <summary>Only orders usable with this app (open or restricted to it).</summary>
    public EthAddress? App { get; init; }

    /// <summary>Only orders usable on this workerpool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>The order's tag may have no bit outside this one; null to omit.</summary>
    public byte[]? MaxTag { get; init; }

    /// <summary>True to list only orders restricted to the given app.</summary>
    public bool IsAppStrict { get; init; }

    /// <summary>True to list only orders restricted to the given workerpool.</summary>
    public bool IsWorkerpoolStrict { get; init; }

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, string>> BookParameters()
    {
        yield return new("dataset", Dataset.ToString());
        foreach (var parameter in Optional("app", App).Concat(Optional("workerpool", Workerpool))) yield return parameter;
        yield return new("bulkOnly", "false");
        yield return new("isAppStrict", MarketQuery.Bool(IsAppStrict));
        yield return new("isWorkerpoolStrict", MarketQuery.Bool(IsWorkerpoolStrict));
        if (MaxTag is not null) yield return new("maxTag", Orders.OrderTag.ToHex(MaxTag));
    }
}
