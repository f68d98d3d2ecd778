using System.Security;
using IExecSecrets.Completers;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Sms;
using IExecSecrets.SecretManagement;

namespace IExecSecrets;

/// <summary>
/// The shared body of the <c>Push-IExec*Secret</c> cmdlets. Per pipeline item, on the pipeline thread: require the
/// wallet, validate names and addresses, refuse a vault secret marked for another kind (<c>iexec.kind</c>), read the
/// value (from <c>-Value</c>, a vault or the prompt) and check it through Core's <see cref="SecretPusher"/> (not the
/// wallet's key, not empty, at most 4096 bytes), ask ShouldProcess; only then start the SMS call. At most <see cref="ThrottleLimit"/> calls are in flight; results and
/// errors are written on the pipeline thread in input order (an item's result waits for the items piped before it),
/// and the value buffer of each call is zeroed when it ends.
/// </summary>
/// <remarks>
/// Honest batches: when an error is about to stop the pipeline (<c>-ErrorAction Stop</c>, or the preference variable),
/// every push already in flight is first awaited and every stored secret is written to the output, so what was stored
/// is exactly what was reported. After Ctrl+C nothing more can be written to the pipeline; secrets stored while the
/// stop was on its way are then named in a warning on the host.
/// </remarks>
public abstract partial class PushSecretCommandBase : SecretCommandBase
{
    private const int ProgressActivityId = 1;
    // Every item in input order until written: a running or finished push, or an item that failed before any request.
    private readonly List<Task<PushOutcome>> _inFlight = new();
    private VaultSecretReader? _vaultReader;
    private string? _registeredDefaultVault;
    private bool _registeredDefaultLooked;
    private int _started;
    private int _finished;
    private bool _progressShown;

    /// <summary>
    /// The secret value as a SecureString (for example from Read-Host -AsSecureString). It is converted to UTF-8 bytes
    /// only for the request, and the buffer is zeroed afterwards. At most 4096 UTF-8 bytes; a larger value fails with
    /// SecretValueTooLarge before any request. Without -Value or a vault (-Vault, the saved default or SecretManagement's
    /// default vault), an interactive session asks for the value at a
    /// masked "Paste your secret" prompt, like the iexec CLI; a non-interactive one (no host UI, pwsh -NonInteractive)
    /// fails the item with MissingSecretValue before any request.
    /// </summary>
    [Parameter]
    public SecureString? Value { get; set; }

    /// <summary>
    /// The SecretManagement vault that holds the value. Accepts the VaultName property of Get-SecretInfo objects from
    /// the pipeline. The vault secret may be a SecureString, string, byte[] (raw bytes), PSCredential (its password is
    /// the value) or Hashtable (its Secret or Value entry). Needs the Microsoft.PowerShell.SecretManagement module;
    /// without it the error id is SecretManagementNotInstalled, and a missing secret gives VaultSecretNotFound.
    /// Without -Value and -Vault, the vault saved with Set-IExecConfiguration -Vault is used, else SecretManagement's
    /// registered default vault (Set-SecretVaultDefault), named in the verbose stream; with neither, the value is
    /// prompted for. A locked vault fails VaultLocked, a password SecretStore refused VaultPasswordIncorrect; either way
    /// that vault is not asked again in the same command, so a piped batch prompts for a password at most once.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("VaultName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>
    /// The SecretManagement metadata of the vault secret; binds the Metadata property of piped Get-SecretInfo objects.
    /// A vault secret whose metadata says <c>iexec.kind</c> is another kind than this command's (requester, app, web2,
    /// dataset; or wallet, for a key) fails with SecretKindMismatch and is not read (with -MarkedOnly it is skipped).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Metadata")]
    public System.Collections.IDictionary? SecretMetadata { get; set; }

    /// <summary>
    /// Pushes only vault secrets marked for this kind in their SecretManagement metadata (<c>iexec.kind</c> = requester,
    /// app, web2 or dataset, set with Set-SecretInfo or Set-Secret -Metadata); any other vault secret (unmarked, or marked
    /// for another kind) is skipped with a verbose line, so a whole vault can be piped safely. Applies to values read
    /// from a vault.
    /// </summary>
    [Parameter]
    public SwitchParameter MarkedOnly { get; set; }

