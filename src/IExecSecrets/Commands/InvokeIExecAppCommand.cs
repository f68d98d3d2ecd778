using System.Collections;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Sms;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Runs an iExec app like "iexec app run": builds and signs the orders, checks the requirements, matches them on
/// chain and optionally watches the tasks.
/// </summary>
/// <remarks>
/// <para>Invoke-IExecApp does what "iexec app run" of iexec SDK 8.24 does (TDX runs: SDK 9.0.1, see -Tag), with every
/// irreversible step last. First, with no network call, every input is validated: tag (InvalidTag), secret mapping
/// (InvalidSecretMappingKey, InvalidSecretName), storage provider, input files, addresses. Then the run is planned
/// and nothing irreversible is done: .eth names are resolved on the chain's ENS registry and shown with their address;
/// an app taken from ./deployed.json (no -App) must be registered and owned by the connected wallet on chain
/// (DeployedAppNotOwned), and the confirmation names the file; the hub's EIP-712 domain must carry the profile's chain
/// id and hub (HubDomainMismatch); the preflight (-SkipPreflightCheck skips it) checks the app's TEE framework against
/// the tag (AppTagMismatch, AppMrEnclaveNotSupported) and that the SMS holds every mapped requester secret
/// (RequesterSecretMissing, unless -Vault holds it).</para>
/// <para>The app, dataset and workerpool orders are the wallet's own when it owns the resource, else market orders (the
/// SDK's category loop without -Category). The market is not trusted: an order is used only if it is for the
/// resources asked for, its tag and restrictions fit, it is signed by the on-chain owner (of a registered pool), it
/// has volume left on chain and its price is at most -AppMaxPrice, -DatasetMaxPrice or -WorkerpoolMaxPrice (0 nRLC by
/// default). A refused or malformed order (an address of 64 hex digits, a negative or 2^256-sized number, a fractional
/// price) is skipped with a warning giving the reason, and further pages are read, at most 5 pages of 20 orders per
/// order book and category; none left fails NoAcceptableOrder listing every reason.</para>
/// <para>After the confirmation (its text names app, dataset, workerpool, prices and the secrets to push; a paid run
/// asks again unless -Force), and only then, the secrets are pushed, just before signing: those -Vault holds and the SMS
/// lacks, and the -SecretValue values, each through Push-IExecRequesterSecret's checks (not empty, at most 4096 bytes,
/// never the wallet's own key). matchOrders is sent once; a lost answer is reconciled on chain. Its fee per gas is capped (-MaxFeePerGas, else the
/// saved default, else chain.json's maxFeePerGas, else the chain's built-in cap) and its gas bounded by what
/// matchOrders can need (FeeAboveCap, GasAboveCeiling, nothing signed). Not mined in time, it ends
/// TransactionReplaced (cancelled by a transfer to self with the same nonce) or TransactionPending (hash and nonce;
/// it may still be mined), never reported failed while it can still be mined. After a failed matchOrders whose
/// transaction reached the node, the signed request order is cancelled on chain (manageRequestOrder), or the error
/// gives the Revoke-IExecOrder command that cancels it; the confirmation text also gives the worst-case transaction fee. -WhatIf pushes, signs
/// and sends nothing and writes the unsigned plan (IExecRunPlan). -Watch shows a progress bar until every task is
/// final; Ctrl+C stops watching and leaves the deal running.</para>
/// <para>Inputs of a pipeline that differ only in their params reuse the first input's chain reads and checked market
/// orders while those have volume left; so do separate commands of the same process (a foreach) for 30 seconds, after
/// one batch rechecks the node's chain id, the app's owner and the orders' volume left (-Verbose says when). A
/// matchOrders of the same shape as one just mined is sized by one probe at the gas that one used instead of an
/// estimate.</para>
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
/// <code>Invoke-IExecApp -App $app -Tag tee,scone -Dataset $dataset -EncryptResult -Watch -Force | Save-IExecTaskResult -Decrypt -Vault MyVault -VaultSecretName result-key -Expand</code>
/// <para>Runs the app on an encrypted dataset (the dataset owner's order from the market, or the wallet's own) and
/// gets back a result encrypted for the wallet, decrypted with the private key kept in the vault.</para>
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
[Cmdlet(VerbsLifecycle.Invoke, "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Invoke-IExecApp.md")]
[OutputType(typeof(IExecDeal), typeof(IExecRunPlan))]
public sealed partial class InvokeIExecAppCommand : ChainCommandBase
{
    private const int ProgressActivityId = 3;
    private readonly List<(AppRunSession.StartedMatch Match, AppRunDeal Deal)> _matched = new();
    private AppRunSession? _session;
    private int _inputs;
    private int _failures;

