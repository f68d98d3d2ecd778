using System.Globalization;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Ens;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Output;

// What the run, order and task cmdlets share: opening the market and IPFS gateway of a chain, resolving addresses
// or ENS names, and turning Core deals into output objects.
internal static class RunCommandSupport
{
    // Each URL passes the transport rule (TransportPolicy) before any request: https, http to loopback, or
    // -AllowInsecureHttp.
    public static MarketClient? OpenMarket(ChainProfile chain, bool allowInsecureHttp = false) =>
        Uri.TryCreate(chain.IExecGateway, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new MarketClient(url, allowInsecureHttp: allowInsecureHttp) : null;

    public static MarketClient RequireMarket(ChainProfile chain, bool allowInsecureHttp = false) => OpenMarket(chain, allowInsecureHttp) ?? throw new IExecException(
        ErrorIds.MissingMarketUrl, IExecErrorCategory.InvalidData, $"Chain {chain.Name} has no market API (iexecGateway).", chain.Name)
    { RecommendedAction = "Set \"iexecGateway\" in the chain's chain.json entry." };

    public static Uri RequireIpfsGateway(ChainProfile chain, bool allowInsecureHttp = false) =>
        Uri.TryCreate(chain.IpfsGateway, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? Secure(url, Core.Net.EndpointKind.ResultGateway, allowInsecureHttp)
            : throw new IExecException(ErrorIds.MissingIpfsGateway, IExecErrorCategory.InvalidData, $"Chain {chain.Name} has no IPFS gateway (ipfsGateway).", chain.Name)
            { RecommendedAction = "Set \"ipfsGateway\" in the chain's chain.json entry." };

    private static Uri Secure(Uri url, Core.Net.EndpointKind kind, bool allowInsecureHttp)
    {
        Core.Net.TransportPolicy.EnsureSecure(url, kind, allowInsecureHttp);
        return url;
    }

    public static bool IsEns(string? text) => EnsResolver.IsEnsName(text);

    // Addresses parse locally; names ending in .eth resolve on the chain's ENS registry.
    public static async Task<EthAddress> ResolveAsync(string text, string parameter, JsonRpcClient rpc, ChainProfile chain, CancellationToken cancellationToken)
    {
        if (!IsEns(text)) return AddressInput.Parse(text, parameter);
        if (!EthAddress.TryParse(chain.EnsRegistry, out var registry))
        {
            throw new IExecException(ErrorIds.EnsNameNotResolved, IExecErrorCategory.InvalidArgument,
                $"Unable to resolve ENS {text}: chain {chain.Name} has no ENS registry", text)
            { RecommendedAction = $"Pass the {parameter} address instead of a name." };
        }
        return await new EnsResolver(rpc, registry).ResolveAsync(text, cancellationToken).ConfigureAwait(false);
    }

    public static byte[] ParseTag(string[]? tag, bool allowTeeWithoutFramework = true) =>
        tag is null || tag.Length == 0 ? new byte[32] : OrderTag.Parse(string.Join(",", tag), allowTeeWithoutFramework);

    public static IExecDeal FromDeal(DealInfo deal, string chain, IEnumerable<TaskInfo> tasks, string? txHash = null, string? cost = null) => new()
    {
        DealId = deal.DealId,
        TxHash = txHash,
        Chain = chain,
        App = deal.Deal.App.Pointer.ToString(),
        Workerpool = deal.Deal.Workerpool.Pointer.ToString(),
        Dataset = deal.Deal.Dataset.Pointer.ToString(),
        Requester = deal.Deal.Requester.ToString(),
        Beneficiary = deal.Deal.Beneficiary.ToString(),
        Category = (long)deal.Deal.Category,
        Tag = IExecOrder.Names(deal.Deal.Tag),
        Params = deal.Deal.Params,
        BotFirst = (long)deal.Deal.BotFirst,
        Volume = (long)deal.Deal.BotSize,
        StartTime = DateTimeOffset.FromUnixTimeSeconds((long)deal.Deal.StartTime),
        FinalDeadline = deal.FinalDeadline,
        Cost = cost,
        TaskIds = deal.TaskIds.ToArray(),
        Tasks = tasks.Select(t => IExecTask.From(t, chain)).ToArray(),
    };

    public static string Text(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
