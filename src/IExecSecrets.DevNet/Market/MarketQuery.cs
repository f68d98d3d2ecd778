using System.Globalization;
using System.Numerics;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.DevNet.Market;

/// <summary>
/// The filters and paging of an orderbook GET, parsed and validated like iexec-market-api's router (yup schemas) and
/// applied like its <c>services/order.js</c>:
/// <list type="bullet">
/// <item>the resource filter (<c>app</c> for apporders, <c>dataset</c>, <c>workerpool</c>; <c>app</c>/<c>dataset</c>/
/// <c>requester</c>/<c>beneficiary</c> for requestorders) matches exactly; <c>any</c> or absent matches all;</item>
/// <item>a restriction filter (e.g. <c>dataset</c> on apporders vs <c>datasetrestrict</c>): absent keeps only
/// unrestricted orders; an address keeps unrestricted orders and those restricted to it, or with the matching
/// <c>is…Strict=true</c> only those restricted to it; <c>any</c> keeps all;</item>
/// <item><c>minTag</c>: every bit must be set in the order tag; <c>maxTag</c>: no bit outside it may be set;</item>
/// <item><c>category</c> exact; <c>minTrust</c> (workerpool orders, only when above 1) and <c>maxTrust</c> (request orders);
/// <c>minVolume</c> on the remaining volume; <c>appOwner</c>/<c>datasetOwner</c>/<c>workerpoolOwner</c> on the signer;</item>
/// <item>paging: <c>pageSize</c> 10..1000 (default 20), <c>pageIndex</c> (pages) or the legacy <c>page</c> (an offset).</item>
/// </list>
/// Unknown parameters are ignored, as yup does without <c>noUnknown</c>.
/// </summary>
internal sealed class MarketQuery
{
    private readonly List<Func<MarketOrder, bool>> _filters = [];

    private MarketQuery()
    {
    }

    public int Skip { get; private set; }

    public int PageSize { get; private set; } = 20;

    public BigInteger? MinVolume { get; private set; }

    public bool Matches(MarketOrder order) => _filters.All(filter => filter(order));

    public static MarketQuery Parse(MarketOrderKind kind, IQueryCollection query, ulong chainId)
    {
        var parsed = new MarketQuery();
        var requestedChain = Text(query, "chainId") ?? throw new MarketRequestException("chainId is a required field");
        if (!ulong.TryParse(requestedChain, NumberStyles.None, CultureInfo.InvariantCulture, out var chain))
            throw new MarketRequestException($"chainId must be a `number` type, but the final value was: `\"{requestedChain}\"`.");
        if (chain != chainId) throw new MarketRequestException($"chainId {chain} is not supported");

        if (kind == MarketOrderKind.App)
        {
            parsed.RequireResourceOrOwner(query, "app", "appOwner");
            parsed.Restriction(query, "dataset", "datasetrestrict", "isDatasetStrict");
            parsed.Restriction(query, "workerpool", "workerpoolrestrict", "isWorkerpoolStrict");
            parsed.Restriction(query, "requester", "requesterrestrict", "isRequesterStrict");
        }
        else if (kind == MarketOrderKind.Dataset)
        {
            parsed.RequireResourceOrOwner(query, "dataset", "datasetOwner");
            parsed.Restriction(query, "app", "apprestrict", "isAppStrict");
            parsed.Restriction(query, "workerpool", "workerpoolrestrict", "isWorkerpoolStrict");
            parsed.Restriction(query, "requester", "requesterrestrict", "isRequesterStrict");
            Boolean(query, "bulkOnly");
        }
        else if (kind == MarketOrderKind.Workerpool)
        {
            parsed.Exact(query, "workerpool", "workerpool");
            parsed.Owner(query, "workerpoolOwner");
            parsed.Restriction(query, "app", "apprestrict", "isAppStrict");
            parsed.Restriction(query, "dataset", "datasetrestrict", "isDatasetStrict");
            parsed.Restriction(query, "requester", "requesterrestrict", "isRequesterStrict");
            parsed.Category(query);
            if (Integer(query, "minTrust") is { } minTrust && minTrust > 1) parsed._filters.Add(o => o.Number("trust") >= minTrust);
        }
        else
        {
            parsed.Exact(query, "app", "app");
            parsed.Exact(query, "dataset", "dataset");
            parsed.Exact(query, "requester", "requester");
            parsed.Exact(query, "beneficiary", "beneficiary");
            parsed.Restriction(query, "workerpool", "workerpool", "isWorkerpoolStrict");
            parsed.Category(query);
            if (Integer(query, "maxTrust") is { } maxTrust) parsed._filters.Add(o => o.Number("trust") <= maxTrust);
        }

        if (Bytes32(query, "minTag") is { } minTag) parsed._filters.Add(o => (o.Tag & minTag) == minTag);
        if (Bytes32(query, "maxTag") is { } maxTag) parsed._filters.Add(o => (o.Tag & ~maxTag) == 0);
        if (Integer(query, "minVolume") is { } minVolume)
        {
            if (minVolume < 1) throw new MarketRequestException("minVolume must be greater than or equal to 1");
            parsed.MinVolume = minVolume;
        }

        var pageSize = Integer(query, "pageSize");
        if (pageSize is { } size && (size < 10 || size > 1000))
            throw new MarketRequestException(size < 10 ? "pageSize must be greater than or equal to 10" : "pageSize must be less than or equal to 1000");
        parsed.PageSize = (int)(pageSize ?? 20);
        var pageIndex = Integer(query, "pageIndex");
        var page = Integer(query, "page");
        var skip = page ?? (pageIndex ?? 0) * parsed.PageSize;
        parsed.Skip = skip > int.MaxValue ? int.MaxValue : (int)skip;
        return parsed;
    }

