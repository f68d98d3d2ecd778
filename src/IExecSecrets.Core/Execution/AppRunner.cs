using System.Numerics;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Sms;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Runs an app the way <c>iexec app run</c> (SDK 8.24) does, in steps a caller can stop between:
/// <see cref="Validate"/> (no network), <see cref="LoadAsync"/> (two JSON-RPC batches), <see cref="PreflightAsync"/>
/// (app framework vs tag, SMS secrets), <see cref="PrepareAsync"/> (orders: the requester's own when it owns the app,
/// dataset or workerpool, else checked market orders; nothing signed), <see cref="Sign"/> (the requester's orders, the
/// request order last) and <c>MatchAsync</c>, which sends
/// <c>matchOrders</c> exactly once and, if the answer is lost, finds the deal by the request order's consumed volume
/// instead of sending again. <see cref="AppRunSession"/> drives these steps for a whole run, from the command line's
/// request to the deal; the tag rules are <see cref="RunTags"/>', the hub reads <see cref="RunHubReader"/>'s and the
/// order selection <see cref="OrderSelector"/>'s.
/// </summary>
public sealed class AppRunner
{
    private readonly JsonRpcClient _rpc;
    private readonly ChainProfile _chain;
    private readonly Func<string, SmsClientCache.Lease> _sms;
    private readonly RunHubReader _hub;
    private readonly OrderSelector _orders;
    private readonly MarketClient? _market;