    /// <summary>
    /// The app address or ENS name. Default: the app recorded in ./deployed.json for the chain, run only when the chain
    /// says the connected wallet owns it (DeployedAppNotOwned otherwise; name a foreign app with -App).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <summary>
    /// The workerpool address or ENS name (e.g. prod-v8-bellecour.main.pools.iexec.eth; the confirmation text shows the
    /// address it resolves to). Omit it to take the cheapest matching order of any pool from the market. Default: the
    /// workerpool saved with Set-IExecConfiguration.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workerpool { get; set; }

    /// <summary>
    /// A dataset address or ENS name; omit for none (the null dataset order). The dataset order is the wallet's own when
    /// it owns the dataset, else a market order checked like app orders (for this dataset, tag within the run's, app,
    /// workerpool and requester restrictions, price at most -DatasetMaxPrice, signed by the dataset's on-chain owner,
    /// volume left on chain). For a TEE run the preflight checks the dataset's key is on the SMS (DatasetSecretMissing).
    /// The worker downloads the encrypted file, checks its checksum, decrypts it and gives it to the app as
    /// IEXEC_IN/IEXEC_DATASET_FILENAME.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedDatasetCompleter))]
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

    /// <summary>The category: given, only it is searched; omitted, the search starts at 0 and goes on while categories exist.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? Category { get; set; }

    /// <summary>The trust level; 0 by default.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Trust { get; set; }

    /// <summary>The requester secret mapping: a hashtable @{1='name'} or items '1=name' (app slot = name on the SMS).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Secret { get; set; }

    /// <summary>The app's command-line arguments (iexec_args).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    public string? Arguments { get; set; }

    /// <summary>http(s) URLs the worker downloads before running the app (iexec_input_files).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? InputFile { get; set; }

    /// <summary>Raw params as a JSON object string (other text is iexec_args); unknown keys are dropped as the SDK does.</summary>
    [Parameter]
    public string? Params { get; set; }

    /// <summary>Where the worker stores the result: ipfs (default) or dropbox (TEE only).</summary>
    [Parameter]
    [ValidateSet("ipfs", "dropbox")]
    public string? StorageProvider { get; set; }

