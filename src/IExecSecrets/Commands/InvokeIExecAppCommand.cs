using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
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
/// request order's consumed volume instead of sending again. The -Confirm and -WhatIf text names the app, dataset
/// and workerpool, the order prices and the max prices that would be signed. -WhatIf signs nothing and sends
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
/// <input type="System.String">The App property of piped objects (e.g. from Deploy-IExecApp).</input>
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
    [Parameter]
    public object? Secret { get; set; }

    /// <summary>The app's command-line arguments (iexec_args).</summary>
    [Parameter]
    public string? Arguments { get; set; }

    /// <summary>http(s) URLs the worker downloads before running the app (iexec_input_files).</summary>
    [Parameter]
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

    /// <summary>Validates everything locally, then reads, checks, plans, confirms, matches and optionally watches.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var directory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            var chain = ChainResolver.FromDirectory(directory).Resolve(Chain);
            // Saved defaults (Set-IExecConfiguration) stand in for the parameters the command line leaves out.
            Workerpool ??= SavedDefaults.Shared.Workerpool;
            Vault ??= SavedDefaults.Shared.Vault;
            var secrets = ParseSecrets();
            var tag = AppRunner.ResolveRunTag(Tag is null || Tag.Length == 0 ? null : RunCommandSupport.ParseTag(Tag),
                secrets is { Count: > 0 }, chain, out var tdxForced);
            if (tdxForced)
            {
                WriteVerbose($"{chain.Name} runs TDX: the tag gets tee,tdx (0x…09) as iExec SDK 9 adds it to every order it signs.");
            }
            var builder = new RequestParamsBuilder
            {
                RawParams = Params,
                Args = Arguments,
                InputFiles = InputFile,
                Secrets = secrets,
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
            AppRunner.Validate(preview);

            var wallet = WalletSession.Require();
            _rpc = ChainRpc.Connect(chain, AllowInsecureHttp);
            _market = RunCommandSupport.OpenMarket(chain, AllowInsecureHttp);
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

            var runner = new AppRunner(_rpc, chain, _market, url => new SmsClient(new Uri(url), new SmsClientOptions { AllowInsecureHttp = AllowInsecureHttp }));
            WriteVerbose($"Reading app {request.App} and the hub on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var context = Await(runner.LoadAsync(request, wallet.Address, CancellationToken));
            var report = Await(runner.PreflightAsync(context, CancellationToken));
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
                }
            }
            report.ThrowIfFailed();

            // Nothing is signed before the confirmation: the plan is built from checked market orders, shown, and
            // signed only when the run goes ahead (-WhatIf shows it unsigned).
            var plan = Await(runner.PrepareAsync(context, CancellationToken));
            foreach (var refused in plan.RefusedOrders)
            {
                WriteWarning($"Skipped market {refused}.");
            }
            var requestHash = plan.RequestOrder.Hash(context.Domain);
            var target = RunPlanText.Describe(plan, chain);
            if (!ShouldProcess(target, "Sign the orders and run the app (matchOrders)"))
            {
                if (WhatIfRequested) WriteObject(PlanOutput(plan, chain, requestHash, WhatIfRequested && Vault is not null ? toPush : []));
                return;
            }
            if (plan.Cost > 0 && !Force && !ShouldContinue($"Do you want to spend {plan.Cost} nRLC to run {target}?", "Confirm paid run"))
            {
                return;
            }
            plan = runner.Sign(plan, wallet.Signer);

            var deal = Await(runner.MatchAsync(plan, wallet.Signer, cancellationToken: CancellationToken));
            WriteInformation(new HostInformationMessage { Message = $"Deal {deal.DealId} matched{(deal.TransactionHash is null ? "" : " in transaction " + deal.TransactionHash)}." }, ["PSHOST"]);
            var watcher = new DealWatcher(_rpc, runner.Hub);
            var dealId = Hex.Decode(deal.DealId);
            if (!Watch)
            {
                var info = Await(watcher.GetDealAsync(dealId, CancellationToken));
                WriteObject(RunCommandSupport.FromDeal(info, chain.Name, [], deal.TransactionHash, RunCommandSupport.Text(plan.Cost)));
                return;
            }

            var tasks = WatchWithProgress(watcher, dealId, deal.TaskIds.Count);
            var dealInfo = Await(watcher.GetDealAsync(dealId, CancellationToken));
            var output = RunCommandSupport.FromDeal(dealInfo, chain.Name, tasks, deal.TransactionHash, RunCommandSupport.Text(plan.Cost));
            WriteObject(output);
            if (!output.Succeeded)
            {
                var failed = output.Tasks.Where(t => t.Status != 3).ToArray();
                WriteIExecError(new IExecException(ErrorIds.TaskRunFailed, IExecErrorCategory.InvalidOperation,
                    $"App run failed: {failed.Length}/{output.Tasks.Length} tasks failed ({string.Join(", ", failed.Select(t => t.TaskId + " " + t.StatusName))})", deal.DealId));
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
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

    private IReadOnlyList<TaskInfo> WatchWithProgress(DealWatcher watcher, byte[] dealId, int taskCount)
    {
        using var updates = new BlockingCollection<DealProgress>();
        var progress = new QueueProgress(updates);
        var watch = watcher.WatchAsync(dealId, TimeSpan.FromSeconds(PollIntervalSeconds), progress, CancellationToken);
        var record = new ProgressRecord(ProgressActivityId, $"Watching deal {Hex.Encode(dealId)}", $"0/{taskCount} tasks final");
        WriteProgress(record);
        try
        {
            while (!watch.IsCompleted)
            {
                try
                {
                    if (updates.TryTake(out var update, 100, CancellationToken)) Show(record, update, taskCount);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (updates.TryTake(out var last)) Show(record, last, taskCount);
            return Await(watch);
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, record.Activity, record.StatusDescription) { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Show(ProgressRecord record, DealProgress update, int taskCount)
    {
        if (update.Hiccup is not null)
        {
            WriteWarning(update.Hiccup);
            return;
        }
        var statuses = string.Join(", ", update.Tasks.GroupBy(t => t.StatusName).Select(g => $"{g.Count()} {g.Key}"));
        // A fresh record per update: hosts may keep the records they were given.
        WriteProgress(new ProgressRecord(ProgressActivityId, record.Activity, $"{update.FinalCount}/{taskCount} tasks final: {statuses}")
        {
            PercentComplete = taskCount == 0 ? 100 : update.FinalCount * 100 / taskCount,
        });
    }

    private static IExecRunPlan PlanOutput(AppRunPlan plan, ChainProfile chain, byte[] requestHash, IReadOnlyList<string> toPush) => new()
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
        RefusedOrders = plan.RefusedOrders.Select(r => r.ToString()).ToArray(),
    };

    // Progress<T> would post to a captured context; the pipeline thread drains this queue itself.
    private sealed class QueueProgress(BlockingCollection<DealProgress> queue) : IProgress<DealProgress>
    {
        public void Report(DealProgress value)
        {
            try
            {
                queue.Add(value);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The watch outlived the cmdlet's queue; nobody is listening anymore.
            }
        }
    }
}
