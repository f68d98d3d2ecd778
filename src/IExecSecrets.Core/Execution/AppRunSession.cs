using System.Globalization;
using System.Security.Cryptography;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Sms;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// One run, or one pipeline of runs, from the user's request to the deal, in the order that keeps every irreversible
/// step last: <see cref="Check"/> (validate once, no network) → <see cref="PlanAsync"/> (resolve ENS names, read the chain
/// and the market, prove a deployed.json app is the wallet's own, vet the orders, preflight the SMS: nothing pushed,
/// signed or sent) → the caller's confirmation → <see cref="ReadSecrets"/> and <see cref="PushAsync"/> (the write-once
/// pushes of missing and one-shot requester secrets, through <see cref="SecretPusher"/>) → <see cref="StartMatch"/>
/// (sign, then <c>matchOrders</c> in flight) → <see cref="TakeEnded"/> (the deal).
/// </summary>
/// <remarks>
/// The session owns what a pipeline of runs shares: one-shot naming, the plan-template cache (inputs that differ only
/// in their params reuse the chain reads and checked market orders of the first while those orders have volume left;
/// separate commands of the process do too for <see cref="PlanTemplate.SharedLifetime"/>, after a one-batch recheck, see
/// <see cref="PlanTemplate"/>), the gas hint learnt from each match, and one transaction sender with the matches in
/// flight, so nonces stay unique and gap-free however many there are.
/// </remarks>
public sealed class AppRunSession
{
    private readonly SecretPusher _pusher;
    private readonly Func<string, SmsClientCache.Lease> _sms;
    private readonly Dictionary<string, PlanTemplate> _templates = new(StringComparer.Ordinal);
    private readonly List<StartedMatch> _inFlight = new();
    private readonly StakeCommitments _stake = new();
    private TransactionSender? _sender;

    /// <summary>
    /// A session on <paramref name="chain"/> through <paramref name="rpc"/> and <paramref name="market"/> (null when the
    /// chain has none), signing and pushing as <paramref name="pusher"/>'s signer, with SMS clients leased by
    /// <paramref name="sms"/> (the shared cache with the caller's transport settings).
    /// </summary>
    public AppRunSession(JsonRpcClient rpc, ChainProfile chain, MarketClient? market, SecretPusher pusher, Func<string, SmsClientCache.Lease> sms)
    {
        _pusher = pusher ?? throw new ArgumentNullException(nameof(pusher));
        _sms = sms ?? throw new ArgumentNullException(nameof(sms));
        Runner = new AppRunner(rpc, chain, market, sms);
    }

    /// <summary>The runner whose steps the session drives (its hub, for watching the deals).</summary>
    public AppRunner Runner { get; }

    /// <summary>The chain of every run of this session.</summary>
    public ChainProfile Chain => Runner.Chain;

    /// <summary>The requester: the signer of every push and order.</summary>
    public EthAddress Requester => _pusher.Signer.Address;

