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
/// <para type="synopsis">Runs an iExec app like 'iexec app run': orders, preflight, matchOrders, and optionally watches the tasks.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecDeal), typeof(IExecRunPlan))]
public sealed class InvokeIExecAppCommand : IExecCmdlet
{
    private const int ProgressActivityId = 3;
    private JsonRpcClient? _rpc;
    private MarketClient? _market;

    /// <summary>The app address (or ENS name); default the app recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    public string? App { get; set; }

    /// <summary>The workerpool address or ENS name; omit to take any pool's order from the market.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>The dataset address; omit for none.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Dataset { get; set; }

    /// <summary>The request tag, e.g. tee,scone (names) or a bytes32 hex string; without it, -Secret on a TDX chain uses tee,tdx.</summary>
    [Parameter]
    public string[]? Tag { get; set; }

    /// <summary>The category; omit to start at 0 and try the next ones when no pool order is found.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? Category { get; set; }

    /// <summary>The trust level (0 by default).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Trust { get; set; }

    /// <summary>The requester secret mapping: a hashtable @{1='name'} or items '1=name'.</summary>
    [Parameter]
    public object? Secret { get; set; }

    /// <summary>The app's arguments (iexec_args).</summary>
    [Parameter]
    public string? Arguments { get; set; }

    /// <summary>http(s) URLs the worker downloads before running the app (iexec_input_files).</summary>
    [Parameter]
    public string[]? InputFile { get; set; }

    /// <summary>Raw params: a JSON object string; other text is taken as iexec_args.</summary>
    [Parameter]
    public string? Params { get; set; }

    /// <summary>Where the result is stored: ipfs (default) or dropbox (TEE only).</summary>
    [Parameter]
    [ValidateSet("ipfs", "dropbox")]
    public string? StorageProvider { get; set; }

    /// <summary>Encrypts the result with the beneficiary's public key stored on the SMS.</summary>
    [Parameter]
    public SwitchParameter EncryptResult { get; set; }

    /// <summary>Who receives the result; default the requester.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Beneficiary { get; set; }

    /// <summary>A contract called back with the result.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Callback { get; set; }

    /// <summary>Skips the app framework and SMS checks.</summary>
    [Parameter]
    public SwitchParameter SkipPreflightCheck { get; set; }

    /// <summary>A SecretManagement vault holding the mapped requester secrets; missing ones are pushed to the SMS from it before the run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>Waits for the tasks to end, with a progress bar, and outputs the deal with its tasks.</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>Seconds between task polls with -Watch (5 like the SDK).</summary>
    [Parameter]
    [ValidateRange(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>Spends without the extra confirmation a paid run asks for (runbooks).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The chain: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

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
                WriteVerbose($"-Secret without -Tag on {chain.Name}, whose default TEE framework is tdx: using tag tee,tdx (0x…09) as iExec SDK 9 does.");
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
            _rpc = ChainRpc.Connect(chain);
            _market = RunCommandSupport.OpenMarket(chain);
            var request = preview with
            {
                App = Resolve(appText, nameof(App), chain),
                Workerpool = Workerpool is null ? null : Resolve(Workerpool, nameof(Workerpool), chain),
                Dataset = Dataset is null ? null : Resolve(Dataset, nameof(Dataset), chain),
                Beneficiary = Beneficiary is null ? null : Resolve(Beneficiary, nameof(Beneficiary), chain),
                Callback = Callback is null ? null : Resolve(Callback, nameof(Callback), chain),
                Category = Category,
                Trust = Trust,
                SkipPreflight = SkipPreflightCheck.IsPresent,
            };

            var runner = new AppRunner(_rpc, chain, _market);
            WriteVerbose($"Reading app {request.App} and the hub on {chain.Name} (chain {chain.ChainId}) via {chain.Host}");
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

            var plan = Await(runner.PlanAsync(context, wallet.Signer, CancellationToken));
            var requestHash = plan.RequestOrder.Hash(context.Domain);
            var target = $"app {request.App} on workerpool {plan.WorkerpoolOrder.Workerpool} for {plan.Cost} nRLC on {chain.Name} (chain {chain.ChainId})";
            if (!ShouldProcess(target, "Run app (matchOrders)"))
            {
                if (WhatIfRequested) WriteObject(PlanOutput(plan, chain, requestHash, WhatIfRequested && Vault is not null ? toPush : []));
                return;
            }
            if (plan.Cost > 0 && !Force && !ShouldContinue($"Do you want to spend {plan.Cost} nRLC to run app {request.App} on workerpool {plan.WorkerpoolOrder.Workerpool}?", "Confirm paid run"))
            {
                return;
            }

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
        using var sms = new SmsClient(new Uri(report.SmsUrl!));
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
        Cost = RunCommandSupport.Text(plan.Cost),
        AppOrder = IExecOrder.From(plan.AppOrder, plan.AppOrderSource, Hex.Encode(plan.AppOrder.Hash(plan.Context.Domain))),
        DatasetOrder = IExecOrder.From(plan.DatasetOrder, plan.DatasetOrderSource, null),
        WorkerpoolOrder = IExecOrder.From(plan.WorkerpoolOrder, plan.WorkerpoolOrderSource, Hex.Encode(plan.WorkerpoolOrder.Hash(plan.Context.Domain))),
        RequestOrder = IExecOrder.From(plan.RequestOrder, Hex.Encode(requestHash)),
        PredictedDealId = Hex.Encode(ExecutionIds.DealId(requestHash, BigInteger.Zero)),
        SecretsToPush = toPush.ToArray(),
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