    /// <summary>
    /// Encrypts the result for the beneficiary (iexec_result_encryption): the enclave encrypts it with the public key the
    /// beneficiary pushed (New-IExecResultEncryptionKey -Push), which the preflight checks is on the SMS
    /// (ResultEncryptionKeyMissing, saying how to push it). Only the encrypted archive is published; Save-IExecTaskResult
    /// -Decrypt opens it with the private key from the vault.
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
    /// are pushed from it once every check has passed, just before signing. Default: the vault saved with
    /// Set-IExecConfiguration. The vault secret the wallet was connected from is never pushed (WalletKeyPushRefused).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>Waits for the tasks with a progress bar, outputs the deal with its final tasks; a failed task writes TaskRunFailed.</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>Seconds between task polls with -Watch; 5 like the SDK.</summary>
    [Parameter]
    [ValidateRange(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>Spends without the extra confirmation a paid run asks for (runbooks); never skips validation or preflight.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// One-shot requester secrets: a hashtable @{1=$secureString}. Each value is pushed to the SMS under a fresh
    /// unguessable name (oneshot- and 32 hex digits, 128 random bits) just before signing, mapped to its slot and never
    /// used again, so a runbook can run the same app again with a new value without SecretAlreadyExists. With -Vault, a
    /// string value names a secret of that vault whose value is pushed. Empty values fail with EmptySecretValue, plain
    /// string values without -Vault with InvalidSecretValue, both before anything is sent. -WhatIf pushes nothing. The
    /// generated names are in the deal's RequesterSecrets, never the values. Binds a SecretValue property of piped
    /// objects, or give a script block to compute it from each piped object.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? SecretValue { get; set; }

    /// <summary>How many matchOrders of a pipeline of runs (a deal per input) may be in flight: 1-64, default 4; nonces stay gap-free.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Fills -Workerpool and -Vault from the saved defaults when the command line leaves them out.</summary>
    protected override void ApplySavedDefaults(SavedDefaultValues saved)
    {
        Workerpool ??= saved.Workerpool;
        Vault ??= saved.Vault;
    }

    /// <summary>
    /// The most the matchOrders transaction may pay per gas: a number of wei, or a number with a unit (2 gwei,
    /// 0.5 gwei). Default: the saved default (Set-IExecConfiguration -MaxFeePerGas), else chain.json's maxFeePerGas,
    /// else the chain's built-in cap. A node asking for more fails FeeAboveCap and nothing is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxFeePerGas { get; set; }

    private Core.Chain.FeeCap? _feeCap;

    /// <summary>Per input: validates, plans, confirms, pushes, signs and starts matchOrders; writes the deals that ended.</summary>
    protected override void ProcessRecord()
    {
        var index = _inputs++;
        try
        {
            RunOne(index);
            WriteEnded(block: false);
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
            while (_session?.InFlight > 0) WriteEnded(block: true);
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
        var watcher = new DealWatcher(Rpc, _session!.Runner.Hub);
        var finals = new DealWatchProgress(this, ProgressActivityId, CancellationToken)
            .Watch(watcher, _matched.Select(m => (Hex.Decode(m.Deal.DealId), m.Deal.TaskIds.Count)).ToList(), TimeSpan.FromSeconds(PollIntervalSeconds));
        for (var i = 0; i < _matched.Count; i++)
        {
            var output = RunCommandSupport.FromRun(Await(watcher.GetDealAsync(Hex.Decode(_matched[i].Deal.DealId), _matched[i].Match.Run.Plan.RequestOrder.Category, CancellationToken)), ChainProfile.Name, finals[i], _matched[i].Match, _matched[i].Deal);
            WriteObject(output);
            if (!output.Succeeded) WriteError(ToErrorRecord(RunCommandSupport.TaskRunFailed(output)));
        }
    }

    private void RunOne(int index)
    {
        var chain = ChainProfile;
        _feeCap ??= FeeCapSetting.Resolve(this, chain, MaxFeePerGas);
        var check = AppRunSession.Check(RunInputBinding.Input(this, CurrentDirectory), chain);
        if (check.TdxForced && index == 0) WriteVerbose($"{chain.Name} runs TDX: the tag gets tee,tdx (0x…09) as iExec SDK 9 adds it to every order it signs.");
        var wallet = WalletSession.Require();
        _session ??= new AppRunSession(Rpc, chain, MarketOrNull, new SecretPusher(wallet.Signer, wallet.VaultSecret),
            url => SmsClientCache.Shared.Acquire(url, AllowInsecureHttp, new SmsClientOptions().RequestTimeout)) { FeeCap = _feeCap };

        var run = Await(_session.PlanAsync(check, CancellationToken));
        foreach (var note in run.Notes) WriteVerbose(note);
        foreach (var refused in run.Plan.RefusedOrders) WriteWarning($"Skipped market {refused}.");
        var target = RunPlanText.Describe(run, chain) + "; " + _session.DescribeWorstCaseFee(run);
        if (!ShouldProcess(target, "Sign the orders and run the app (matchOrders)"))
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true }) WriteObject(IExecRunPlan.From(run, chain));
            return;
        }
        if (run.Plan.Cost > 0 && !Force && !ShouldContinue($"Do you want to spend {run.Plan.Cost} nRLC to run {target}?", "Confirm paid run")) return;

        // The write-once pushes come last, just before signing: every value read and checked first, then pushed.
        using (var values = _session.ReadSecrets(run, new RunSecretSource(InvokeCommand, Vault)))
        {
            foreach (var push in run.Pushes) WriteVerbose($"Pushing requester secret {push.Name} ({(push.Slot is { } slot ? $"the one-shot value of slot {slot}" : $"from vault '{Vault}'")}) to {run.SmsDisplayUrl}.");
            Await(_session.PushAsync(run, values, CancellationToken));
        }
        while (_session.InFlight >= ThrottleLimit) WriteEnded(block: true);
        _session.StartMatch(index, run, CancellationToken);
        ShowBatchProgress();
    }
}
