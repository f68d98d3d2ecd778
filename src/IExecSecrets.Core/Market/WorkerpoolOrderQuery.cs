using System.Globalization;
using System.Numerics;

namespace IExecSecrets.Core.Market;

/// <summary>
/// A workerpool order book query (<c>GET /workerpoolorders</c>) as iexec SDK 8.24 sends it: a category, a
/// <c>minTag</c> the pool must offer, <c>minTrust</c> only when above 0, strictness flags and paging.
/// </summary>
public sealed record WorkerpoolOrderQuery : OrderBookQuery
{
    /// <summary>The category (maximum run time class); null to list every category.</summary>
    public BigInteger? Category { get; init; }

    /// <summary>Only orders usable with this app.</summary>
    public EthAddress? App { get; init; }

    /// <summary>Only orders usable with this dataset.</summary>
    public EthAddress? Dataset { get; init; }

    /// <summary>Only orders of this workerpool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>Only orders whose trust is at least this; sent only when above 0.</summary>
    public BigInteger MinTrust { get; init; }

    /// <summary>True to list only orders restricted to the given app.</summary>
    public bool IsAppStrict { get; init; }

    /// <summary>True to list only orders restricted to the given dataset.</summary>
    public bool IsDatasetStrict { get; init; }

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, string>> BookParameters()
    {
        foreach (var parameter in Optional("app", App).Concat(Optional("dataset", Dataset)).Concat(Optional("workerpool", Workerpool))) yield return parameter;
        if (Category is { } category) yield return new("category", category.ToString(CultureInfo.InvariantCulture));
        yield return new("isAppStrict", MarketQuery.Bool(IsAppStrict));
        yield return new("isDatasetStrict", MarketQuery.Bool(IsDatasetStrict));
        if (MinTrust > 0) yield return new("minTrust", MinTrust.ToString(CultureInfo.InvariantCulture));
    }
}
