using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The checks a market order must pass before the requester signs anything that refers to it. The market is only a
/// place where orders are found: it may answer an order for another app, dataset or workerpool, one signed by someone
/// else than the owner, one whose tag or restrictions do not fit, an exhausted one, or an expensive one. Each check
/// returns null when the order passes, otherwise the reason it is refused (shown in the warning and the error).
/// </summary>
/// <remarks>
/// Signatures are checked by recovery to the resource's on-chain owner, the rule for externally owned accounts.
/// PoCo's <c>verifySignature</c> also accepts ERC-1271 contract owners and presigned orders; such orders are refused
/// here, which costs availability, never safety.
/// </remarks>
public static class OrderVetting
{
    /// <summary>Checks an app order against the request: app, tag bounds, restrictions, price, volume and owner signature.</summary>
    public static string? CheckApp(AppOrder order, AppRunRequest request, EthAddress requester, EthAddress appOwner, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(request);
        if (order.App != request.App) return $"it is an order for app {order.App}, not for the requested app {request.App}";
        // The SDK's bounds: the tee and scone bits of the request tag at least, nothing outside the request tag.
        var minTag = new byte[32];
        minTag[31] = (byte)(request.Tag[31] & 0x03);
        return Tag(order.Tag, minTag, request.Tag)
            ?? Restriction("requester", order.RequesterRestrict, requester)
            ?? Restriction("dataset", order.DatasetRestrict, request.Dataset ?? EthAddress.Zero)
            ?? (request.Workerpool is { } pool ? Restriction("workerpool", order.WorkerpoolRestrict, pool) : null)
            ?? Price(order.AppPrice, request.AppMaxPrice, "-AppMaxPrice")
            ?? Volume(order.Volume)
            ?? Signer(() => order.RecoverSigner(domain), appOwner, "app owner");
    }

    /// <summary>Checks a dataset order: dataset, tag (within the request tag), restrictions, price, volume and owner signature.</summary>
    public static string? CheckDataset(DatasetOrder order, AppRunRequest request, EthAddress requester, EthAddress datasetOwner, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Dataset is not { } dataset) return "no dataset was requested";
        if (order.Dataset != dataset) return $"it is an order for dataset {order.Dataset}, not for the requested dataset {dataset}";
        return Tag(order.Tag, new byte[32], request.Tag)
            ?? Restriction("requester", order.RequesterRestrict, requester)
            ?? Restriction("app", order.AppRestrict, request.App)
            ?? (request.Workerpool is { } pool ? Restriction("workerpool", order.WorkerpoolRestrict, pool) : null)
            ?? Price(order.DatasetPrice, request.DatasetMaxPrice, "-DatasetMaxPrice")
            ?? Volume(order.Volume)
            ?? Signer(() => order.RecoverSigner(domain), datasetOwner, "dataset owner");
    }

    /// <summary>
    /// Checks what a workerpool order must satisfy without knowing its owner: the named (or pinned) pool, the
    /// category looked in, trust, the tag it must offer, the restrictions of the app and dataset orders and its own,
    /// price and volume. <paramref name="pinnedPool"/> is the pool the user named, or the one the app or dataset order
    /// is restricted to; null for any.
    /// </summary>
    public static string? CheckWorkerpool(WorkerpoolOrder order, AppRunRequest request, EthAddress requester, EthAddress? pinnedPool,
        BigInteger category, byte[] minTag, AppOrder appOrder, DatasetOrder datasetOrder)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(appOrder);
        ArgumentNullException.ThrowIfNull(datasetOrder);
        if (pinnedPool is { } pool && order.Workerpool != pool)
        {
            return request.Workerpool is null
                ? $"it is an order for workerpool {order.Workerpool}, but the app or dataset order admits only workerpool {pool}"
                : $"it is an order for workerpool {order.Workerpool}, not for the requested workerpool {pool}";
        }
        if (order.Category != category) return $"its category is {order.Category}, not the category {category} looked in";
        if (order.Trust < request.Trust) return $"its trust {order.Trust} is below the requested trust {request.Trust}";
        return Tag(order.Tag, minTag, null)
            ?? Restriction("requester", order.RequesterRestrict, requester)
            ?? Restriction("app", order.AppRestrict, request.App)
            ?? Restriction("dataset", order.DatasetRestrict, request.Dataset ?? EthAddress.Zero)
            ?? Admitted("app order", appOrder.WorkerpoolRestrict, order.Workerpool)
            ?? Admitted("dataset order", datasetOrder.WorkerpoolRestrict, order.Workerpool)
            ?? Price(order.WorkerpoolPrice, request.WorkerpoolMaxPrice, "-WorkerpoolMaxPrice")
            ?? Volume(order.Volume);
    }

    /// <summary>Checks that a workerpool order is signed by the pool's owner (null: the pool is not a registered workerpool).</summary>
    public static string? CheckWorkerpoolSigner(WorkerpoolOrder order, EthAddress? poolOwner, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (poolOwner is not { } owner) return $"{order.Workerpool} is not a workerpool registered on this hub";
        return Signer(() => order.RecoverSigner(domain), owner, "workerpool owner");
    }

    /// <summary>Checks the volume left on chain: <paramref name="volume"/> minus PoCo's <c>viewConsumed</c> must be positive.</summary>
    public static string? CheckRemaining(BigInteger volume, BigInteger consumed) =>
        volume - consumed > 0 ? null
            : $"it is exhausted on chain (volume {Text(volume)}, consumed {Text(consumed)})";

    // Every bit of minTag must be set in the order tag and, with a maxTag, no order bit may be outside it.
    private static string? Tag(byte[] tag, byte[] minTag, byte[]? maxTag)
    {
        for (var i = 0; i < 32; i++)
        {
            if ((minTag[i] & ~tag[i]) != 0) return $"its tag {Names(tag)} lacks {Names(minTag)}";
            if (maxTag is not null && (tag[i] & ~maxTag[i]) != 0) return $"its tag {Names(tag)} is outside the requested tag {Names(maxTag)}";
        }
        return null;
    }

    private static string? Restriction(string what, EthAddress restrict, EthAddress actual) =>
        restrict.IsZero || restrict == actual ? null
            : $"it is restricted to {what} {restrict}{(actual.IsZero ? "" : ", not " + actual)}";

    private static string? Admitted(string which, EthAddress restrict, EthAddress pool) =>
        restrict.IsZero || restrict == pool ? null : $"the {which} admits only workerpool {restrict}";

    private static string? Price(BigInteger price, BigInteger max, string parameter) =>
        price <= max ? null : $"its price {Text(price)} nRLC is above {parameter} ({Text(max)} nRLC)";

    private static string? Volume(BigInteger volume) => volume > 0 ? null : "its volume is 0";

    private static string? Signer(Func<EthAddress> recover, EthAddress owner, string ownerRole)
    {
        EthAddress signer;
        try
        {
            signer = recover();
        }
        catch (Exception e) when (e is IExecException or ArgumentException or FormatException or InvalidOperationException or ArithmeticException)
        {
            return "its signature is malformed";
        }
        return signer == owner ? null : $"it is signed by {signer}, not by the {ownerRole} {owner}";
    }

    private static string Names(byte[] tag)
    {
        try
        {
            var names = OrderTag.Names(tag);
            return names.Count == 0 ? "(none)" : string.Join(",", names);
        }
        catch (IExecException)
        {
            return OrderTag.ToHex(tag);
        }
    }

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