    /// <summary>
    /// Validates <paramref name="input"/> without any network call: a slot given both as a name and as a one-shot value
    /// (<see cref="ErrorIds.InvalidSecretMapping"/>), the run tag (<see cref="RunTags.ResolveRunTag"/>), the app (given, or
    /// read from deployed.json: <see cref="ErrorIds.AppNotInDeployedJson"/>), the syntax of every address that is not an
    /// ENS name (<see cref="ErrorIds.InvalidAddress"/>) and the params (<see cref="AppRunner.Validate"/>). Each one-shot
    /// value gets a fresh name here: <c>oneshot-</c> and 32 hex digits (128 random bits), never used again. Static, so
    /// bad input fails before the wallet, the chain or the market is needed.
    /// </summary>
    public static CheckedRun Check(AppRunInput input, ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var oneShot in input.OneShots)
        {
            if (input.Secrets.Any(s => s.Key == oneShot.Slot))
            {
                throw new IExecException(ErrorIds.InvalidSecretMapping,
                    $"Slot {oneShot.Slot.ToString(CultureInfo.InvariantCulture)} is given by both -Secret and -SecretValue.", "SecretValue");
            }
        }
        var oneShots = input.OneShots
            .Select(o => new SecretToPush("oneshot-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), o.Slot, o.Value))
            .ToList();
        var mapping = input.Secrets.Concat(oneShots.Select(o => new KeyValuePair<int, string>(o.Slot!.Value, o.Name))).OrderBy(p => p.Key).ToList();
        var tag = RunTags.ResolveRunTag(input.Tag, mapping.Count > 0, chain, out var tdxForced);
        var builder = new RequestParamsBuilder
        {
            RawParams = input.RawParams,
            Args = input.Args,
            InputFiles = input.InputFiles,
            Secrets = mapping.Count > 0 ? mapping : null,
            StorageProvider = input.StorageProvider,
            EncryptResult = input.EncryptResult,
        };
        string? deployedJson = null;
        var appText = input.App;
        if (appText is null)
        {
            appText = ProjectFiles.ReadDeployedAddress(input.ProjectDirectory, "app", chain.ChainId)?.ToString()
                ?? throw new IExecException(ErrorIds.AppNotInDeployedJson,
                    $"Missing appAddress and no app found in \"{ProjectFiles.DeployedFileName}\" for chain {chain.ChainId}", input.ProjectDirectory)
                { RecommendedAction = "Pass -App, or deploy the app first with Deploy-IExecApp." };
            deployedJson = Path.Combine(input.ProjectDirectory, ProjectFiles.DeployedFileName);
        }
        // Addresses that are not ENS names are checked here, before any network call.
        foreach (var (text, name) in new[] { (appText, "App"), (input.Workerpool, "Workerpool"), (input.Dataset, "Dataset"), (input.Beneficiary, "Beneficiary"), (input.Callback, "Callback") })
        {
            if (text is not null && !RunAddress.IsEns(text)) RunAddress.Parse(text, name);
        }
        var preview = new AppRunRequest
        {
            App = EthAddress.Zero,
            Tag = tag,
            Callback = input.Callback is null || RunAddress.IsEns(input.Callback) ? null : RunAddress.Parse(input.Callback, "Callback"),
            Params = builder,
        };
        return new CheckedRun
        {
            Input = input,
            AppText = appText,
            DeployedJsonPath = deployedJson,
            Tag = tag,
            TdxForced = tdxForced,
            Mapping = mapping,
            OneShots = oneShots,
            Preview = preview,
            Params = AppRunner.Validate(preview),
        };
    }

    /// <summary>
    /// Finds out whether the run can happen, doing nothing irreversible: resolves ENS names (each noted with its
    /// address), reads the chain (or reuses a template's reads), refuses an app taken from deployed.json that the
    /// connected wallet does not own on chain (<see cref="ErrorIds.DeployedAppNotOwned"/>), runs the preflight (a mapped
    /// secret the SMS lacks is planned as a push when the input allows it, else fails RequesterSecretMissing), and builds
    /// the orders from vetted market orders (<see cref="AppRunner.PrepareAsync"/>), and checks that the requester's free
    /// stake, less the price of this session's earlier matches not on chain yet, pays for the run
    /// (<see cref="ErrorIds.InsufficientStake"/> with the figures otherwise).
    /// </summary>
    public async Task<PlannedRun> PlanAsync(CheckedRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var input = run.Input;
        var notes = new List<string>();
        var ens = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<EthAddress?> ResolveAsync(string? text, string parameter)
        {
            if (text is null) return null;
            var address = await RunAddress.ResolveAsync(text, parameter, Runner.Rpc, Chain, cancellationToken).ConfigureAwait(false);
            if (RunAddress.IsEns(text))
            {
                ens[parameter] = text;
                notes.Add($"{parameter} {text} resolves through the ENS registry of {Chain.Name} to {address}.");
            }
            return address;
        }

        var request = run.Preview with
        {
            App = (await ResolveAsync(run.AppText, "App").ConfigureAwait(false))!.Value,
            Workerpool = await ResolveAsync(input.Workerpool, "Workerpool").ConfigureAwait(false),
            Dataset = await ResolveAsync(input.Dataset, "Dataset").ConfigureAwait(false),
            Beneficiary = await ResolveAsync(input.Beneficiary, "Beneficiary").ConfigureAwait(false),
            Callback = await ResolveAsync(input.Callback, "Callback").ConfigureAwait(false),
            Category = input.Category,
            Trust = input.Trust,
            AppMaxPrice = input.AppMaxPrice,
            DatasetMaxPrice = input.DatasetMaxPrice,
            WorkerpoolMaxPrice = input.WorkerpoolMaxPrice,
            SkipPreflight = input.SkipPreflight,
        };

        // Inputs of a pipeline that differ only in their params reuse what the first one read and checked on chain and
        // in the market, while the checked market orders have volume left.
        var shape = string.Join("|", request.App, request.Workerpool, request.Dataset, Hex.Encode(request.Tag), request.Category, request.Trust,
            request.AppMaxPrice, request.DatasetMaxPrice, request.WorkerpoolMaxPrice, request.Beneficiary, request.Callback, request.SkipPreflight);
        _templates.TryGetValue(shape, out var template);
        if (template is { Remaining: <= 0 }) template = null;
        // Separate commands of one process (a foreach of runs) share templates for a few seconds, over the same node
        // and market only, after a recheck of what may have changed since: the chain id, the app's owner, the volume.
        var sharedKey = Runner.ProcessCacheKey is { } processKey ? string.Join("|", processKey, Requester, shape) : null;
        if (template is null && sharedKey is not null && PlanTemplate.Shared.Find(sharedKey) is { } kept)
        {
            var (remaining, owner) = await Runner.RecheckAsync(kept.Plan, cancellationToken).ConfigureAwait(false);
            if (remaining > 0 && owner == kept.Plan.Context.AppOwner)
            {
                template = new PlanTemplate(kept.Plan, remaining, kept.CreatedUtc) { GasHint = kept.GasHint };
                _templates[shape] = template;
                PlanTemplate.Shared.Keep(sharedKey, template);
                var left = remaining == long.MaxValue ? "no market order" : $"{remaining.ToString(CultureInfo.InvariantCulture)} more deals left on chain";
                notes.Add($"Reused the chain reads and the checked market orders of a run of {kept.CreatedUtc.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({left}).");
            }
            else
            {
                PlanTemplate.Shared.Forget(sharedKey, kept);
            }
        }
        var readAt = DateTime.UtcNow;
        AppRunContext context;
        if (template is null)
        {
            notes.Add($"Read app {request.App} and the hub on {Chain.Name} (chain {Chain.ChainId}) via {Net.TransportPolicy.Display(Chain.Host)}.");
            context = await Runner.LoadAsync(request, Requester, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            context = template.Plan.Context with { Request = request, Params = run.Params };
        }

        if (run.DeployedJsonPath is { } deployedJson)
        {
            // The folder may lie: its app is run only when the chain says the connected wallet owns it.
            if (context.AppOwner != Requester)
            {
                throw new IExecException(ErrorIds.DeployedAppNotOwned,
                    $"The app {request.App} named in {deployedJson} for chain {Chain.ChainId} is owned on chain by {context.AppOwner}, not by the connected wallet {Requester}; "
                    + "an app from the project folder is run only when it is the wallet's own.", request.App.ToString())
                {
                    RecommendedAction = $"If you mean to run that app with your secrets, name it: -App {request.App}. Otherwise deploy your own with Deploy-IExecApp.",
                };
            }
            notes.Add($"App {request.App} comes from {deployedJson}; on chain it is registered in the app registry and owned by the connected wallet {Requester}.");
        }

        // The SMS preflight and the market search ask different services and neither decides what the other asks, so
        // they run at once; the preflight's verdict is still the one reported first, and nothing is signed by either.
        using var preparing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var prepare = template is null ? Runner.PrepareAsync(context, preparing.Token) : null;
        PreflightReport report;
        List<string> missing;
        bool pushMissing;
        try
        {
            report = await Runner.PreflightAsync(context, cancellationToken).ConfigureAwait(false);
            // One-shot names are pushed just before signing, so the SMS cannot know them yet.
            var oneShotNames = run.OneShots.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            missing = report.MissingRequesterSecrets.Where(n => !oneShotNames.Contains(n)).ToList();
            pushMissing = missing.Count > 0 && input.PushMissingSecrets && !report.TagMismatch;
            report = report with { MissingRequesterSecrets = pushMissing ? [] : missing };
            report.ThrowIfFailed();
        }
        catch when (prepare is not null)
        {
            await preparing.CancelAsync().ConfigureAwait(false);
            // The search's own end (cancelled, or a failure of its own) is observed and decides nothing.
            await Task.WhenAny(prepare).ConfigureAwait(false);
            _ = prepare.Exception;
            throw;
        }

        // Nothing is signed before the caller's confirmation: the plan is built from checked market orders and kept
        // unsigned until StartMatch.
        AppRunPlan plan;
        if (prepare is not null)
        {
            plan = await prepare.ConfigureAwait(false);
            template = new PlanTemplate(plan, await Runner.RemainingVolumeAsync(plan, cancellationToken).ConfigureAwait(false), readAt);
            _templates[shape] = template;
            if (sharedKey is not null) PlanTemplate.Shared.Keep(sharedKey, template);
        }
        else
        {
            plan = Runner.Renew(template!.Plan, context) with { MatchGasHint = template.GasHint };
        }

        // The requester's free stake, less what earlier runs of this session promised and the chain does not show yet,
        // must pay for this one, before anything is pushed or signed.
        await _stake.RequireAsync(Runner.Rpc, Runner.Hub, Requester, plan.Cost, cancellationToken).ConfigureAwait(false);

        var pushes = (pushMissing ? missing.Select(n => new SecretToPush(n, null, null)) : []).Concat(run.OneShots).ToList();
        string? smsUrl = null;
        string? smsDisplay = null;
        if (pushes.Count > 0)
        {
            smsUrl = ChainResolver.ResolveSmsUrl(Chain, report.SmsFramework ?? RunTags.FrameworkOfTag(request.Tag));
            smsDisplay = Net.TransportPolicy.Display(smsUrl);
        }
        return new PlannedRun
        {
            Checked = run,
            Plan = plan,
            EnsNames = ens,
            Pushes = pushes,
            SmsUrl = smsUrl,
            SmsDisplayUrl = smsDisplay,
            Notes = notes,
            Template = template,
        };
    }

    /// <summary>
    /// Reads the value of every push of <paramref name="run"/> from <paramref name="source"/>, on the calling thread, and
    /// checks each through <see cref="SecretPusher.Read"/> (never the wallet's key, not empty, at most 4096 bytes). All
    /// are read before any is pushed, so a bad value fails the run with nothing pushed.
    /// </summary>
    public SecretBatch ReadSecrets(PlannedRun run, IRequesterSecretSource source)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(source);
        var batch = new SecretBatch();
        try
        {
            foreach (var push in run.Pushes) batch.Add(push, _pusher.Read(push.Target, source.Origin(push), () => source.Read(push)));
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Pushes <paramref name="values"/> as requester secrets to the run's SMS, one after the other, each value zeroed as
    /// its push ends; the first failure stops the run (the values not pushed are zeroed by disposing the batch).
    /// </summary>
    public async Task PushAsync(PlannedRun run, SecretBatch values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return;
        using var lease = _sms(run.SmsUrl ?? throw new InvalidOperationException("The run has nothing to push."));
        var sms = lease.Client;
        foreach (var (secret, value) in values.Items)
        {
            await SecretPusher.PushAsync(value, (bytes, token) => sms.PushRequesterSecretAsync(_pusher.Signer, secret.Name, bytes, token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many matches of this session are in flight.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// The fee cap per gas of the session's matchOrders transactions (see <see cref="FeeCap"/>); null: the chain's
    /// built-in cap.
    /// </summary>
    public FeeCap? FeeCap { get; init; }

    /// <summary>
    /// The most the matchOrders transaction of <paramref name="run"/> can cost, in the chain's currency: the fee cap
    /// times matchOrders' gas ceiling for its params, as the confirmation shows it.
    /// </summary>
    public string DescribeWorstCaseFee(PlannedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cap = FeeCap ?? FeeCap.Resolve(Chain, null, null);
        var ceiling = PoCo.GasCeilings.MatchOrders(System.Text.Encoding.UTF8.GetByteCount(run.Plan.RequestOrder.Params)) * TransactionSenderOptions.GasCeilingFactorOf(Chain);
        return cap.DescribeWorstCase(ceiling, Chain);
    }

    /// <summary>
    /// Signs the run's orders now and starts <c>matchOrders</c> for input <paramref name="index"/> through the session's
    /// one sender (see <see cref="AppRunner.MatchAsync(AppRunPlan, IEthSigner, TransactionSender, CancellationToken)"/>);
    /// <see cref="TakeEnded"/> hands it back once it has ended.
    /// </summary>
    public void StartMatch(int index, PlannedRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var signed = Runner.Sign(run.Plan, _pusher.Signer);
        // A template shared with other commands may have had its last deal taken meanwhile: matchOrders then fails on
        // chain for want of volume, which FailedMatch reports, so the count only steers later plans.
        _ = run.Template?.Take();
        _sender ??= Runner.CreateSender(_pusher.Signer, FeeCap);
        var match = MatchAndLearnAsync(signed, run.Template, _sender, cancellationToken);
        _stake.Add(signed.RequestOrderHash, signed.Cost, match);
        _inFlight.Add(new StartedMatch(index, run, match));
    }

    // The gas a match used, plus the sender's margin, becomes the next match's hint for the same shape.
    private async Task<AppRunDeal> MatchAndLearnAsync(AppRunPlan signed, PlanTemplate? template, TransactionSender sender, CancellationToken cancellationToken)
    {
        var deal = await Runner.MatchAsync(signed, _pusher.Signer, sender, cancellationToken).ConfigureAwait(false);
        if (template is not null && deal.GasUsed is { } used) template.GasHint = used * (100 + sender.Options.GasMarginPercent) / 100;
        return deal;
    }

    /// <summary>Ends when at least one match in flight has ended; at once when none is in flight.</summary>
    public Task WhenAnyEndedAsync(CancellationToken cancellationToken = default) =>
        _inFlight.Count == 0 || _inFlight.Any(m => m.Match.IsCompleted) ? Task.CompletedTask
            : Task.WhenAny(_inFlight.Select(m => m.Match)).WaitAsync(cancellationToken);

    /// <summary>Removes and returns the matches that have ended (with a deal or an error), in the order they were started.</summary>
    public IReadOnlyList<StartedMatch> TakeEnded()
    {
        var ended = _inFlight.Where(m => m.Match.IsCompleted).ToList();
        foreach (var match in ended) _inFlight.Remove(match);
        return ended;
    }

    /// <summary>A <c>matchOrders</c> started for input <paramref name="Index"/> of the session.</summary>
    /// <param name="Index">The input's position in the pipeline, from 0.</param>
    /// <param name="Run">The planned run it matches.</param>
    /// <param name="Match">The match: the deal, or the error that ended it.</param>
    public sealed record StartedMatch(int Index, PlannedRun Run, Task<AppRunDeal> Match);
}