    /// <summary>
    /// How many SMS requests may run at the same time when secrets are piped in (1 to 64, default 8). Values are read
    /// and validated one by one on the pipeline thread; results are written as the requests finish.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>The vault secret to read when -Vault is given; each cmdlet decides its default.</summary>
    protected abstract string? VaultSecretNameToRead { get; }

    /// <summary>Validates this item's parameters and describes the push; throws IExecException for bad input.</summary>
    protected abstract PushPlan Prepare(ConnectedWallet wallet);

    /// <summary>Validates, reads, confirms and starts one push, then writes whatever pushes have finished.</summary>
    protected override void ProcessRecord()
    {
        var wallet = RequireWallet();

        SecretBuffer? value = null;
        try
        {
            var plan = Prepare(wallet);
            var sms = SmsFor(plan.Framework);
            var vault = Value is null ? Vault ?? Saved.Vault ?? RegisteredDefaultVault() : null;
            VaultSecretRef? origin = null;
            if (vault is not null)
            {
                origin = new VaultSecretRef(vault, VaultSecretNameToRead ?? plan.Name);
                if (!IsMarkedForThisKind(plan, origin))
                {
                    return;
                }
            }

            // The one push path: read, empty, size and wallet-key checks, then (after confirmation) push and zero.
            value = new SecretPusher(wallet.Signer, wallet.VaultSecret).Read(plan.Name, origin, () => ReadValue(plan, origin));
            if (!ShouldProcess($"{plan.Target} on {ChainLabel} ({sms.DisplayUrl})", $"Push {plan.Kind.ToString().ToLowerInvariant()} secret to SMS"))
            {
                return;
            }

            WriteVerbose($"Pushing {plan.Kind.ToString().ToLowerInvariant()} secret {plan.Target} to {sms.DisplayUrl}.");
            var buffer = value;
            value = null;
            // Piped items run on the thread pool so the pipeline thread reads the next one meanwhile; a command with one
            // item (a runbook's foreach) starts its push right here, saving a thread hop per command.
            _inFlight.Add(MyInvocation.ExpectingInput ? Task.Run(() => RunAsync(plan, sms, wallet, buffer)) : RunAsync(plan, sms, wallet, buffer));
            _started++;
        }
        catch (IExecException ex)
        {
            ReportError(ToErrorRecord(ex), ex);
        }
        finally
        {
            value?.Dispose();
        }

        WriteFinished(block: Running().Length >= ThrottleLimit);
    }

    // SecretManagement's registered default vault, looked up once per command: the vault that stands in for -Vault when
    // neither it nor a saved default was given (null: SecretManagement absent or no default, and the value is prompted for).
    private string? RegisteredDefaultVault()
    {
        if (!_registeredDefaultLooked)
        {
            _registeredDefaultLooked = true;
            _registeredDefaultVault = VaultReader.RegisteredDefaultVault();
            if (_registeredDefaultVault is not null)
            {
                WriteVerbose($"No -Vault and no saved default vault: reading values from SecretManagement's default vault '{_registeredDefaultVault}'.");
            }
        }

        return _registeredDefaultVault;
    }

    // One reader per command, so a vault found locked or refusing its password is asked once, not once per item.
    private VaultSecretReader VaultReader => _vaultReader ??= new VaultSecretReader(InvokeCommand);

    // iexec.kind in the piped secret's metadata. With -MarkedOnly, a secret not marked for this kind is skipped; without
    // it, a secret marked for another kind (a wallet key, an app secret) is refused with SecretKindMismatch.
    private bool IsMarkedForThisKind(PushPlan plan, VaultSecretRef origin)
    {
        var kind = plan.Kind.ToString().ToLowerInvariant();
        var marked = MarkedKind(SecretMetadata);
        var isThisKind = string.Equals(marked, kind, StringComparison.OrdinalIgnoreCase);
        if (MarkedOnly && !isThisKind)
        {
            WriteVerbose($"Skipped vault secret '{origin}': -MarkedOnly and its metadata has no iexec.kind = {kind}.");
            return false;
        }

        if (marked is not null && !isThisKind)
        {
            throw new IExecException(ErrorIds.SecretKindMismatch,
                $"The vault secret '{origin}' is marked iexec.kind = {marked}, not {kind}; it was not read or pushed.", plan.Name)
            {
                RecommendedAction = $"Push it with the command of its kind, or push only the secrets marked {kind}: add -MarkedOnly.",
            };
        }

        return true;
    }