    private void RequireResourceOrOwner(IQueryCollection query, string resource, string owner)
    {
        if (Text(query, resource) is null && Text(query, owner) is null)
            throw new MarketRequestException($"{resource} or {owner} is required");
        Exact(query, resource, resource);
        Owner(query, owner);
    }

    private void Exact(IQueryCollection query, string parameter, string field)
    {
        if (AddressOrAny(query, parameter) is { } address) _filters.Add(o => o.Address(field) == address);
    }

    private void Owner(IQueryCollection query, string parameter)
    {
        var text = Text(query, parameter);
        if (text is null) return;
        if (!EthAddress.TryParse(text, out var owner)) throw new MarketRequestException($"{parameter} must be a valid address");
        _filters.Add(o => o.Signer == owner);
    }

    private void Restriction(IQueryCollection query, string parameter, string field, string strictParameter)
    {
        var strict = Boolean(query, strictParameter) ?? false;
        var text = Text(query, parameter);
        if (text is null)
        {
            _filters.Add(o => o.Address(field).IsZero);
            return;
        }
        if (AddressOrAny(query, parameter) is not { } address) return;
        _filters.Add(strict ? o => o.Address(field) == address : o => o.Address(field).IsZero || o.Address(field) == address);
    }

    private void Category(IQueryCollection query)
    {
        if (Integer(query, "category") is { } category) _filters.Add(o => o.Number("category") == category);
    }

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    // null for absent or "any" (no filter).
    private static EthAddress? AddressOrAny(IQueryCollection query, string name)
    {
        var text = Text(query, name);
        if (text is null || text == "any") return null;
        return EthAddress.TryParse(text, out var address) ? address : throw new MarketRequestException($"{name} must be a valid address");
    }

    private static bool? Boolean(IQueryCollection query, string name) => Text(query, name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw new MarketRequestException($"{name} must be a `boolean` type, but the final value was: `\"{other}\"`."),
    };

    private static BigInteger? Integer(IQueryCollection query, string name)
    {
        var text = Text(query, name);
        if (text is null) return null;
        if (text.Length > 78 || !text.All(char.IsAsciiDigit))
            throw new MarketRequestException($"{name} must be a positive integer");
        return BigInteger.Parse(text, CultureInfo.InvariantCulture);
    }

    private static BigInteger? Bytes32(IQueryCollection query, string name)
    {
        var text = Text(query, name);
        if (text is null) return null;
        if (!Hex.IsHex(text, 32)) throw new MarketRequestException($"{name} must be a bytes32 hex string");
        return new BigInteger(Hex.Decode(text), isUnsigned: true, isBigEndian: true);
    }
}
