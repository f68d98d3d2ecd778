using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.Poco;
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
/// instead of sending again.
/// </summary>
public sealed class AppRunner
{
    private const int MaxCategoryLoop = 64;
    // Orders checked per market page: a market cannot make the runner check (and read on chain) without bound.
    private const int MaxCandidates = 20;
    private readonly JsonRpcClient _rpc;
    private readonly ChainProfile _chain;
    private readonly MarketClient? _market;
    private readonly Func<string, SmsClient> _smsFactory;

    /// <summary>
    /// Creates a runner on <paramref name="chain"/> through <paramref name="rpc"/>; <paramref name="market"/> is needed
    /// only when an order must come from the market; <paramref name="smsFactory"/> opens the SMS of a URL (default:
    /// a new <see cref="SmsClient"/>; the runner disposes what it opens).
    /// </summary>
    public AppRunner(JsonRpcClient rpc, ChainProfile chain, MarketClient? market = null, Func<string, SmsClient>? smsFactory = null)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _market = market;
        _smsFactory = smsFactory ?? (url => new SmsClient(new Uri(url)));
        Hub = chain.Hub ?? throw new IExecException(ErrorIds.InvalidChainConfig, IExecErrorCategory.InvalidData,
            $"Chain {chain.Name} has no hub address.", chain.Name);
    }

    /// <summary>How many times a lost <c>matchOrders</c> is looked for on chain before it is reported as not matched.</summary>
    public int ReconcileAttempts { get; init; } = 5;

    /// <summary>The pause between two looks for a lost <c>matchOrders</c>.</summary>
    public TimeSpan ReconcileDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The PoCo hub the run goes through.</summary>
    public EthAddress Hub { get; }

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
    public async Task<AppRunContext> LoadAsync(AppRunRequest request, EthAddress requester, CancellationToken cancellationToken = default)
    {
        var parameters = Validate(request);
        var calls = new List<(string, object?[]?)>
        {
            ("eth_chainId", null),
            Call(Hub, Abi.EncodeCall("domain()")),
            Call(Hub, Abi.EncodeCall("appregistry()")),
            Call(Hub, Abi.EncodeCall("workerpoolregistry()")),
            Call(Hub, Abi.EncodeCall("datasetregistry()")),
            Call(Hub, Abi.EncodeCall("viewAccount(address)", requester)),
            Call(request.App, Abi.EncodeCall("owner()")),
            Call(request.App, Abi.EncodeCall("m_appMREnclave()")),
        };
        if (request.Workerpool is { } pool) calls.Add(Call(pool, Abi.EncodeCall("owner()")));
        if (request.Dataset is { } data) calls.Add(Call(data, Abi.EncodeCall("owner()")));
        var first = await _rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);

        var chainId = (ulong)JsonRpcClient.ParseQuantity(first[0]);
        if (chainId != _chain.ChainId)
        {
            throw new IExecException(ErrorIds.ChainIdMismatch, IExecErrorCategory.InvalidOperation,
                $"The RPC node at {_rpc.DisplayUrl} serves chain id {chainId}, not the expected {_chain.ChainId}; nothing was signed.", _rpc.DisplayUrl);
        }
        var domainValues = (object?[])Abi.Decode("(string,string,uint256,address)", Bytes(first[1]))[0]!;
        var domain = new Eip712Domain((string)domainValues[0]!, (string)domainValues[1]!, (BigInteger)domainValues[2]!, (EthAddress)domainValues[3]!)
            .RequireFor(_chain.ChainId, Hub, _chain.Name);
        var appRegistry = Address(first[2])!.Value;
        var workerpoolRegistry = Address(first[3])!.Value;
        var datasetRegistry = Address(first[4])!.Value;
        var stake = (BigInteger)((object?[])Abi.Decode("(uint256,uint256)", Bytes(first[5]))[0]!)[0]!;

        var checks = new List<(string, object?[]?)> { Call(appRegistry, Abi.EncodeCall("isRegistered(address)", request.App)) };
        if (request.Workerpool is { } wp) checks.Add(Call(workerpoolRegistry, Abi.EncodeCall("isRegistered(address)", wp)));
        if (request.Dataset is { } ds) checks.Add(Call(datasetRegistry, Abi.EncodeCall("isRegistered(address)", ds)));
        var second = await _rpc.BatchAsync(checks, cancellationToken).ConfigureAwait(false);
        if (!Bool(second[0]))
        {
            throw new IExecException(ErrorIds.AppNotDeployed, IExecErrorCategory.ObjectNotFound, $"No app deployed at address {request.App}", request.App.ToString())
            { RecommendedAction = $"Check the app address and the chain ({_chain.Name}); Get-IExecApp shows what is deployed." };
        }
        var index = 1;
        if (request.Workerpool is { } registeredPool && !Bool(second[index++]))
        {
            throw new IExecException(ErrorIds.WorkerpoolNotDeployed, IExecErrorCategory.ObjectNotFound, $"No workerpool deployed at address {registeredPool}", registeredPool.ToString())
            { RecommendedAction = "Check the workerpool address or ENS name, or omit -Workerpool to take any pool from the market." };
        }
        if (request.Dataset is { } registeredDataset && !Bool(second[index]))
        {
            throw new IExecException(ErrorIds.DatasetNotDeployed, IExecErrorCategory.ObjectNotFound, $"No dataset deployed at address {registeredDataset}", registeredDataset.ToString());
        }

        var mrEnclave = Encoding.UTF8.GetString((byte[])Abi.Decode("bytes", Bytes(first[7]))[0]!);
        var next = 8;
        return new AppRunContext
        {
            Request = request,
            Params = parameters,
            Requester = requester,
            Domain = domain,
            AppOwner = Address(first[6])!.Value,
            AppMrEnclave = mrEnclave,
            AppFramework = AppReader.FrameworkOf(mrEnclave),
            WorkerpoolOwner = request.Workerpool is null ? null : Address(first[next++]),
            WorkerpoolRegistry = workerpoolRegistry,
            DatasetOwner = request.Dataset is null ? null : Address(first[next]),
            RequesterStake = stake,
        };
    }

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
        var tagFramework = FrameworkOfTag(request.Tag);
        // SDK 9 (order-helper.js checkAppRequirements) refuses any app with an mrenclave on a TDX run.
        if (tagFramework == TeeFramework.Tdx && !string.IsNullOrEmpty(context.AppMrEnclave))
        {
            throw new IExecException(ErrorIds.AppMrEnclaveNotSupported, IExecErrorCategory.InvalidOperation,
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
        var needsSms = parameters.Secrets.Count > 0 || parameters.EncryptResult || parameters.StorageProvider == "dropbox";
        if (!needsSms) return report;
        var framework = tagFramework ?? context.AppFramework ?? ChainResolver.ResolveTeeFramework(_chain);
        var url = ChainResolver.ResolveSmsUrl(_chain, framework);
        using var sms = _smsFactory(url);
        var missing = new List<string>();
        foreach (var name in parameters.Secrets.Select(s => s.Value).Distinct(StringComparer.Ordinal))
        {
            if (!await sms.RequesterSecretExistsAsync(context.Requester, name, cancellationToken).ConfigureAwait(false)) missing.Add(name);
        }
        var missingKey = parameters.EncryptResult
            && !await sms.Web2SecretExistsAsync(beneficiary, SecretRules.ResultEncryptionPublicKeyName, cancellationToken).ConfigureAwait(false);
        var missingToken = parameters.StorageProvider == "dropbox"
            && !await sms.Web2SecretExistsAsync(context.Requester, SecretRules.ResultDropboxTokenName, cancellationToken).ConfigureAwait(false);
        return report with
        {
            SmsUrl = sms.DisplayUrl,
            SmsFramework = framework,
            MissingRequesterSecrets = missing,
            MissingEncryptionKey = missingKey,
            MissingDropboxToken = missingToken,
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
    /// (the market offered nothing) and <see cref="ErrorIds.InsufficientStake"/>.
    /// </summary>
    public async Task<AppRunPlan> PrepareAsync(AppRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var requester = context.Requester;
        var domain = context.Domain;
        var tag = request.Tag;
        var refused = new List<RefusedOrder>();

        AppOrder appOrder;
        string appSource;
        if (context.AppOwner == requester)
        {
            appOrder = new AppOrder { App = request.App, Volume = 1, Tag = tag, RequesterRestrict = requester, Salt = OrderSalt.New() };
            appSource = "Self";
        }
        else
        {
            var page = await RequireMarket().GetAppOrdersAsync(new AppOrderQuery
            {
                App = request.App,
                ChainId = _chain.ChainId,
                Requester = requester,
                Workerpool = request.Workerpool,
                Dataset = request.Dataset,
                MinTag = TeeAndSconeBits(tag),
                MaxTag = tag,
            }, cancellationToken).ConfigureAwait(false);
            if (page.Orders.Count == 0)
            {
                throw new IExecException(ErrorIds.NoAppOrder, IExecErrorCategory.ObjectNotFound, $"No order available for app {request.App}", request.App.ToString())
                { RecommendedAction = "Ask the app owner to publish an app order (Publish-IExecAppOrder) for this tag and requester." };
            }
            appOrder = await PickAsync(page.Orders, "apporder", o => o.App.ToString(), o => o.Hash(domain), o => o.Volume,
                    o => OrderVetting.CheckApp(o, request, requester, context.AppOwner, domain), refused, cancellationToken).ConfigureAwait(false)
                ?? throw NoAcceptable("app", request.App.ToString(), refused, "-AppMaxPrice");
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
                var page = await RequireMarket().GetDatasetOrdersAsync(_chain.ChainId, dataset, request.App, requester, request.Workerpool, tag, cancellationToken).ConfigureAwait(false);
                if (page.Orders.Count == 0)
                {
                    throw new IExecException(ErrorIds.NoDatasetOrder, IExecErrorCategory.ObjectNotFound, $"No order available for dataset {dataset}", dataset.ToString());
                }
                var datasetOwner = context.DatasetOwner ?? EthAddress.Zero;
                datasetOrder = await PickAsync(page.Orders, "datasetorder", o => o.Dataset.ToString(), o => o.Hash(domain), o => o.Volume,
                        o => OrderVetting.CheckDataset(o, request, requester, datasetOwner, domain), refused, cancellationToken).ConfigureAwait(false)
                    ?? throw NoAcceptable("dataset", dataset.ToString(), refused, "-DatasetMaxPrice");
            }
        }

        var minTag = OrderTag.Or(appOrder.Tag, WithoutFrameworkBits(datasetOrder.Tag), tag);
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
            workerpoolOrder = await FindWorkerpoolOrderAsync(context, minTag, appOrder, datasetOrder, refused, cancellationToken).ConfigureAwait(false);
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
        };
        if (plan.Cost > context.RequesterStake)
        {
            throw new IExecException(ErrorIds.InsufficientStake, IExecErrorCategory.InvalidOperation,
                $"Cost per task ({plan.Cost} nRLC) is greater than requester account stake ({context.RequesterStake} nRLC). Orders can't be matched.", requester.ToString())
            { RecommendedAction = "Deposit RLC to the requester's iExec account first." };
        }
        return plan;
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
    /// How many more deals the plan's market orders allow: the smallest volume left on chain (volume minus
    /// <c>viewConsumed</c>) among its market orders, in one batched call; unlimited (long.MaxValue) when every order
    /// is the requester's own.
    /// </summary>
    public async Task<long> RemainingVolumeAsync(AppRunPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var domain = plan.Context.Domain;
        var orders = new List<(byte[] Hash, BigInteger Volume)>();
        if (plan.AppOrderSource == "Market") orders.Add((plan.AppOrder.Hash(domain), plan.AppOrder.Volume));
        if (plan.DatasetOrderSource == "Market") orders.Add((plan.DatasetOrder.Hash(domain), plan.DatasetOrder.Volume));
        if (plan.WorkerpoolOrderSource == "Market") orders.Add((plan.WorkerpoolOrder.Hash(domain), plan.WorkerpoolOrder.Volume));
        if (orders.Count == 0) return long.MaxValue;
        var answers = await _rpc.BatchAsync(orders.Select(o => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", o.Hash))).ToList(), cancellationToken).ConfigureAwait(false);
        var remaining = orders.Select((o, i) => o.Volume - (BigInteger)Abi.Decode("uint256", Bytes(answers[i]))[0]!).Min();
        return remaining <= 0 ? 0 : remaining > long.MaxValue ? long.MaxValue : (long)remaining;
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
            throw new IExecException(ErrorIds.OrdersNotSigned, IExecErrorCategory.InvalidOperation,
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
    /// checks the chain id once, and nonces stay gap-free and unique however many matches run at once.
    /// </summary>
    public TransactionSender CreateSender(IEthSigner signer, FeeCap? feeCap = null) =>
        new(_rpc, signer, _chain.ChainId, TransactionSenderOptions.ForChain(_chain, feeCap));

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
            throw new IExecException(ErrorIds.OrdersNotSigned, IExecErrorCategory.InvalidOperation,
                "The plan's request order is not signed; sign it with AppRunner.Sign before matchOrders.", plan.RequestOrderHash);
        }
        var calldata = PocoHub.EncodeMatchOrders(plan.AppOrder.ToMatchOrdersTuple(), plan.DatasetOrder.ToMatchOrdersTuple(),
            plan.WorkerpoolOrder.ToMatchOrdersTuple(), plan.RequestOrder.ToMatchOrdersTuple());
        var requestHash = plan.RequestOrder.Hash(plan.Context.Domain);
        Receipt receipt;
        try
        {
            receipt = await sender.SendAsync(new TransactionCall(Hub, calldata)
            {
                GasCeiling = GasCeilings.MatchOrders(System.Text.Encoding.UTF8.GetByteCount(plan.RequestOrder.Params)),
                Label = "matchOrders",
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
                    consumed = await new PocoHub(_rpc, Hub).ViewConsumedAsync(requestHash, cancellationToken).ConfigureAwait(false);
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
                : (await new PocoHub(_rpc, Hub).ViewDealAsync(dealId, cancellationToken).ConfigureAwait(false)).BotFirst;
            return Deal(dealId, receipt.TransactionHash, botFirst, (BigInteger)values[5]!);
        }
        throw new IExecException(ErrorIds.OrdersNotMatched, IExecErrorCategory.ProtocolError,
            $"Transaction {receipt.TransactionHash} has no OrdersMatched event for the request order.", receipt.TransactionHash);
    }

    /// <summary>
    /// The run tag the SDK sends. On a chain whose runs are TDX (<see cref="DefaultsToTdx"/>) it follows iexec SDK
    /// 9.0.1, which adds tee+tdx (0x…09) to every order it signs: <paramref name="tag"/> (or the zero tag) gets bits
    /// tee and tdx, and a scone or gramine bit is refused with <see cref="ErrorIds.LegacyTeeFrameworkTag"/> before
    /// anything is signed. On other chains it follows SDK 8.24: the user's tag as parsed, else the zero tag.
    /// <paramref name="hasSecrets"/> is kept for callers; on a TDX chain the tag is tee,tdx with or without secrets.
    /// <paramref name="forced"/> tells whether tee,tdx bits were added to what the user gave.
    /// </summary>
    public static byte[] ResolveRunTag(byte[]? tag, bool hasSecrets, ChainProfile chain, out bool forced)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _ = hasSecrets;
        forced = false;
        if (!DefaultsToTdx(chain)) return tag ?? new byte[32];
        var given = tag ?? new byte[32];
        var result = ForTdxChain(given, chain, "run");
        forced = !result.AsSpan().SequenceEqual(given);
        return result;
    }

    /// <summary>
    /// The tag an order signed on TDX chain <paramref name="chain"/> carries, as iexec SDK 9.0.1 signs it:
    /// <paramref name="tag"/> with bits tee and tdx added. A scone or gramine bit throws
    /// <see cref="ErrorIds.LegacyTeeFrameworkTag"/> (SDK 9: "Unsupported legacy TEE framework tag").
    /// <paramref name="what"/> names the order or run in the message.
    /// </summary>
    public static byte[] ForTdxChain(byte[] tag, ChainProfile chain, string what)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(chain);
        if (tag.Length != 32) throw new ArgumentException("A tag is 32 bytes.", nameof(tag));
        var legacy = new List<string>();
        if ((tag[31] & 0x02) != 0) legacy.Add("'scone'");
        if ((tag[31] & 0x04) != 0) legacy.Add("'gramine'");
        if (legacy.Count > 0)
        {
            throw new IExecException(ErrorIds.LegacyTeeFrameworkTag, IExecErrorCategory.InvalidArgument,
                $"Unsupported legacy TEE framework tag ({string.Join(", ", legacy)}) for a {what} on {chain.Name}, whose runs are TDX.", OrderTag.ToHex(tag))
            {
                RecommendedAction = "Use -Tag tee,tdx (or no -Tag) on TDX chains; scone and gramine apps run on bellecour-style chains (SDK 8.x).",
            };
        }
        var result = (byte[])tag.Clone();
        result[31] |= 0x09;
        return result;
    }

    /// <summary>True when runs on <paramref name="chain"/> follow SDK 9 TDX rules by default (see <see cref="ResolveRunTag"/>).</summary>
    public static bool DefaultsToTdx(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.DefaultTeeFramework is { } framework
            ? framework == TeeFramework.Tdx
            : chain.ChainId is 42161 or 421614;
    }

    /// <summary>The framework a tag selects, with the SDK's precedence scone, then tdx, then gramine; null for none.</summary>
    public static TeeFramework? FrameworkOfTag(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 32) return null;
        var low = tag[31];
        if ((low & 0x02) != 0) return TeeFramework.Scone;
        if ((low & 0x08) != 0) return TeeFramework.Tdx;
        if ((low & 0x04) != 0) return TeeFramework.Gramine;
        return null;
    }

    private async Task<WorkerpoolOrder> FindWorkerpoolOrderAsync(AppRunContext context, byte[] minTag, AppOrder appOrder, DatasetOrder datasetOrder,
        List<RefusedOrder> refused, CancellationToken cancellationToken)
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
            var page = await market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery
            {
                ChainId = _chain.ChainId,
                App = request.App,
                Dataset = request.Dataset,
                Category = category,
                Requester = requester,
                Workerpool = pinned,
                MinTag = minTag,
                MinTrust = request.Trust,
            }, cancellationToken).ConfigureAwait(false);
            if (page.Orders.Count > 0)
            {
                var searched = category;
                var chosen = await PickWorkerpoolAsync(page.Orders, context, pinned, searched, minTag, appOrder, datasetOrder, refused, cancellationToken).ConfigureAwait(false);
                if (chosen is not null) return chosen;
            }
            if (strict || tried.Count >= MaxCategoryLoop || !await CategoryExistsAsync(category + 1, cancellationToken).ConfigureAwait(false)) break;
            category++;
        }
        if (refused.Count > refusedBefore)
        {
            throw NoAcceptable("workerpool", pinned?.ToString() ?? "any workerpool", refused.Skip(refusedBefore).ToList(), "-WorkerpoolMaxPrice");
        }
        var conditions = $"workerpool {(pinned?.ToString() ?? "any")}, tag ⊇ {OrderTag.ToHex(minTag)} ({string.Join(",", SafeNames(minTag))}), "
            + $"categor{(tried.Count == 1 ? "y" : "ies")} {string.Join(",", tried)}, trust ≥ {request.Trust}, requester {requester}, app {request.App}";
        throw new IExecException(ErrorIds.NoWorkerpoolOrder, IExecErrorCategory.ObjectNotFound,
            (strict ? $"No workerpoolorder matching your conditions available in category {category}"
                : "No workerpoolorder matching your conditions currently available") + $" (tried: {conditions})",
            request.Workerpool?.ToString())
        { RecommendedAction = "Try another -Workerpool or -Category, or wait for the pool to publish an order for this tag." };
    }

    // The workerpool orders of one page, checked in the market's order. A pool the user named has its owner read by
    // LoadAsync; any other pool must be registered in the hub's workerpool registry, and its owner is read for it.
    private async Task<WorkerpoolOrder?> PickWorkerpoolAsync(IReadOnlyList<PublishedOrder<WorkerpoolOrder>> offered, AppRunContext context, EthAddress? pinned,
        BigInteger category, byte[] minTag, AppOrder appOrder, DatasetOrder datasetOrder, List<RefusedOrder> refused, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var domain = context.Domain;
        var candidates = offered.Take(MaxCandidates).Select(p => p.Order).ToList();
        var hashes = candidates.Select(o => o.Hash(domain)).ToList();
        var reasons = candidates.Select(o => OrderVetting.CheckWorkerpool(o, request, context.Requester, pinned, category, minTag, appOrder, datasetOrder)).ToList();

        // One batch: the consumed volume of every candidate still in the running and, for pools not named by the
        // user, whether the pool is registered; then one more for the owners of the registered ones.
        var owners = new Dictionary<EthAddress, EthAddress?>();
        if (request.Workerpool is { } named && context.WorkerpoolOwner is { } namedOwner) owners[named] = namedOwner;
        var open = Enumerable.Range(0, candidates.Count).Where(i => reasons[i] is null).ToList();
        var unknownPools = open.Select(i => candidates[i].Workerpool).Where(p => !owners.ContainsKey(p)).Distinct().ToList();
        var calls = open.Select(i => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", hashes[i]))).ToList();
        calls.AddRange(unknownPools.Select(p => Call(context.WorkerpoolRegistry, Abi.EncodeCall("isRegistered(address)", p))));
        var answers = calls.Count == 0 ? Array.Empty<JsonElement>() : await _rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        var registered = unknownPools.Where((_, k) => Bool(answers[open.Count + k])).ToList();
        foreach (var unregistered in unknownPools.Except(registered)) owners[unregistered] = null;
        if (registered.Count > 0)
        {
            var ownerAnswers = await _rpc.BatchAsync(registered.Select(p => Call(p, Abi.EncodeCall("owner()"))).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < registered.Count; k++) owners[registered[k]] = Address(ownerAnswers[k]);
        }
        for (var n = 0; n < open.Count; n++)
        {
            var i = open[n];
            var order = candidates[i];
            reasons[i] = OrderVetting.CheckWorkerpoolSigner(order, owners.GetValueOrDefault(order.Workerpool), domain)
                ?? OrderVetting.CheckRemaining(order.Volume, Quantity(answers[n]));
        }
        return Choose(candidates, hashes, reasons, "workerpoolorder", o => o.Workerpool.ToString(), refused);
    }

    // The orders of one page (app or dataset: the owner is known), checked in the market's order; the first that
    // passes every check and has volume left on chain wins. Consumed volumes are read in one batch.
    private async Task<TOrder?> PickAsync<TOrder>(IReadOnlyList<PublishedOrder<TOrder>> offered, string kind, Func<TOrder, string> resource,
        Func<TOrder, byte[]> hash, Func<TOrder, BigInteger> volume, Func<TOrder, string?> check, List<RefusedOrder> refused, CancellationToken cancellationToken)
        where TOrder : class
    {
        var candidates = offered.Take(MaxCandidates).Select(p => p.Order).ToList();
        var hashes = candidates.Select(hash).ToList();
        var reasons = candidates.Select(check).ToList();
        var open = Enumerable.Range(0, candidates.Count).Where(i => reasons[i] is null).ToList();
        if (open.Count > 0)
        {
            var answers = await _rpc.BatchAsync(open.Select(i => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", hashes[i]))).ToList(), cancellationToken).ConfigureAwait(false);
            for (var n = 0; n < open.Count; n++) reasons[open[n]] = OrderVetting.CheckRemaining(volume(candidates[open[n]]), Quantity(answers[n]));
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
        new(ErrorIds.NoAcceptableOrder, IExecErrorCategory.InvalidData,
            $"The market offered {refused.Count} {what} order(s) for {target}, and none can be used: " + string.Join("; ", refused.Select(r => r.ToString())), target)
        {
            RecommendedAction = $"Nothing was signed. An order refused for its price needs a higher {priceParameter}; the others are orders this "
                + "requester cannot safely use (wrong resource, signer, tag or restriction, or exhausted), whatever the market says.",
        };

    private static EthAddress? NonZero(EthAddress address) => address.IsZero ? null : address;

    private static BigInteger Quantity(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length < 32 ? BigInteger.Zero : (BigInteger)Abi.Decode("uint256", bytes)[0]!;
    }

    private async Task<bool> CategoryExistsAsync(BigInteger category, CancellationToken cancellationToken)
    {
        try
        {
            await new PocoHub(_rpc, Hub).ViewCategoryAsync(category, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private MarketClient RequireMarket() => _market ?? throw new IExecException(ErrorIds.MissingMarketUrl, IExecErrorCategory.InvalidData,
        $"Chain {_chain.Name} has no market API (iexecGateway), and an order must come from the market.", _chain.Name)
    { RecommendedAction = "Set \"iexecGateway\" in chain.json, or run an app and workerpool you own (their orders are signed locally)." };

    private static AppRunDeal Deal(byte[] dealId, string? txHash, BigInteger botFirst, BigInteger volume)
    {
        var tasks = new List<string>();
        for (var i = BigInteger.Zero; i < volume; i++) tasks.Add(Hex.Encode(ExecutionIds.TaskId(dealId, botFirst + i)));
        return new AppRunDeal(Hex.Encode(dealId), txHash, botFirst, volume, tasks);
    }

    private static IReadOnlyList<string> SafeNames(byte[] tag)
    {
        try
        {
            return OrderTag.Names(tag);
        }
        catch (IExecException)
        {
            return ["?"];
        }
    }

    // The app order book query's minTag: only the tee and scone bits of the request tag, as the SDK sends it.
    private static byte[] TeeAndSconeBits(byte[] tag)
    {
        var bits = new byte[32];
        bits[31] = (byte)(tag[31] & 0x03);
        return bits;
    }

    // A dataset tag's contribution to the workerpool minTag: everything but the scone, gramine and tdx bits.
    private static byte[] WithoutFrameworkBits(byte[] tag)
    {
        var copy = (byte[])tag.Clone();
        copy[31] &= unchecked((byte)~0x0E);
        return copy;
    }

    private static (string, object?[]?) Call(EthAddress to, byte[] data) =>
        ("eth_call", [new JsonObject { ["to"] = to.ToLowerHex(), ["data"] = Hex.Encode(data) }, "latest"]);

    private static byte[] Bytes(JsonElement result) => Hex.Decode(result.GetString() ?? "0x");

    private static EthAddress? Address(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length < 32 ? null : (EthAddress)Abi.Decode("address", bytes)[0]!;
    }

    private static bool Bool(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length >= 32 && (bool)Abi.Decode("bool", bytes)[0]!;
    }
}
