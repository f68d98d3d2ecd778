using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Chooses the app, dataset and workerpool orders of a run and builds the request order (see
/// <see cref="AppRunner.PrepareAsync"/>): the requester's own orders for what it owns, otherwise market orders that pass
/// every check of <see cref="OrderVetting"/>, read page after page until one passes or <see cref="MaxPages"/> pages of
/// <see cref="PageSize"/> orders were read. Malformed entries are refused with their reason like any other order.
/// </summary>
internal sealed class OrderSelector
{
    /// <summary>Orders per market page, as the SDK asks; also the most orders of one page that are checked.</summary>
    public const int PageSize = 20;

    /// <summary>The most pages read from one order book (per category for workerpool orders) before giving up.</summary>
    public const int MaxPages = 5;

    private const int MaxCategoryLoop = 64;
    private readonly ChainProfile _chain;
    private readonly MarketClient? _market;
    private readonly RunHubReader _hub;

    public OrderSelector(ChainProfile chain, MarketClient? market, RunHubReader hub)
    {
        _chain = chain;
        _market = market;
        _hub = hub;
    }

    /// <summary>The bound on the order books, as help texts and NoAcceptableOrder state it.</summary>
    public static string Bound => $"at most {MaxPages} pages of {PageSize} orders per order book and category";

    public async Task<AppRunPlan> PrepareAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var requester = context.Requester;
        var tag = request.Tag;
        var refused = new List<RefusedOrder>();
        // The consumed volume read on chain for every order that passed the other checks, by hash: the session's count of
        // deals the chosen orders still allow starts from these answers instead of reading them again.
        var consumedSeen = new Dictionary<string, BigInteger>(StringComparer.Ordinal);

        // With -Workerpool naming a pool the requester does not own, the workerpool order book's first page does not
        // depend on the app and dataset orders chosen below (the query's tag is the requested tag: vetting refuses app
        // and dataset orders with a bit outside it), so it is read while they are searched. It is only read early:
        // every workerpool order on it is still vetted against the chosen app and dataset orders.
        using var prefetchCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var marketSearchFirst = context.AppOwner != requester || (request.Dataset is not null && context.DatasetOwner != requester);
        var prefetched = request.Workerpool is { } namedPool && context.WorkerpoolOwner != requester && marketSearchFirst && _market is { } prefetchMarket
            ? prefetchMarket.GetWorkerpoolOrdersAsync(WorkerpoolQuery(context, namedPool, request.Category ?? BigInteger.Zero, tag, 0), prefetchCancel.Token)
            : null;
        try
        {
            return await PrepareAsync(context, refused, consumedSeen, prefetched, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (prefetched is { IsCompleted: false })
            {
                // A search that failed first leaves the early read unused: stop it and observe its end.
                await prefetchCancel.CancelAsync().ConfigureAwait(false);
                try
                {
                    await prefetched.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IExecException)
                {
                    // Unused, so its failure decides nothing.
                }
            }
        }
    }

    private async Task<AppRunPlan> PrepareAsync(AppRunContext context, List<RefusedOrder> refused, Dictionary<string, BigInteger> consumedSeen,
        Task<MarketPage<WorkerpoolOrder>>? prefetched, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var requester = context.Requester;
        var domain = context.Domain;
        var tag = request.Tag;
        AppOrder appOrder;
        string appSource;
        if (context.AppOwner == requester)
        {
            appOrder = new AppOrder { App = request.App, Volume = 1, Tag = tag, RequesterRestrict = requester, Salt = OrderSalt.New() };
            appSource = "Self";
        }
        else
        {
            var market = RequireMarket();
            var (chosen, offered) = await SearchAsync("apporder", refused, page => market.GetAppOrdersAsync(new AppOrderQuery
            {
                App = request.App,
                ChainId = _chain.ChainId,
                Requester = requester,
                Workerpool = request.Workerpool,
                Dataset = request.Dataset,
                MinTag = RunTags.TeeAndSconeBits(tag),
                MaxTag = tag,
                PageIndex = page,
                PageSize = PageSize,
            }, cancellationToken), orders => PickAsync(orders, "apporder", o => o.App.ToString(), o => o.Hash(domain), o => o.Volume,
                o => OrderVetting.CheckApp(o, request, requester, context.AppOwner, domain), refused, consumedSeen, cancellationToken)).ConfigureAwait(false);
            if (offered == 0)
            {
                throw new IExecException(ErrorIds.NoAppOrder, $"No order available for app {request.App}", request.App.ToString())
                { RecommendedAction = "Ask the app owner to publish an app order (Publish-IExecAppOrder) for this tag and requester." };
            }
            appOrder = chosen ?? throw NoAcceptable("app", request.App.ToString(), refused, "-AppMaxPrice");
            appSource = "Market";
        }

        DatasetOrder datasetOrder = DatasetOrder.Null;
        var datasetSource = "Null";
        if (request.Dataset is { } dataset)
        {
            datasetSource = context.DatasetOwner == requester ? "Self" : "Market";
            if (context.DatasetOwner == requester)
            {
                datasetOrder = new DatasetOrder { Dataset = dataset, Volume = 1, Tag = tag, RequesterRestrict = requester, Salt = OrderSalt.New() };
            }
            else
            {
                var market = RequireMarket();
                var datasetOwner = context.DatasetOwner ?? EthAddress.Zero;
                var before = refused.Count;
                var (chosen, offered) = await SearchAsync("datasetorder", refused,
                    page => market.GetDatasetOrdersAsync(_chain.ChainId, dataset, request.App, requester, request.Workerpool, tag, page, cancellationToken),
                    orders => PickAsync(orders, "datasetorder", o => o.Dataset.ToString(), o => o.Hash(domain), o => o.Volume,
                        o => OrderVetting.CheckDataset(o, request, requester, datasetOwner, domain), refused, consumedSeen, cancellationToken)).ConfigureAwait(false);
                if (offered == 0)
                {
                    throw new IExecException(ErrorIds.NoDatasetOrder, $"No order available for dataset {dataset}", dataset.ToString());
                }
                datasetOrder = chosen ?? throw NoAcceptable("dataset", dataset.ToString(), refused.Skip(before).ToList(), "-DatasetMaxPrice");
            }
        }

        var minTag = OrderTag.Or(appOrder.Tag, RunTags.WithoutFrameworkBits(datasetOrder.Tag), tag);
        WorkerpoolOrder workerpoolOrder;
        string workerpoolSource;
        if (request.Workerpool is { } pool && context.WorkerpoolOwner == requester)
        {
            workerpoolOrder = new WorkerpoolOrder
            {
                Workerpool = pool,
                Volume = 1,
                Tag = minTag,
                Category = request.Category ?? BigInteger.Zero,
                Trust = request.Trust,
                RequesterRestrict = requester,
                Salt = OrderSalt.New(),
            };
            workerpoolSource = "Self";
        }
        else
        {
            // The early read stands for the first page only when the search asks exactly what it asked.
            var firstPage = prefetched is not null && minTag.AsSpan().SequenceEqual(tag) ? prefetched : null;
            workerpoolOrder = await FindWorkerpoolOrderAsync(context, minTag, appOrder, datasetOrder, refused, consumedSeen, firstPage, cancellationToken).ConfigureAwait(false);
            workerpoolSource = "Market";
        }

        var requestOrder = new RequestOrder
        {
            // What the requester asked for, never what a market order says: a market order for another app, dataset
            // or price cannot reach the signature, because the request order would not match it on chain.
            App = request.App,
            AppMaxPrice = request.AppMaxPrice,
            Dataset = request.Dataset ?? EthAddress.Zero,
            DatasetMaxPrice = request.Dataset is null ? BigInteger.Zero : request.DatasetMaxPrice,
            Workerpool = request.Workerpool ?? workerpoolOrder.Workerpool,
            WorkerpoolMaxPrice = request.WorkerpoolMaxPrice,
            Requester = requester,
            Volume = 1,
            Tag = tag,
            Category = workerpoolOrder.Category,
            Trust = request.Trust,
            Beneficiary = request.Beneficiary ?? requester,
            Callback = request.Callback ?? EthAddress.Zero,
            Params = context.Params.Json,
            Salt = OrderSalt.New(),
        };
        var plan = new AppRunPlan
        {
            Context = context,
            AppOrder = appOrder,
            DatasetOrder = datasetOrder,
            WorkerpoolOrder = workerpoolOrder,
            RequestOrder = requestOrder,
            AppOrderSource = appSource,
            DatasetOrderSource = datasetSource,
            WorkerpoolOrderSource = workerpoolSource,
            RefusedOrders = refused,
            ConsumedAtVetting = consumedSeen,
        };
        if (plan.Cost > context.RequesterStake)
        {
            throw new IExecException(ErrorIds.InsufficientStake,
                $"Cost per task ({plan.Cost} nRLC) is greater than requester account stake ({context.RequesterStake} nRLC). Orders can't be matched.", requester.ToString())
            { RecommendedAction = "Deposit RLC to the requester's iExec account first." };
        }
        return plan;
    }

    // Reads pages of one order book until pick finds an order, no page follows, a page is empty or MaxPages pages were
    // read. Malformed entries are refused with their reason. Returns the order found (or null) and how many entries
    // the market offered in the pages read.
    private static async Task<(TOrder? Chosen, int Offered)> SearchAsync<TOrder>(string kind, List<RefusedOrder> refused,
        Func<int, Task<MarketPage<TOrder>>> readPage, Func<IReadOnlyList<PublishedOrder<TOrder>>, Task<TOrder?>> pick)
        where TOrder : class
    {
        var offered = 0;
        for (var index = 0; index < MaxPages; index++)
        {
            var page = await readPage(index).ConfigureAwait(false);
            var entries = page.Orders.Count + page.Malformed.Count;
            offered += entries;
            foreach (var bad in page.Malformed)
            {
                refused.Add(new RefusedOrder(kind, bad.OrderHash.Length > 0 ? bad.OrderHash : "(no hash)", "(unread)", "it is malformed: " + bad.Reason));
            }
            if (page.Orders.Count > 0 && await pick(page.Orders).ConfigureAwait(false) is { } chosen) return (chosen, offered);
            if (page.NextPage is null || entries == 0) break;
        }
        return (null, offered);
    }

    private async Task<WorkerpoolOrder> FindWorkerpoolOrderAsync(AppRunContext context, byte[] minTag, AppOrder appOrder, DatasetOrder datasetOrder,
        List<RefusedOrder> refused, Dictionary<string, BigInteger> consumedSeen, Task<MarketPage<WorkerpoolOrder>>? firstPage, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var requester = context.Requester;
        var market = RequireMarket();
        // Without -Workerpool, an app or dataset order restricted to one pool pins the search to that pool.
        var pinned = request.Workerpool ?? NonZero(appOrder.WorkerpoolRestrict) ?? NonZero(datasetOrder.WorkerpoolRestrict);
        var strict = request.Category is not null;
        var category = request.Category ?? BigInteger.Zero;
        var tried = new List<BigInteger>();
        var refusedBefore = refused.Count;
        while (true)
        {
            tried.Add(category);
            var searched = category;
            // firstPage was asked for the named pool, category request.Category ?? 0 and this minTag: the first search's page 0.
            var early = tried.Count == 1 ? firstPage : null;
            var (chosen, _) = await SearchAsync("workerpoolorder", refused, page => page == 0 && early is not null ? early
                : market.GetWorkerpoolOrdersAsync(WorkerpoolQuery(context, pinned, searched, minTag, page), cancellationToken), orders => PickWorkerpoolAsync(orders, context, pinned, searched, minTag, appOrder, datasetOrder, refused, consumedSeen, cancellationToken)).ConfigureAwait(false);
            if (chosen is not null) return chosen;
            if (strict || tried.Count >= MaxCategoryLoop || !await _hub.CategoryExistsAsync(category + 1, cancellationToken).ConfigureAwait(false)) break;
            category++;
        }
        if (refused.Count > refusedBefore)
        {
            throw NoAcceptable("workerpool", pinned?.ToString() ?? "any workerpool", refused.Skip(refusedBefore).ToList(), "-WorkerpoolMaxPrice");
        }
        var conditions = $"workerpool {(pinned?.ToString() ?? "any")}, tag ⊇ {OrderTag.ToHex(minTag)} ({string.Join(",", RunTags.SafeNames(minTag))}), "
            + $"categor{(tried.Count == 1 ? "y" : "ies")} {string.Join(",", tried)}, trust ≥ {request.Trust}, requester {requester}, app {request.App}";
        throw new IExecException(ErrorIds.NoWorkerpoolOrder,
            (strict ? $"No workerpoolorder matching your conditions available in category {category}"
                : "No workerpoolorder matching your conditions currently available") + $" (tried: {conditions})",
            request.Workerpool?.ToString())
        { RecommendedAction = "Try another -Workerpool or -Category, or wait for the pool to publish an order for this tag." };
    }

    private WorkerpoolOrderQuery WorkerpoolQuery(AppRunContext context, EthAddress? pool, BigInteger category, byte[] minTag, int page) => new()
    {
        ChainId = _chain.ChainId,
        App = context.Request.App,
        Dataset = context.Request.Dataset,
        Category = category,
        Requester = context.Requester,
        Workerpool = pool,
        MinTag = minTag,
        MinTrust = context.Request.Trust,
        PageIndex = page,
        PageSize = PageSize,
    };

    // The workerpool orders of one page, checked in the market's order. A pool the user named has its owner read by
    // LoadAsync; any other pool must be registered in the hub's workerpool registry, and its owner is read for it.
    private async Task<WorkerpoolOrder?> PickWorkerpoolAsync(IReadOnlyList<PublishedOrder<WorkerpoolOrder>> offered, AppRunContext context, EthAddress? pinned,
        BigInteger category, byte[] minTag, AppOrder appOrder, DatasetOrder datasetOrder, List<RefusedOrder> refused, Dictionary<string, BigInteger> consumedSeen,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var domain = context.Domain;
        var candidates = offered.Take(PageSize).Select(p => p.Order).ToList();
        var hashes = candidates.Select(o => o.Hash(domain)).ToList();
        var reasons = candidates.Select(o => OrderVetting.CheckWorkerpool(o, request, context.Requester, pinned, category, minTag, appOrder, datasetOrder)).ToList();

        // One batch: the consumed volume of every candidate still in the running and, for pools not named by the
        // user, whether the pool is registered; then one more for the owners of the registered ones.
        var named = new Dictionary<EthAddress, EthAddress?>();
        if (request.Workerpool is { } pool && context.WorkerpoolOwner is { } namedOwner) named[pool] = namedOwner;
        var open = Enumerable.Range(0, candidates.Count).Where(i => reasons[i] is null).ToList();
        var unknownPools = open.Select(i => candidates[i].Workerpool).Where(p => !named.ContainsKey(p)).Distinct().ToList();
        var (consumed, owners) = await _hub.ReadCandidatesAsync(open.Select(i => hashes[i]).ToList(), unknownPools, context.WorkerpoolRegistry, cancellationToken).ConfigureAwait(false);
        for (var n = 0; n < open.Count; n++)
        {
            var i = open[n];
            var order = candidates[i];
            var owner = named.TryGetValue(order.Workerpool, out var known) ? known : owners.GetValueOrDefault(order.Workerpool);
            consumedSeen[Hex.Encode(hashes[i])] = consumed[n];
            reasons[i] = OrderVetting.CheckWorkerpoolSigner(order, owner, domain) ?? OrderVetting.CheckRemaining(order.Volume, consumed[n]);
        }
        return Choose(candidates, hashes, reasons, "workerpoolorder", o => o.Workerpool.ToString(), refused);
    }

    // The orders of one page (app or dataset: the owner is known), checked in the market's order; the first that
    // passes every check and has volume left on chain wins. Consumed volumes are read in one batch.
    private async Task<TOrder?> PickAsync<TOrder>(IReadOnlyList<PublishedOrder<TOrder>> offered, string kind, Func<TOrder, string> resource,
        Func<TOrder, byte[]> hash, Func<TOrder, BigInteger> volume, Func<TOrder, string?> check, List<RefusedOrder> refused, Dictionary<string, BigInteger> consumedSeen,
        CancellationToken cancellationToken)
        where TOrder : class
    {
        var candidates = offered.Take(PageSize).Select(p => p.Order).ToList();
        var hashes = candidates.Select(hash).ToList();
        var reasons = candidates.Select(check).ToList();
        var open = Enumerable.Range(0, candidates.Count).Where(i => reasons[i] is null).ToList();
        if (open.Count > 0)
        {
            var (consumed, _) = await _hub.ReadCandidatesAsync(open.Select(i => hashes[i]).ToList(), [], default, cancellationToken).ConfigureAwait(false);
            for (var n = 0; n < open.Count; n++)
            {
                consumedSeen[Hex.Encode(hashes[open[n]])] = consumed[n];
                reasons[open[n]] = OrderVetting.CheckRemaining(volume(candidates[open[n]]), consumed[n]);
            }
        }
        return Choose(candidates, hashes, reasons, kind, resource, refused);
    }

    private static TOrder? Choose<TOrder>(List<TOrder> candidates, List<byte[]> hashes, List<string?> reasons, string kind, Func<TOrder, string> resource, List<RefusedOrder> refused)
        where TOrder : class
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (reasons[i] is null) return candidates[i];
            refused.Add(new RefusedOrder(kind, Hex.Encode(hashes[i]), resource(candidates[i]), reasons[i]!));
        }
        return null;
    }

    private static IExecException NoAcceptable(string what, string target, IReadOnlyList<RefusedOrder> refused, string priceParameter) =>
        new(ErrorIds.NoAcceptableOrder,
            $"The market offered {refused.Count.ToString(CultureInfo.InvariantCulture)} {what} order(s) for {target} ({Bound} read), and none can be used: "
                + string.Join("; ", refused.Select(r => r.ToString())), target)
        {
            RecommendedAction = $"Nothing was signed and nothing was pushed. An order refused for its price needs a higher {priceParameter}; the others are orders this "
                + "requester cannot safely use (wrong resource, signer, tag or restriction, exhausted or malformed), whatever the market says.",
        };

    private static EthAddress? NonZero(EthAddress address) => address.IsZero ? null : address;

    private MarketClient RequireMarket() => _market ?? throw new IExecException(ErrorIds.MissingMarketUrl,
        $"Chain {_chain.Name} has no market API (iexecGateway), and an order must come from the market.", _chain.Name)
    { RecommendedAction = "Set \"iexecGateway\" in chain.json, or run an app and workerpool you own (their orders are signed locally)." };
}