    /// <summary>
    /// Creates a runner on <paramref name="chain"/> through <paramref name="rpc"/>; <paramref name="market"/> is needed
    /// only when an order must come from the market; <paramref name="sms"/> leases the SMS client of a URL (default:
    /// from <see cref="SmsClientCache.Shared"/>, https or loopback only, 30 s per request); the runner releases each
    /// lease it takes.
    /// </summary>
    public AppRunner(JsonRpcClient rpc, ChainProfile chain, MarketClient? market = null, Func<string, SmsClientCache.Lease>? sms = null)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _market = market;
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _sms = sms ?? (url => SmsClientCache.Shared.Acquire(url, allowInsecureHttp: false, new SmsClientOptions().RequestTimeout));
        Hub = chain.Hub ?? throw new IExecException(ErrorIds.InvalidChainConfig,
            $"Chain {chain.Name} has no hub address.", chain.Name);
        _hub = new RunHubReader(rpc, chain, Hub);
        _orders = new OrderSelector(chain, market, _hub);
    }

    /// <summary>How many times a lost <c>matchOrders</c> is looked for on chain before it is reported as not matched.</summary>
    public int ReconcileAttempts { get; init; } = 5;

    /// <summary>The pause between two looks for a lost <c>matchOrders</c>.</summary>
    public TimeSpan ReconcileDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The PoCo hub the run goes through.</summary>
    public EthAddress Hub { get; }

    /// <summary>The chain the runner runs on.</summary>
    public ChainProfile Chain => _chain;

    /// <summary>The RPC node the runner reads and sends through.</summary>
    public JsonRpcClient Rpc => _rpc;

    /// <summary>
    /// Checks the request without any network call and builds its params: tags are already parsed; this validates
    /// the secret mapping against the tag, the storage provider, input files and params JSON.
    /// </summary>
    public static RequestParams Validate(AppRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(request));
        return request.Params.Build(request.IsTee, request.Callback is { IsZero: false });
    }

    /// <summary>
    /// Reads what the run needs from the chain in two batches: chain id, domain, registries, owners, the app's
    /// mrenclave and the requester's stake, then the registration of the app, workerpool and dataset. Fails with
    /// <see cref="ErrorIds.ChainIdMismatch"/>, <see cref="ErrorIds.HubDomainMismatch"/> (the hub's EIP-712 domain is not
    /// the profile's chain id and hub), <see cref="ErrorIds.AppNotDeployed"/>,
    /// <see cref="ErrorIds.WorkerpoolNotDeployed"/> or <see cref="ErrorIds.DatasetNotDeployed"/>.
    /// </summary>
    public Task<AppRunContext> LoadAsync(AppRunRequest request, EthAddress requester, CancellationToken cancellationToken = default) =>
        _hub.LoadAsync(request, Validate(request), requester, cancellationToken);

    /// <summary>
    /// The SDK's preflight, unless the request skips it: for a TEE tag, the app's framework must be the tag's
    /// (scone, then tdx, then gramine; a tag without framework fits only apps without mrenclave), and on the SMS of
    /// that framework every mapped requester secret must exist, plus the beneficiary's result encryption key and the
    /// dropbox token when they are needed. Reports rather than throws, so missing secrets can be pushed first.
    /// </summary>
    public async Task<PreflightReport> PreflightAsync(AppRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.SkipPreflight || !request.IsTee) return new PreflightReport { Performed = !request.SkipPreflight };
        var tagFramework = RunTags.FrameworkOfTag(request.Tag);
        // SDK 9 (order-helper.js checkAppRequirements) refuses any app with an mrenclave on a TDX run.
        if (tagFramework == TeeFramework.Tdx && !string.IsNullOrEmpty(context.AppMrEnclave))
        {
            throw new IExecException(ErrorIds.AppMrEnclaveNotSupported,
                $"App requirements check failed: App {request.App} has an MREnclave, which is no longer supported", request.App.ToString())
            {
                RecommendedAction = "TDX apps are deployed without an mrenclave (Deploy-IExecApp without -MrEnclave); "
                    + "use -SkipPreflightCheck only if you know the workers accept this app.",
            };
        }
        var mismatch = tagFramework switch
        {
            null => context.AppFramework is not null,
            TeeFramework.Tdx => context.AppFramework is not null and not TeeFramework.Tdx,
            _ => context.AppFramework != tagFramework,
        };
        var beneficiary = request.Beneficiary ?? context.Requester;
        var report = new PreflightReport
        {
            Performed = true,
            TagFramework = tagFramework,
            AppFramework = context.AppFramework,
            TagMismatch = mismatch,
            Requester = context.Requester.ToString(),
            Beneficiary = beneficiary.ToString(),
        };
        if (mismatch) return report;

        var parameters = context.Params;
        var needsSms = parameters.Secrets.Count > 0 || parameters.EncryptResult || parameters.StorageProvider == "dropbox" || request.Dataset is not null;
        if (!needsSms) return report;
        var framework = tagFramework ?? context.AppFramework ?? ChainResolver.ResolveTeeFramework(_chain);
        var url = ChainResolver.ResolveSmsUrl(_chain, framework);
        using var lease = _sms(url);
        var sms = lease.Client;
        var missing = new List<string>();
        foreach (var name in parameters.Secrets.Select(s => s.Value).Distinct(StringComparer.Ordinal))
        {
            if (!await sms.RequesterSecretExistsAsync(context.Requester, name, cancellationToken).ConfigureAwait(false)) missing.Add(name);
        }
        var missingKey = parameters.EncryptResult
            && !await sms.Web2SecretExistsAsync(beneficiary, SecretRules.ResultEncryptionPublicKeyName, cancellationToken).ConfigureAwait(false);
        var missingToken = parameters.StorageProvider == "dropbox"
            && !await sms.Web2SecretExistsAsync(context.Requester, SecretRules.ResultDropboxTokenName, cancellationToken).ConfigureAwait(false);
        // The SDK's TEE dataset check: the workers' pre-compute cannot decrypt a dataset whose key the SMS lacks.
        var missingDatasetKey = request.Dataset is { } dataset
            && !await sms.Web3SecretExistsAsync(dataset, cancellationToken).ConfigureAwait(false);
        return report with
        {
            SmsUrl = sms.DisplayUrl,
            SmsFramework = framework,
            MissingRequesterSecrets = missing,
            MissingEncryptionKey = missingKey,
            MissingDropboxToken = missingToken,
            MissingDatasetSecret = missingDatasetKey,
            Dataset = request.Dataset?.ToString() ?? "",
        };
    }

    /// <summary>
    /// Builds and signs the orders in one step: <see cref="PrepareAsync"/>, then <see cref="Sign"/>.
    /// </summary>
    public async Task<AppRunPlan> PlanAsync(AppRunContext context, IEthSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return Sign(await PrepareAsync(context, cancellationToken).ConfigureAwait(false), signer);
    }

    /// <summary>
    /// Builds the orders without signing anything. The app, dataset and workerpool orders are the requester's own
    /// (left unsigned) when the requester owns the resource; otherwise they come from the market, and every market
    /// order is checked first (<see cref="OrderVetting"/>: the requested resource, tag bounds, restrictions, price
    /// against the request's max prices, the owner's signature, volume left on chain read with
    /// <c>viewConsumed</c>). A refused order is recorded in <see cref="AppRunPlan.RefusedOrders"/> and the next one
    /// is tried; when the market offered orders but none passed, this fails with
    /// <see cref="ErrorIds.NoAcceptableOrder"/> listing why each was refused. The request order takes the app,
    /// dataset and max prices from the request, never from a market order; its workerpool is the requested one, or
    /// the pool of the accepted workerpool order, which confirmation texts show. Other failures:
    /// <see cref="ErrorIds.NoAppOrder"/>, <see cref="ErrorIds.NoDatasetOrder"/>, <see cref="ErrorIds.NoWorkerpoolOrder"/>
    /// (the market offered nothing) and <see cref="ErrorIds.InsufficientStake"/>. Market order books are read page after
    /// page (at most five pages of 20 orders per book and category) until an order passes; a malformed entry (an
    /// address of 64 hex digits, a negative or 2^256-sized number, a fractional price…) is refused with its reason like
    /// any other order.
    /// </summary>
    public Task<AppRunPlan> PrepareAsync(AppRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _orders.PrepareAsync(context, cancellationToken);
    }

    /// <summary>
    /// A new unsigned plan for <paramref name="context"/> (another input of a pipeline of runs with the same app,
    /// dataset, workerpool, tag, category, trust, prices, beneficiary and callback) from <paramref name="plan"/>, whose
    /// market orders were already checked: the same market orders, fresh self orders (new salts) and a new request
    /// order with this input's params. The caller keeps count of the market orders' remaining volume
    /// (<see cref="RemainingVolumeAsync"/>) and prepares afresh when it runs out.
    /// </summary>
    public AppRunPlan Renew(AppRunPlan plan, AppRunContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        return plan with
        {
            Context = context,
            AppOrder = plan.AppOrderSource == "Self" ? plan.AppOrder with { Salt = OrderSalt.New(), Sign = "0x" } : plan.AppOrder,
            DatasetOrder = plan.DatasetOrderSource == "Self" ? plan.DatasetOrder with { Salt = OrderSalt.New(), Sign = "0x" } : plan.DatasetOrder,
            WorkerpoolOrder = plan.WorkerpoolOrderSource == "Self" ? plan.WorkerpoolOrder with { Salt = OrderSalt.New(), Sign = "0x" } : plan.WorkerpoolOrder,
            RequestOrder = plan.RequestOrder with { Params = context.Params.Json, Salt = OrderSalt.New(), Sign = "0x" },
            RefusedOrders = [],
        };
    }

    /// <summary>
    /// The key under which plans read through this runner may be kept for other commands of the process (see
    /// <see cref="PlanTemplate.Shared"/>): the chain, the hub, the node's and the market's whole URLs; null when the
    /// node or market client runs over a caller's transport, whose answers belong to that caller only.
    /// </summary>
    internal string? ProcessCacheKey =>
        _rpc.SharedTransportKey is { } node && (_market is null || _market.SharedTransportKey is not null)
            ? string.Join("|", _chain.ChainId, Hub, node, _market?.SharedTransportKey ?? "no market")
            : null;

    /// <summary>
    /// Rechecks a plan read by an earlier command before it is used again, in one batch (see
    /// <see cref="RunHubReader.RecheckAsync"/>): the node's chain id, the app's owner now and the volume its market
    /// orders have left.
    /// </summary>
    internal Task<(long Remaining, EthAddress? AppOwner)> RecheckAsync(AppRunPlan plan, CancellationToken cancellationToken) =>
        _hub.RecheckAsync(plan.Context.Request.App, MarketOrders(plan), cancellationToken);

    private static List<(byte[] Hash, BigInteger Volume)> MarketOrders(AppRunPlan plan)
    {
        var domain = plan.Context.Domain;
        var orders = new List<(byte[] Hash, BigInteger Volume)>();
        if (plan.AppOrderSource == "Market") orders.Add((plan.AppOrder.Hash(domain), plan.AppOrder.Volume));
        if (plan.DatasetOrderSource == "Market") orders.Add((plan.DatasetOrder.Hash(domain), plan.DatasetOrder.Volume));
        if (plan.WorkerpoolOrderSource == "Market") orders.Add((plan.WorkerpoolOrder.Hash(domain), plan.WorkerpoolOrder.Volume));
        return orders;
    }

    /// <summary>
    /// How many more deals the plan's market orders allow: the smallest volume left on chain (volume minus
    /// <c>viewConsumed</c>) among its market orders, from the consumed volumes read while they were checked, else in one
    /// batched call; unlimited (long.MaxValue) when every order is the requester's own.
    /// </summary>
    public Task<long> RemainingVolumeAsync(AppRunPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var orders = MarketOrders(plan);
        if (orders.Count == 0) return Task.FromResult(long.MaxValue);
        if (orders.All(o => plan.ConsumedAtVetting.ContainsKey(Hex.Encode(o.Hash))))
        {
            return Task.FromResult(RunHubReader.Smallest(orders.Select(o => o.Volume - plan.ConsumedAtVetting[Hex.Encode(o.Hash)])));
        }
        return _hub.RemainingVolumeAsync(orders, cancellationToken);
    }

    /// <summary>
    /// Signs a prepared plan with the requester's key: the self orders (app, dataset, workerpool the requester owns)
    /// and the request order, all under the hub domain checked by <see cref="LoadAsync"/>. Market orders keep their
    /// owners' signatures. <paramref name="signer"/> must be the requester the plan was prepared for.
    /// </summary>
    public AppRunPlan Sign(AppRunPlan plan, IEthSigner signer)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(signer);
        var context = plan.Context;
        if (signer.Address != context.Requester)
        {
            throw new IExecException(ErrorIds.OrdersNotSigned,
                $"The plan was prepared for requester {context.Requester}, not for the connected wallet {signer.Address}; nothing was signed.", signer.Address.ToString());
        }
        var domain = context.Domain;
        return plan with
        {
            AppOrder = plan.AppOrderSource == "Self" ? plan.AppOrder.SignWith(signer, domain) : plan.AppOrder,
            DatasetOrder = plan.DatasetOrderSource == "Self" ? plan.DatasetOrder.SignWith(signer, domain) : plan.DatasetOrder,
            WorkerpoolOrder = plan.WorkerpoolOrderSource == "Self" ? plan.WorkerpoolOrder.SignWith(signer, domain) : plan.WorkerpoolOrder,
            RequestOrder = plan.RequestOrder.SignWith(signer, domain),
        };
    }

    /// <summary>
    /// Sends <c>matchOrders</c> once and reads the deal from the <c>OrdersMatched</c> event. If the send or the
    /// receipt is lost in transit, the deal is looked up by the request order's consumed volume (the deal id is
    /// keccak256(requestHash ‖ 0) for a fresh order) and never sent a second time.
    /// </summary>
    public Task<AppRunDeal> MatchAsync(AppRunPlan plan, IEthSigner signer, TransactionSenderOptions? options = null, CancellationToken cancellationToken = default) =>
        MatchAsync(plan, signer, new TransactionSender(_rpc, signer, _chain.ChainId, options ?? TransactionSenderOptions.ForChain(_chain)), cancellationToken);

    /// <summary>
    /// A sender for <paramref name="signer"/> with this chain's fee mode, to share between the matches of a batch: it
    /// checks the chain id once (not at all when <see cref="LoadAsync"/> already found it on this node), and nonces stay gap-free and unique however many matches run at once.
    /// </summary>
    public TransactionSender CreateSender(IEthSigner signer, FeeCap? feeCap = null)
    {
        var sender = new TransactionSender(_rpc, signer, _chain.ChainId, TransactionSenderOptions.ForChain(_chain, feeCap));
        // LoadAsync checked this node's chain id moments ago; asking again before the first send adds a round trip only.
        if (_hub.ChainIdChecked) sender.ChainIdCheckedElsewhere();
        return sender;
    }

    /// <summary>
    /// <see cref="MatchAsync(AppRunPlan, IEthSigner, TransactionSenderOptions?, CancellationToken)"/> through a given
    /// <paramref name="sender"/>, so several matches (a pipeline of runs) share one chain-id check and one nonce sequence.
    /// </summary>
    public async Task<AppRunDeal> MatchAsync(AppRunPlan plan, IEthSigner signer, TransactionSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(signer);
        if (!plan.IsSigned)
        {
            throw new IExecException(ErrorIds.OrdersNotSigned,
                "The plan's request order is not signed; sign it with AppRunner.Sign before matchOrders.", plan.RequestOrderHash);
        }
        var calldata = PoCoHub.EncodeMatchOrders(plan.AppOrder.ToMatchOrdersTuple(), plan.DatasetOrder.ToMatchOrdersTuple(),
            plan.WorkerpoolOrder.ToMatchOrdersTuple(), plan.RequestOrder.ToMatchOrdersTuple());
        var requestHash = plan.RequestOrder.Hash(plan.Context.Domain);
        Receipt receipt;
        try
        {
            receipt = await sender.SendAsync(new TransactionCall(Hub, calldata)
            {
                GasCeiling = GasCeilings.MatchOrders(System.Text.Encoding.UTF8.GetByteCount(plan.RequestOrder.Params)),
                Label = "matchOrders",
                GasHint = plan.MatchGasHint,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException lost) when (lost.ErrorId is ErrorIds.RpcUnreachable or ErrorIds.TransactionPending)
        {
            // The transaction may be mined although its answer or receipt was lost; the hub's consumed volume tells.
            // A still-pending transaction needs a moment, so ask a few times before concluding that nothing landed.
            var consumed = BigInteger.Zero;
            for (var attempt = 0; attempt < ReconcileAttempts && consumed.IsZero; attempt++)
            {
                if (attempt > 0) await Task.Delay(ReconcileDelay, cancellationToken).ConfigureAwait(false);
                try
                {
                    consumed = await new PoCoHub(_rpc, Hub).ViewConsumedAsync(requestHash, cancellationToken).ConfigureAwait(false);
                }
                catch (IExecException e) when (e.ErrorId is ErrorIds.RpcUnreachable)
                {
                    // The node is still unreachable; try again after the delay.
                }
            }
            if (consumed.IsZero)
            {
                // Not "failed": a pending matchOrders can still be mined; FailedMatch says so, or cancels the order.
                throw await FailedMatch.SettleAsync(lost, plan.RequestOrder, sender, Hub, _chain, cancellationToken).ConfigureAwait(false);
            }
            return Deal(ExecutionIds.DealId(requestHash, BigInteger.Zero), null, BigInteger.Zero, consumed);
        }
        catch (IExecException failed)
        {
            throw await FailedMatch.SettleAsync(failed, plan.RequestOrder, sender, Hub, _chain, cancellationToken).ConfigureAwait(false);
        }

        foreach (var log in receipt.LogsOf(EventTopics.OrdersMatched, Hub))
        {
            var values = Abi.Decode("bytes32,bytes32,bytes32,bytes32,bytes32,uint256", log.Data);
            if (!((byte[])values[4]!).AsSpan().SequenceEqual(requestHash)) continue;
            var dealId = (byte[])values[0]!;
            // PoCo's botFirst is the consumed volume before the match; dealid = keccak(requestHash ‖ botFirst) finds it.
            var botFirst = ExecutionIds.DealId(requestHash, BigInteger.Zero).AsSpan().SequenceEqual(dealId) ? BigInteger.Zero
                : (await new PoCoHub(_rpc, Hub).ViewDealAsync(dealId, cancellationToken).ConfigureAwait(false)).BotFirst;
            return Deal(dealId, receipt.TransactionHash, botFirst, (BigInteger)values[5]!) with { GasUsed = receipt.GasUsed };
        }
        throw new IExecException(ErrorIds.OrdersNotMatched,
            $"Transaction {receipt.TransactionHash} has no OrdersMatched event for the request order.", receipt.TransactionHash);
    }

    private static AppRunDeal Deal(byte[] dealId, string? txHash, BigInteger botFirst, BigInteger volume)
    {
        var tasks = new List<string>();
        for (var i = BigInteger.Zero; i < volume; i++) tasks.Add(Hex.Encode(ExecutionIds.TaskId(dealId, botFirst + i)));
        return new AppRunDeal(Hex.Encode(dealId), txHash, botFirst, volume, tasks);
    }
}
