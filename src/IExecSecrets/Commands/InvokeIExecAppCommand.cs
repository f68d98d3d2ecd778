using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Market;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.Sms;
using IExecSecrets.Output;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Runs an iExec app like "iexec app run": builds and signs the orders, checks the requirements, matches them on
/// chain and optionally watches the tasks.
/// </summary>
/// <remarks>
/// <para>Invoke-IExecApp does what "iexec app run" of iexec SDK 8.24 does. Every input is validated before any
/// network call: the tag (tee,scone, tee,gramine, tee,tdx; unknown names, a framework without tee or two
/// frameworks fail with InvalidTag), the secret mapping (keys must be strictly positive integers without leading
/// zeros: InvalidSecretMappingKey; names must be valid SMS names: InvalidSecretName), the storage provider, input
/// files and addresses. Names ending in .eth are resolved on the chain's ENS registry.</para>
/// <para>The app order is the wallet's own when it owns the app, otherwise it comes from the market; the same
/// holds for the dataset and workerpool orders, with the SDK's category loop when no category is given
/// (NoWorkerpoolOrder names the conditions tried). The market is not trusted: before anything is signed, every
/// market order is checked, in the market's order, and used only if it is for the app, dataset and workerpool
/// asked for (without -Workerpool: the pool the confirmation text names), its tag fits the requested tag, its
/// restrictions admit this requester, app, dataset and pool, it is signed by the on-chain owner of the app,
/// dataset or workerpool (the pool must be registered on the hub), volume is left on chain (viewConsumed), and
/// its price is at most -AppMaxPrice, -DatasetMaxPrice or -WorkerpoolMaxPrice. Each of these is 0 nRLC by
/// default, so a priced order is only used when the user allows that price. A refused order is skipped with a
/// warning naming it and why; when the market offered orders but none passed, the run fails with
/// NoAcceptableOrder listing every reason, and nothing is signed. The request order takes the app, dataset and
/// max prices from the command line, never from a market order. The hub's EIP-712 domain is read from the chain
/// and must carry the profile's chain id and hub address (HubDomainMismatch otherwise). The params string is
/// byte-identical to the SDK's. The preflight (skip it with -SkipPreflightCheck) checks that the app's TEE
/// framework matches the tag (AppTagMismatch) and that every mapped requester secret exists on the SMS of that
/// framework (RequesterSecretMissing); with -Vault, missing secrets are read from a SecretManagement vault and
/// pushed first.</para>
/// <para>matchOrders is sent exactly once. If its answer or receipt is lost, the deal is found on chain by the
/// request order's consumed volume instead of sending again. Its fee per gas is capped (-MaxFeePerGas, else the
/// saved default, else chain.json's maxFeePerGas, else the chain's built-in cap) and its gas bounded by what
/// matchOrders can need (FeeAboveCap, GasAboveCeiling, nothing signed). Not mined in time, it ends
/// TransactionReplaced (cancelled by a transfer to self with the same nonce) or TransactionPending (hash and nonce;
/// it may still be mined), never reported failed while it can still be mined. After a failed matchOrders whose
/// transaction reached the node, the signed request order is cancelled on chain (manageRequestOrder), or the error
/// gives the Revoke-IExecOrder command that cancels it. The -Confirm and -WhatIf text names the app, dataset
/// and workerpool, the order prices, the max prices that would be signed and the worst-case transaction fee. -WhatIf signs nothing and sends
/// nothing: it writes the unsigned plan (IExecRunPlan, whose orders carry no signature, not even the market's)
/// and spends nothing. A paid run asks for an extra confirmation unless -Force is given. With -Watch, a progress
/// bar follows the tasks until each is COMPLETED, FAILED or TIMEOUT; Ctrl+C stops watching and leaves the deal
/// running on chain.</para>
/// <para>TDX runs follow iexec SDK 9 (bellecour, SCONE and Gramine runs keep the SDK 8.24 rules). When -Secret is
/// given without -Tag on a chain whose default TEE framework is tdx (chain.json "defaultTeeFramework": "tdx", or
/// the built-in arbitrum-mainnet and arbitrum-sepolia-testnet chains when chain.json sets none), the tag becomes
/// tee,tdx (0x...09) as SDK 9 forces it, and a verbose line says so; an explicit -Tag is always kept. On a run
/// whose tag has the tdx bit, an app that has an mrenclave is refused before anything is signed with
/// AppMrEnclaveNotSupported ("App ... has an MREnclave, which is no longer supported"); like in SDK 9 this check
/// is part of the preflight, so -SkipPreflightCheck skips it.</para>
/// </remarks>
/// <example>
/// <code>Invoke-IExecApp -App 0x7b39...f190 -Tag tee,scone -Workerpool prod-v8-bellecour.main.pools.iexec.eth -Secret @{1='x1'} -Watch</code>
/// <para>Runs the SCONE app on the pool named by ENS with requester secret x1 in slot 1, shows a progress bar and
/// writes the deal with its COMPLETED tasks.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1='api-key'} -Vault RunbookVault -Force -Watch | Select-Object -ExpandProperty Tasks | Save-IExecTaskResult -Expand</code>
/// <para>A runbook run: pushes api-key from the vault if the SMS lacks it, spends without prompting, waits, then
/// downloads and expands every task result.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Arguments 21 -WhatIf</code>
/// <para>Shows the unsigned plan: the four orders, what each costs, the market orders skipped and why, and the
/// deal id the match would create; nothing is signed or sent.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Workerpool $pool -AppMaxPrice 1000000 -WorkerpoolMaxPrice 100000000 -Confirm</code>
/// <para>Allows a paid run: market orders up to 0.001 RLC for the app and 0.1 RLC for the pool are acceptable;
/// the confirmation names the app, pool and prices before anything is signed.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{1 = (Read-Host -AsSecureString 'x')} -Watch | Save-IExecTaskResult -Path ./out -Expand</code>
/// <para>Pushes the typed x under a fresh one-shot name, runs the app with it as IEXEC_REQUESTER_SECRET_1 and saves the
/// result; running it again with another x needs no new secret name. $deal.RequesterSecrets shows the name used.</para>
/// </example>
/// <example>
/// <code>Import-Csv inputs.csv | Invoke-IExecApp -App $app -Tag tee,scone -Force -Watch -ThrottleLimit 8 -SecretValue { @{1 = (ConvertTo-SecureString $_.x -AsPlainText -Force)} } | Save-IExecTaskResult -Path ./results -Expand</code>
/// <para>One deal per CSV row (the script block computes each row's one-shot secret), at most 8 matchOrders in flight,
/// one progress bar over the batch; every deal is watched to the end and its result saved under ./results. Each deal's
/// InputIndex is its row number; a bad row is reported with its own error and the other rows still run.</para>
/// </example>
/// <input type="System.String">The App property of piped objects (e.g. from Deploy-IExecApp); one deal per piped object, whose Arguments/Args, Secret, SecretValue and InputFile properties bind too.</input>
/// <output type="IExecSecrets.Output.IExecDeal">The matched deal (DealId, TxHash, TaskIds, and Tasks with
/// -Watch).</output>
[Cmdlet(VerbsLifecycle.Invoke, "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecDeal), typeof(IExecRunPlan))]
public sealed class InvokeIExecAppCommand : IExecCmdlet
{
    private const int ProgressActivityId = 3;
    private JsonRpcClient? _rpc;
    private MarketClient? _market;

    /// <summary>The app address or ENS name. Default: the app recorded in deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <summary>
    /// The workerpool address or ENS name (e.g. prod-v8-bellecour.main.pools.iexec.eth). Omit it to take the cheapest
    /// matching order of any pool from the market.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>A dataset address; omit for none (the null dataset order).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Dataset { get; set; }

    /// <summary>
    /// The request tag as names (tee,scone; tee,gramine; tee,tdx; gpu) or a bytes32 hex string. On a TDX chain (the
    /// Arbitrum profiles, or a chain.json entry with defaultTeeFramework tdx such as the token devnet) the module follows
    /// iExec SDK 9.0.1: tee,tdx (0x…09) is added to every order it signs, with or without -Tag, and a scone or gramine
    /// tag fails with LegacyTeeFrameworkTag before anything is signed.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(IExecTagCompleter))]
    public string[]? Tag { get; set; }

    /// <summary>
    /// The category. Given, only that category is searched; omitted, the search starts at 0 and goes on while
    /// categories exist.
    /// </summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? Category { get; set; }

    /// <summary>The trust level; 0 by default.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Trust { get; set; }

    /// <summary>
    /// The requester secret mapping: a hashtable @{1='name'} or items '1=name'. Keys are the app's secret slots (1, 2,
    /// ...); values are requester secret names on the SMS.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Secret { get; set; }

    /// <summary>The app's command-line arguments (iexec_args).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    public string? Arguments { get; set; }

    /// <summary>http(s) URLs the worker downloads before running the app (iexec_input_files).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? InputFile { get; set; }

    /// <summary>
    /// Raw params as a JSON object string; text that is not JSON is taken as iexec_args. Unknown keys are dropped as
    /// the SDK does.
    /// </summary>
    [Parameter]
    public string? Params { get; set; }

    /// <summary>Where the worker stores the result: ipfs (default) or dropbox (TEE only).</summary>
    [Parameter]
    [ValidateSet("ipfs", "dropbox")]
    public string? StorageProvider { get; set; }

    /// <summary>
    /// Encrypts the result with the beneficiary's public key, which must be on the SMS (checked by the preflight).
    /// </summary>
    [Parameter]
    public SwitchParameter EncryptResult { get; set; }

    /// <summary>Who receives the result; default the requester.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Beneficiary { get; set; }

    /// <summary>A contract called back with the result; with a callback no storage provider default is added.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Callback { get; set; }

    /// <summary>
    /// The most paid to the app owner per task, in nRLC; 0 by default, so a priced app order from the market is
    /// refused (with a warning) unless this is raised. Becomes the request order's appmaxprice.
    /// </summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long AppMaxPrice { get; set; }

    /// <summary>The most paid to the dataset owner per task, in nRLC; 0 by default (priced dataset orders are refused).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long DatasetMaxPrice { get; set; }

    /// <summary>The most paid to the workerpool per task, in nRLC; 0 by default (priced workerpool orders are refused).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long WorkerpoolMaxPrice { get; set; }

    /// <summary>Skips the app framework and SMS checks.</summary>
    [Parameter]
    public SwitchParameter SkipPreflightCheck { get; set; }

    /// <summary>
    /// A SecretManagement vault holding the mapped requester secrets under their SMS names; the ones missing on the SMS
    /// are pushed from it before the run.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>
    /// Waits for the tasks with a progress bar and outputs the deal with its final tasks; a failed or timed-out task
    /// also writes a TaskRunFailed error.
    /// </summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>Seconds between task polls with -Watch; 5 like the SDK.</summary>
    [Parameter]
    [ValidateRange(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Spends without the extra confirmation a paid run asks for, for runbooks. It never skips validation or the
    /// preflight.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// The chain: a chain.json name or a built-in name (bellecour, devnet...). Default: the "default" chain of
    /// chain.json in the current folder.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the chain's RPC node, market API and SMS; without it such a URL fails with InsecureRpcUrl, InsecureMarketUrl or InsecureSmsUrl before anything is sent, since requests and answers would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>
    /// One-shot requester secrets: a hashtable @{1=$secureString}. Each value is pushed to the SMS under a fresh
    /// unguessable name (oneshot- and 32 hex digits, 128 random bits) just before the run, mapped to its slot and never
    /// used again, so a runbook can run the same app again with a new value without SecretAlreadyExists. With -Vault, a
    /// string value names a secret of that vault whose value is pushed. Empty values fail with EmptySecretValue, plain
    /// string values without -Vault with InvalidSecretValue, both before anything is sent. -WhatIf pushes nothing. The
    /// generated names are in the deal's RequesterSecrets, never the values. Binds a SecretValue property of piped
    /// objects, or give a script block to compute it from each piped object.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? SecretValue { get; set; }

    /// <summary>
    /// How many matchOrders transactions of a pipeline of runs may be in flight at once (1 to 64, default 4). Each piped
    /// input is one deal; nonces stay unique and gap-free whatever the limit.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>
    /// The most the matchOrders transaction may pay per gas: a number of wei, or a number with a unit (2 gwei,
    /// 0.5 gwei). Default: the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas,
    /// else the chain's built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    private FeeCap? _feeCap;
    private readonly List<PendingMatch> _inFlight = new();
    private readonly List<MatchedRun> _matched = new();
    private readonly Dictionary<string, PlanTemplate> _templates = new(StringComparer.Ordinal);
    private ChainProfile? _chain;
    private AppRunner? _runner;
    private TransactionSender? _sender;
    private ConnectedWallet? _wallet;
    private int _inputs;
    private int _failures;

    /// <summary>
    /// Per input: validates everything locally, then reads, checks, plans, confirms, pushes one-shot secrets, signs and
    /// starts matchOrders (at most -ThrottleLimit at once). Deals are written as their match completes, or after the
    /// watch with -Watch.
    /// </summary>
    protected override void ProcessRecord()
    {
        var index = _inputs++;
        try
        {
            RunOne(index);
            DrainCompleted(block: false);
        }
        catch (IExecException ex)
        {
            Fail(ex, index);
        }
    }

    /// <summary>Waits for the matches still in flight, then watches every deal with -Watch.</summary>
    protected override void EndProcessing()
    {
        try
        {
            while (_inFlight.Count > 0) DrainCompleted(block: true);
        }
        catch (IExecException ex)
        {
            Fail(ex, -1);
        }
        finally
        {
            if (_inputs > 1) WriteProgress(new ProgressRecord(ProgressActivityId + 1, "Invoke-IExecApp", "done") { RecordType = ProgressRecordType.Completed });
        }

        if (!Watch || _matched.Count == 0) return;
        var watcher = new DealWatcher(_rpc!, _runner!.Hub);
        var finals = WatchWithProgress(watcher, _matched.Select(m => (Hex.Decode(m.Deal.DealId), m.Deal.TaskIds.Count)).ToList());
        for (var i = 0; i < _matched.Count; i++)
        {
            var run = _matched[i];
            var dealInfo = Await(watcher.GetDealAsync(Hex.Decode(run.Deal.DealId), CancellationToken));
            var output = Output(dealInfo, finals[i], run);
            WriteObject(output);
            if (!output.Succeeded)
            {
                var failed = output.Tasks.Where(t => t.Status != 3).ToArray();
                WriteError(ToErrorRecord(new IExecException(ErrorIds.TaskRunFailed, IExecErrorCategory.InvalidOperation,
                    $"App run failed: {failed.Length}/{output.Tasks.Length} tasks failed ({string.Join("; ", failed.Select(t => $"{t.TaskId} {t.StatusName}: {Reason(t)}"))})", run.Deal.DealId)
                {
                    RecommendedAction = $"See what the app printed: Get-IExecTaskLog -TaskId {failed[0].TaskId}" + (output.Chain is { } c ? $" -Chain {c}" : ""),
                }));
            }
        }
    }

    private static string Reason(IExecTask task) => task.StatusName switch
    {
        "FAILED" => "the workerpool reported that the app or its result failed, and the task was claimed",
        "TIMEOUT" => $"not completed before its final deadline {task.FinalDeadline:u}",
        _ => $"left {task.StatusName}",
    };

    private void Fail(IExecException ex, int index)
    {
        _failures++;
        // A direct call keeps the old contract (a terminating error); a pipeline of runs reports each input and goes on.
        if (!MyInvocation.ExpectingInput && _inputs <= 1) ThrowIExecError(ex);
        WriteError(ToErrorRecord(ex, index >= 0 ? $"input {index}" : ex.Target));
    }

    private void RunOne(int index)
    {
        var directory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var chain = _chain ??= ResolveChainProfile(Chain, directory);
        _feeCap ??= FeeCapSetting.Resolve(this, chain, MaxFeePerGas);
        // Saved defaults (Set-IExecConfiguration) stand in for the parameters the command line leaves out.
        Workerpool ??= SavedDefaults.Shared.Workerpool;
        Vault ??= SavedDefaults.Shared.Vault;
        var secrets = ParseSecrets();
        var oneShots = ParseSecretValues(secrets);
        var mapping = (secrets ?? []).Concat(oneShots.Select(o => new KeyValuePair<int, string>(o.Slot, o.Name))).OrderBy(p => p.Key).ToList();
        var tag = AppRunner.ResolveRunTag(Tag is null || Tag.Length == 0 ? null : RunCommandSupport.ParseTag(Tag),
            mapping.Count > 0, chain, out var tdxForced);
        if (tdxForced && index == 0)
        {
            WriteVerbose($"{chain.Name} runs TDX: the tag gets tee,tdx (0x…09) as iExec SDK 9 adds it to every order it signs.");
        }
        var builder = new RequestParamsBuilder
        {
            RawParams = Params,
            Args = Arguments,
            InputFiles = InputFile,
            Secrets = mapping.Count > 0 ? mapping : null,
            StorageProvider = StorageProvider,
            EncryptResult = EncryptResult.IsPresent,
        };
        // Addresses that are not ENS names are checked here, before any network call.
        var appText = App ?? Core.Config.ProjectFiles.ReadDeployedAddress(directory, "app", chain.ChainId)?.ToString()
            ?? throw new IExecException(ErrorIds.AppNotInDeployedJson, IExecErrorCategory.ObjectNotFound,
                $"Missing appAddress and no app found in \"deployed.json\" for chain {chain.ChainId}", directory)
            { RecommendedAction = "Pass -App, or deploy the app first with Deploy-IExecApp." };
        foreach (var (text, name) in new[] { (appText, nameof(App)), (Workerpool, nameof(Workerpool)), (Dataset, nameof(Dataset)), (Beneficiary, nameof(Beneficiary)), (Callback, nameof(Callback)) })
        {
            if (text is not null && !RunCommandSupport.IsEns(text)) AddressInput.Parse(text, name);
        }
        var preview = new AppRunRequest
        {
            App = EthAddress.Zero,
            Tag = tag,
            Callback = Callback is null || RunCommandSupport.IsEns(Callback) ? null : AddressInput.Parse(Callback, nameof(Callback)),
            Params = builder,
        };
        var parameters = AppRunner.Validate(preview);

        var wallet = _wallet ??= WalletSession.Require();
        _rpc ??= ChainRpc.Connect(chain, AllowInsecureHttp);
        _market ??= RunCommandSupport.OpenMarket(chain, AllowInsecureHttp);
        var runner = _runner ??= new AppRunner(_rpc, chain, _market, url => new SmsClient(new Uri(url), new SmsClientOptions { AllowInsecureHttp = AllowInsecureHttp }));
        var request = preview with
        {
            App = Resolve(appText, nameof(App), chain),
            Workerpool = Workerpool is null ? null : Resolve(Workerpool, nameof(Workerpool), chain),
            Dataset = Dataset is null ? null : Resolve(Dataset, nameof(Dataset), chain),
            Beneficiary = Beneficiary is null ? null : Resolve(Beneficiary, nameof(Beneficiary), chain),
            Callback = Callback is null ? null : Resolve(Callback, nameof(Callback), chain),
            Category = Category,
            Trust = Trust,
            AppMaxPrice = AppMaxPrice,
            DatasetMaxPrice = DatasetMaxPrice,
            WorkerpoolMaxPrice = WorkerpoolMaxPrice,
            SkipPreflight = SkipPreflightCheck.IsPresent,
        };

        // Inputs of a pipeline that differ only in their params reuse what the first one read and checked on chain and
        // in the market, while the checked market orders have volume left.
        var shape = string.Join("|", request.App, request.Workerpool, request.Dataset, Hex.Encode(request.Tag), request.Category, request.Trust,
            request.AppMaxPrice, request.DatasetMaxPrice, request.WorkerpoolMaxPrice, request.Beneficiary, request.Callback, request.SkipPreflight);
        _templates.TryGetValue(shape, out var template);
        if (template is { Remaining: <= 0 }) template = null;
        AppRunContext context;
        if (template is null)
        {
            WriteVerbose($"Reading app {request.App} and the hub on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            context = Await(runner.LoadAsync(request, wallet.Address, CancellationToken));
        }
        else
        {
            context = template.Plan.Context with { Request = request, Params = parameters };
        }

        var oneShotNames = oneShots.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var report = Await(runner.PreflightAsync(context, CancellationToken));
        // One-shot names are pushed by this command just before the run, so the SMS cannot know them yet.
        report = report with { MissingRequesterSecrets = report.MissingRequesterSecrets.Where(n => !oneShotNames.Contains(n)).ToList() };
        var toPush = report.MissingRequesterSecrets;
        if (toPush.Count > 0 && Vault is not null && !report.TagMismatch)
        {
            if (WhatIfRequested)
            {
                WriteVerbose($"Would push {toPush.Count} requester secret(s) from vault '{Vault}' to {report.SmsUrl}: {string.Join(", ", toPush)}");
                report = report with { MissingRequesterSecrets = [] };
            }
            else
            {
                PushFromVault(toPush, report, wallet);
                report = Await(runner.PreflightAsync(context, CancellationToken));
                report = report with { MissingRequesterSecrets = report.MissingRequesterSecrets.Where(n => !oneShotNames.Contains(n)).ToList() };
            }
        }
        report.ThrowIfFailed();

        // Nothing is signed before the confirmation: the plan is built from checked market orders, shown, and
        // signed only when the run goes ahead (-WhatIf shows it unsigned).
        AppRunPlan plan;
        if (template is null)
        {
            plan = Await(runner.PrepareAsync(context, CancellationToken));
            foreach (var refused in plan.RefusedOrders)
            {
                WriteWarning($"Skipped market {refused}.");
            }
            template = new PlanTemplate(plan) { Remaining = Await(runner.RemainingVolumeAsync(plan, CancellationToken)) };
            _templates[shape] = template;
        }
        else
        {
            plan = runner.Renew(template.Plan, context);
        }
        var requestHash = plan.RequestOrder.Hash(context.Domain);
        var target = RunPlanText.Describe(plan, chain) + "; " + _feeCap.DescribeWorstCase(
            Core.Poco.GasCeilings.MatchOrders(System.Text.Encoding.UTF8.GetByteCount(plan.RequestOrder.Params)) * TransactionSenderOptions.GasCeilingFactorOf(chain), chain);
        if (!ShouldProcess(target, "Sign the orders and run the app (matchOrders)"))
        {
            if (WhatIfRequested) WriteObject(PlanOutput(plan, chain, requestHash, Vault is not null ? toPush : [], oneShots.Select(o => o.Name).ToArray()));
            return;
        }
        if (plan.Cost > 0 && !Force && !ShouldContinue($"Do you want to spend {plan.Cost} nRLC to run {target}?", "Confirm paid run"))
        {
            return;
        }

        if (oneShots.Count > 0)
        {
            PushOneShots(oneShots, report.SmsUrl ?? ChainResolver.ResolveSmsUrl(chain, AppRunner.FrameworkOfTag(tag)), wallet);
        }
        plan = runner.Sign(plan, wallet.Signer);
        template.Remaining--;

        while (_inFlight.Count >= ThrottleLimit) DrainCompleted(block: true);
        _sender ??= runner.CreateSender(wallet.Signer, _feeCap);
        var mapped = new Hashtable();
        foreach (var (slot, name) in mapping) mapped[slot] = name;
        _inFlight.Add(new PendingMatch(index, runner.MatchAsync(plan, wallet.Signer, _sender, CancellationToken), plan, mapped));
        ShowBatchProgress();
    }

    // Writes (or keeps for the watch) each finished match; with block, waits for at least one.
    private void DrainCompleted(bool block)
    {
        if (_inFlight.Count == 0) return;
        if (block && !_inFlight.Any(p => p.Match.IsCompleted))
        {
            try
            {
                Task.WaitAny(_inFlight.Select(p => (Task)p.Match).ToArray(), CancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        foreach (var pending in _inFlight.Where(p => p.Match.IsCompleted).ToList())
        {
            _inFlight.Remove(pending);
            AppRunDeal deal;
            try
            {
                deal = Await(pending.Match);
            }
            catch (IExecException ex)
            {
                Fail(ex, pending.Index);
                continue;
            }

            // One host line per direct run; a pipeline of runs shows its progress bar instead (the message stays in the
            // information stream, -InformationAction Continue shows it).
            WriteInformation(new HostInformationMessage { Message = $"Deal {deal.DealId} matched{(deal.TransactionHash is null ? "" : " in transaction " + deal.TransactionHash)}." },
                MyInvocation.ExpectingInput ? ["IExecSecrets"] : ["PSHOST"]);
            var run = new MatchedRun(pending.Index, deal, pending.Plan, pending.Secrets);
            if (Watch)
            {
                _matched.Add(run);
            }
            else
            {
                var info = Await(new DealWatcher(_rpc!, _runner!.Hub).GetDealAsync(Hex.Decode(deal.DealId), CancellationToken));
                WriteObject(Output(info, [], run));
                _matched.Add(run);
            }
            ShowBatchProgress();
        }
    }

    private IExecDeal Output(DealInfo info, IEnumerable<TaskInfo> tasks, MatchedRun run)
    {
        var output = RunCommandSupport.FromDeal(info, _chain!.Name, tasks, run.Deal.TransactionHash, RunCommandSupport.Text(run.Plan.Cost));
        output.InputIndex = run.Index;
        output.RequesterSecrets = run.Secrets;
        return output;
    }

    private void ShowBatchProgress()
    {
        if (!MyInvocation.ExpectingInput) return;
        WriteProgress(new ProgressRecord(ProgressActivityId + 1, "Invoke-IExecApp",
            $"{_inputs} input(s): {_matched.Count} deal(s) matched, {_inFlight.Count} in flight, {_failures} failed"));
    }

    private IReadOnlyList<OneShotSecret> ParseSecretValues(IReadOnlyList<KeyValuePair<int, string>>? named)
    {
        if (SecretValue is null || SecretValue.Count == 0) return [];
        var list = new List<OneShotSecret>();
        var pairs = new List<KeyValuePair<string, string?>>();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in SecretValue)
        {
            var key = Convert.ToString(entry.Key is PSObject k ? k.BaseObject : entry.Key, CultureInfo.InvariantCulture) ?? "";
            // A placeholder name lets SecretMapping check the slot exactly as it checks -Secret's.
            pairs.Add(new(key, "oneshot"));
            values[key] = entry.Value is PSObject v ? v.BaseObject : entry.Value;
        }
        var slots = SecretMapping.Parse(pairs);
        foreach (var (slot, _) in slots)
        {
            if (named?.Any(n => n.Key == slot) == true)
            {
                throw new IExecException(ErrorIds.InvalidSecretMapping, IExecErrorCategory.InvalidArgument,
                    $"Slot {slot} is given by both -Secret and -SecretValue.", nameof(SecretValue));
            }
            var value = values[slot.ToString(CultureInfo.InvariantCulture)];
            switch (value)
            {
                case SecureString secure when secure.Length == 0:
                    throw new IExecException(ErrorIds.EmptySecretValue, IExecErrorCategory.InvalidArgument, $"The -SecretValue of slot {slot} is empty.", $"slot {slot}");
                case SecureString:
                    break;
                case string vaultName when Vault is not null && !string.IsNullOrWhiteSpace(vaultName):
                    break;
                case string:
                    throw new IExecException(ErrorIds.InvalidSecretValue, IExecErrorCategory.InvalidArgument,
                        $"The -SecretValue of slot {slot} is a plain string: give a SecureString (Read-Host -AsSecureString, Get-Secret), or with -Vault the name of a vault secret.", $"slot {slot}");
                default:
                    throw new IExecException(ErrorIds.InvalidSecretValue, IExecErrorCategory.InvalidArgument,
                        $"The -SecretValue of slot {slot} is a {value?.GetType().Name ?? "null"}: give a SecureString, or with -Vault the name of a vault secret.", $"slot {slot}");
            }
            list.Add(new OneShotSecret(slot, "oneshot-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), value!));
        }
        return list;
    }

    private void PushOneShots(IReadOnlyList<OneShotSecret> oneShots, string smsUrl, ConnectedWallet wallet)
    {
        using var sms = new SmsClient(new Uri(smsUrl), new SmsClientOptions { AllowInsecureHttp = AllowInsecureHttp });
        var reader = new VaultSecretReader(InvokeCommand);
        foreach (var oneShot in oneShots)
        {
            byte[]? value = null;
            try
            {
                value = oneShot.Value is SecureString secure ? SecureStrings.ToUtf8Bytes(secure) : reader.ReadBytes((string)oneShot.Value, Vault);
                if (value.Length == 0)
                {
                    throw new IExecException(ErrorIds.EmptySecretValue, IExecErrorCategory.InvalidArgument, $"The -SecretValue of slot {oneShot.Slot} is empty.", $"slot {oneShot.Slot}");
                }
                Core.Secrets.SecretRules.EnsureValueSize(value, $"slot {oneShot.Slot}");
                WriteVerbose($"Pushing the one-shot secret of slot {oneShot.Slot} as {oneShot.Name} to {sms.DisplayUrl}.");
                Await(sms.PushRequesterSecretAsync(wallet.Signer, oneShot.Name, value, CancellationToken));
            }
            finally
            {
                if (value is not null) CryptographicOperations.ZeroMemory(value);
            }
        }
    }

    private sealed record OneShotSecret(int Slot, string Name, object Value);

    private sealed record PendingMatch(int Index, Task<AppRunDeal> Match, AppRunPlan Plan, Hashtable Secrets);

    private sealed record MatchedRun(int Index, AppRunDeal Deal, AppRunPlan Plan, Hashtable Secrets);

    private sealed class PlanTemplate(AppRunPlan plan)
    {
        public AppRunPlan Plan { get; } = plan;

        public long Remaining { get; set; }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _market?.Dispose();
        _rpc?.Dispose();
    }

    private bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true };

    private EthAddress Resolve(string text, string parameter, ChainProfile chain) =>
        Await(RunCommandSupport.ResolveAsync(text, parameter, _rpc!, chain, CancellationToken));

    private IReadOnlyList<KeyValuePair<int, string>>? ParseSecrets()
    {
        var value = Secret is PSObject wrapped ? wrapped.BaseObject : Secret;
        switch (value)
        {
            case null:
                return null;
            case IDictionary dictionary:
                var pairs = new List<KeyValuePair<string, string?>>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                    var name = entry.Value is PSObject v ? v.BaseObject : entry.Value;
                    pairs.Add(new(Convert.ToString(key, CultureInfo.InvariantCulture) ?? "", name as string ?? (name is null ? null : Convert.ToString(name, CultureInfo.InvariantCulture))));
                }
                return SecretMapping.Parse(pairs);
            case string item:
                return SecretMapping.ParseItems([item]);
            case IEnumerable items:
                return SecretMapping.ParseItems(items.Cast<object?>().Select(i => Convert.ToString(i is PSObject p ? p.BaseObject : i, CultureInfo.InvariantCulture) ?? ""));
            default:
                throw new IExecException(ErrorIds.InvalidSecretMapping, IExecErrorCategory.InvalidArgument,
                    "-Secret must be a hashtable @{1='name'} or items '1=name'.", nameof(Secret));
        }
    }

    private void PushFromVault(IReadOnlyList<string> names, PreflightReport report, ConnectedWallet wallet)
    {
        var reader = new VaultSecretReader(InvokeCommand);
        using var sms = new SmsClient(new Uri(report.SmsUrl!), new SmsClientOptions { AllowInsecureHttp = AllowInsecureHttp });
        foreach (var name in names)
        {
            if (!ShouldProcess($"requester secret '{name}' of {wallet.Address} on {sms.DisplayUrl}", $"Push secret from vault '{Vault}'")) continue;
            byte[]? value = null;
            try
            {
                value = reader.ReadBytes(name, Vault);
                Core.Secrets.SecretRules.EnsureValueSize(value, name);
                WriteVerbose($"Pushing requester secret '{name}' from vault '{Vault}' to {sms.DisplayUrl}.");
                Await(sms.PushRequesterSecretAsync(wallet.Signer, name, value, CancellationToken));
            }
            finally
            {
                if (value is not null) CryptographicOperations.ZeroMemory(value);
            }
        }
    }

    // Watches every deal at once and shows one progress bar over all their tasks.
    private IReadOnlyList<IReadOnlyList<TaskInfo>> WatchWithProgress(DealWatcher watcher, IReadOnlyList<(byte[] DealId, int TaskCount)> deals)
    {
        using var updates = new BlockingCollection<(int Deal, DealProgress Progress)>();
        var watches = deals.Select((d, i) => watcher.WatchAsync(d.DealId, TimeSpan.FromSeconds(PollIntervalSeconds), new QueueProgress(p => updates.Add((i, p))), CancellationToken)).ToArray();
        var taskCount = deals.Sum(d => d.TaskCount);
        var finalByDeal = new int[deals.Count];
        var activity = deals.Count == 1 ? $"Watching deal {Hex.Encode(deals[0].DealId)}" : $"Watching {deals.Count} deals";
        var record = new ProgressRecord(ProgressActivityId, activity, $"0/{taskCount} tasks final");
        WriteProgress(record);
        try
        {
            var all = Task.WhenAll(watches);
            while (!all.IsCompleted)
            {
                try
                {
                    if (updates.TryTake(out var update, 100, CancellationToken)) Show(record, update.Progress, update.Deal, finalByDeal, taskCount);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (updates.TryTake(out var last)) Show(record, last.Progress, last.Deal, finalByDeal, taskCount);
            Await(all);
            return watches.Select(w => w.Result).ToArray();
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, record.Activity, record.StatusDescription) { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Show(ProgressRecord record, DealProgress update, int deal, int[] finalByDeal, int taskCount)
    {
        if (update.Hiccup is not null)
        {
            WriteWarning(update.Hiccup);
            return;
        }
        finalByDeal[deal] = update.FinalCount;
        var final = finalByDeal.Sum();
        var statuses = string.Join(", ", update.Tasks.GroupBy(t => t.StatusName).Select(g => $"{g.Count()} {g.Key}"));
        // A fresh record per update: hosts may keep the records they were given.
        WriteProgress(new ProgressRecord(ProgressActivityId, record.Activity, finalByDeal.Length == 1 ? $"{final}/{taskCount} tasks final: {statuses}" : $"{final}/{taskCount} tasks final")
        {
            PercentComplete = taskCount == 0 ? 100 : final * 100 / taskCount,
        });
    }

    private static IExecRunPlan PlanOutput(AppRunPlan plan, ChainProfile chain, byte[] requestHash, IReadOnlyList<string> toPush, IReadOnlyList<string> oneShotNames) => new()
    {
        Chain = chain.Name,
        Description = RunPlanText.Describe(plan, chain),
        Cost = RunCommandSupport.Text(plan.Cost),
        AppOrder = IExecPlannedOrder.From(plan.AppOrder, plan.AppOrderSource, Hex.Encode(plan.AppOrder.Hash(plan.Context.Domain))),
        DatasetOrder = IExecPlannedOrder.From(plan.DatasetOrder, plan.DatasetOrderSource),
        WorkerpoolOrder = IExecPlannedOrder.From(plan.WorkerpoolOrder, plan.WorkerpoolOrderSource, Hex.Encode(plan.WorkerpoolOrder.Hash(plan.Context.Domain))),
        RequestOrder = IExecPlannedOrder.From(plan.RequestOrder, Hex.Encode(requestHash)),
        PredictedDealId = Hex.Encode(ExecutionIds.DealId(requestHash, BigInteger.Zero)),
        SecretsToPush = toPush.ToArray(),
        OneShotSecretNames = oneShotNames.ToArray(),
        RefusedOrders = plan.RefusedOrders.Select(r => r.ToString()).ToArray(),
    };

    // Progress<T> would post to a captured context; the pipeline thread drains this queue itself.
    private sealed class QueueProgress(Action<DealProgress> add) : IProgress<DealProgress>
    {
        public void Report(DealProgress value)
        {
            try
            {
                add(value);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The watch outlived the cmdlet's queue; nobody is listening anymore.
            }
        }
    }
}