    // The iexec.kind metadata entry (key compared ignoring case), or null when there is none.
    private static string? MarkedKind(System.Collections.IDictionary? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        foreach (System.Collections.DictionaryEntry entry in metadata)
        {
            if (entry.Key is string key && string.Equals(key, "iexec.kind", StringComparison.OrdinalIgnoreCase))
            {
                return Convert.ToString(entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Waits for every push still in flight and closes the progress record.</summary>
    protected override void EndProcessing()
    {
        while (_inFlight.Count > 0)
        {
            WriteFinished(block: true);
        }

        if (_progressShown)
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, "Pushing secrets to the SMS", $"{_finished} of {_started} done")
            {
                RecordType = ProgressRecordType.Completed,
            });
        }
    }

    /// <summary>Cancels pushes still running when the pipeline stops; their buffers are zeroed as they end.</summary>
    protected override void DisposeResources()
    {
        try
        {
            Task.WaitAll(_inFlight.ToArray<Task>(), TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Stopped pushes end with cancellation; the ones that still stored their secret are named below.
        }

        // Only reached with pushes left after a stop (Ctrl+C, a downstream Select-Object -First, a terminating error):
        // the pipeline takes no more output, so the stored secrets are named on the host instead of being lost.
        var stored = _inFlight.Where(task => task.IsCompletedSuccessfully && task.Result.Result is { IsPushed: true })
            .Select(task => task.Result.Name).ToArray();
        _inFlight.Clear();
        if (stored.Length > 0)
        {
            try
            {
                if (Host?.UI is { } ui) WriteWarningToHost(ui, $"Stopped: {stored.Length} secret(s) were stored on the SMS but could not be written to the output: {string.Join(", ", stored)}.");
            }
            catch (Exception ex) when (ex is PSInvalidOperationException or NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
            {
                // A host without UI: nothing else can be told.
            }
        }

        base.DisposeResources();
    }

    private byte[] ReadValue(PushPlan plan, VaultSecretRef? origin)
    {
        var smsName = plan.Name;
        if (Value is not null)
        {
            return SecureStrings.ToUtf8Bytes(Value);
        }

        // Without -Value or -Vault, the vault saved with Set-IExecConfiguration -Vault stands in for -Vault.
        if (origin is not null)
        {
            return VaultReader.ReadBytes(origin.Name, origin.Vault);
        }

        using var typed = PromptForValue(plan.Target) ?? throw new IExecException(
            ErrorIds.MissingSecretValue,
            Host is not null && !HostPrompting.CanPrompt(Host)
                ? $"No value was given for {smsName}, and this session cannot prompt for one (-NonInteractive or redirected input)."
                : $"No value was given for {smsName}.",
            smsName)
        {
            RecommendedAction = "Pass -Value (a SecureString, e.g. from Read-Host -AsSecureString) or -Vault with the SecretManagement vault that holds it.",
        };
        return SecureStrings.ToUtf8Bytes(typed);
    }

    // Like the CLI's masked "Paste your secret" prompt; null when the host cannot ask (no UI, -NonInteractive,
    // redirected stdin), and then nothing is written: a prompt nobody can answer is noise in a log.
    private SecureString? PromptForValue(string target)
    {
        var ui = Host?.UI;
        if (ui is null || !HostPrompting.CanPrompt(Host!))
        {
            return null;
        }

        try
        {
            WriteToHost(ui, $"Paste your secret ({target}): ");
            return ui.ReadLineAsSecureString();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
        {
            return null;
        }
    }

    /// <summary>
    /// One validated push: the names shown to the user, the SMS call to make with the wallet's signer and the value
    /// bytes (zeroed by the caller once the call ends), and the TEE framework whose SMS serves it (null: the
    /// command's -TeeFramework or the chain default).
    /// </summary>
    protected sealed record PushPlan(
        string Name,
        IExecSecretKind Kind,
        string Target,
        Func<SmsClient, IEthSigner, ReadOnlyMemory<byte>, CancellationToken, Task<IExecSecretPushResult>> Push,
        Core.Config.TeeFramework? Framework = null);

    // Record: the error record of an item that failed before any request (queued to keep input order).
    private sealed record PushOutcome(string Name, IExecSecretPushResult? Result, IExecException? Error, ErrorRecord? Record = null);
}
