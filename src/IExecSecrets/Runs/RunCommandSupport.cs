using System.Globalization;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets;

// What the run, order and task cmdlets share: opening the market and IPFS gateway of a chain, parsing tags, and
// turning Core deals and runs into output objects and errors.
internal static class RunCommandSupport
{
    // Each URL passes the transport rule (TransportPolicy) before any request: https, http to loopback, or
    // -AllowInsecureHttp.
    public static MarketClient? OpenMarket(ChainProfile chain, bool allowInsecureHttp = false) =>
        Uri.TryCreate(chain.IExecGateway, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new MarketClient(url, allowInsecureHttp: allowInsecureHttp) : null;

    public static MarketClient RequireMarket(ChainProfile chain, bool allowInsecureHttp = false) => OpenMarket(chain, allowInsecureHttp) ?? throw new IExecException(
        ErrorIds.MissingMarketUrl, $"Chain {chain.Name} has no market API (iexecGateway).", chain.Name)
    { RecommendedAction = "Set \"iexecGateway\" in the chain's chain.json entry." };

    public static Uri RequireIpfsGateway(ChainProfile chain, bool allowInsecureHttp = false) =>
        Uri.TryCreate(chain.IpfsGateway, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? Secure(url, Core.Net.EndpointKind.ResultGateway, allowInsecureHttp)
            : throw new IExecException(ErrorIds.MissingIpfsGateway, $"Chain {chain.Name} has no IPFS gateway (ipfsGateway).", chain.Name)
            { RecommendedAction = "Set \"ipfsGateway\" in the chain's chain.json entry." };

    private static Uri Secure(Uri url, Core.Net.EndpointKind kind, bool allowInsecureHttp)
    {
        Core.Net.TransportPolicy.EnsureSecure(url, kind, allowInsecureHttp);
        return url;
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
        // Read back, the chain holds what the deal costs: the three prices locked per task, times its tasks.
        Cost = cost ?? Text((deal.Deal.App.Price + deal.Deal.Dataset.Price + deal.Deal.Workerpool.Price) * deal.Deal.BotSize),
        TaskIds = deal.TaskIds.ToArray(),
        Tasks = tasks.Select(t => IExecTask.From(t, chain)).ToArray(),
        RequesterSecrets = SecretsOf(deal.Deal.Params),
    };

    // The requester secret mapping the deal's params name (slot → SMS name), as a hashtable like Invoke-IExecApp's; null when none.
    private static System.Collections.Hashtable? SecretsOf(string? paramsText)
    {
        var mapping = Core.Execution.DealParams.RequesterSecrets(paramsText);
        if (mapping.Count == 0) return null;
        var table = new System.Collections.Hashtable();
        foreach (var (slot, name) in mapping) table[slot] = name;
        return table;
    }

    public static string Text(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    // The output of one deal of Invoke-IExecApp: the deal read on chain, with its input's index and secret mapping.
    public static IExecDeal FromRun(DealInfo deal, string chain, IEnumerable<TaskInfo> tasks, AppRunSession.StartedMatch match, AppRunDeal matched)
    {
        var output = FromDeal(deal, chain, tasks, matched.TransactionHash, Text(match.Run.Plan.Cost));
        output.InputIndex = match.Index;
        output.RequesterSecrets = new System.Collections.Hashtable();
        foreach (var (slot, name) in match.Run.Checked.Mapping) output.RequesterSecrets[slot] = name;
        return output;
    }

    // TaskRunFailed for a watched deal whose tasks did not all complete, naming each failed task and why.
    public static IExecException TaskRunFailed(IExecDeal deal)
    {
        var failed = deal.Tasks.Where(t => t.Status != IExecTaskStatus.COMPLETED).ToArray();
        return new IExecException(ErrorIds.TaskRunFailed,
            $"App run failed: {failed.Length}/{deal.Tasks.Length} tasks failed ({string.Join("; ", failed.Select(t => $"{t.TaskId} {t.StatusName}: {Reason(t)}"))})", deal.DealId)
        {
            RecommendedAction = $"See what the app printed: Get-IExecTaskLog -TaskId {failed[0].TaskId}" + (deal.Chain is { } c ? $" -Chain {c}" : ""),
        };
    }

    private static string Reason(IExecTask task) => task.StatusName switch
    {
        "FAILED" => "the workerpool reported that the app or its result failed, and the task was claimed",
        "TIMEOUT" => $"not completed before its final deadline {task.FinalDeadline:u}",
        _ => $"left {task.StatusName}",
    };
}
