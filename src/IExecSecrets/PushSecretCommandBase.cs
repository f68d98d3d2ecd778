using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Sms;
using IExecSecrets.Output;
using IExecSecrets.SecretManagement;

namespace IExecSecrets;

/// <summary>
/// The shared body of the <c>Push-IExec*Secret</c> cmdlets. Per pipeline item, on the pipeline thread: require the
/// wallet, validate names and addresses, read the value (from <c>-Value</c> or a vault), check its size, ask
/// ShouldProcess; only then start the SMS call. At most <see cref="ThrottleLimit"/> calls are in flight; results and
/// errors are written on the pipeline thread as calls finish, and the value buffer of each call is zeroed when it ends.
/// </summary>
public abstract class PushSecretCommandBase : SecretCommandBase
{
    private const int ProgressActivityId = 1;
    private readonly List<Task<PushOutcome>> _inFlight = new();
    private int _started;
    private int _finished;
    private bool _progressShown;

    /// <summary>
    /// The secret value as a SecureString. Without -Value or -Vault an interactive host asks for it at a masked
    /// "Paste your secret" prompt, like the iexec CLI; a non-interactive one fails the item with MissingSecretValue.
    /// </summary>
    [Parameter]
    public SecureString? Value { get; set; }

    /// <summary>The SecretManagement vault to read the value from (binds VaultName of Get-SecretInfo objects).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("VaultName")]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>How many SMS calls may run at once for piped batches.</summary>
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
        ConnectedWallet wallet;
        try
        {
            wallet = WalletSession.Require();
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
            return;
        }

        PushPlan plan;
        byte[]? value = null;
        try
        {
            plan = Prepare(wallet);
            var sms = SmsFor(plan.Framework);
            value = ReadValue(plan);
            SecretRules.EnsureValueSize(value, plan.Name);
            if (!ShouldProcess($"{plan.Target} on {ChainLabel} ({sms.DisplayUrl})", $"Push {plan.Kind.ToString().ToLowerInvariant()} secret to SMS"))
            {
                return;
            }

            WriteVerbose($"Pushing {plan.Kind.ToString().ToLowerInvariant()} secret {plan.Target} to {sms.DisplayUrl}.");
            var buffer = value;
            value = null;
            _inFlight.Add(Task.Run(() => RunAsync(plan, sms, wallet, buffer)));
            _started++;
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
        finally
        {
            VaultSecretReader.Zero(value);
        }

        WriteFinished(block: _inFlight.Count >= ThrottleLimit);
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
            // Stopped pushes end with cancellation; their outcome is no longer reported to anyone.
        }

        base.DisposeResources();
    }

    private byte[] ReadValue(PushPlan plan)
    {
        var smsName = plan.Name;
        if (Value is not null)
        {
            return SecureStrings.ToUtf8Bytes(Value);
        }

        // Without -Value or -Vault, the vault saved with Set-IExecConfiguration -Vault stands in for -Vault.
        if ((Vault ?? Core.Config.SavedDefaults.Shared.Vault) is { } vault)
        {
            var name = VaultSecretNameToRead ?? smsName;
            return new VaultSecretReader(InvokeCommand).ReadBytes(name, vault);
        }

        using var typed = PromptForValue(plan.Target) ?? throw new IExecException(
            ErrorIds.MissingSecretValue,
            IExecErrorCategory.InvalidArgument,
            $"No value was given for {smsName}.",
            smsName)
        {
            RecommendedAction = "Pass -Value (a SecureString, e.g. from Read-Host -AsSecureString) or -Vault with the SecretManagement vault that holds it.",
        };
        return SecureStrings.ToUtf8Bytes(typed);
    }

    // Like the CLI's masked "Paste your secret" prompt; null when the host cannot ask (no UI, -NonInteractive).
    private SecureString? PromptForValue(string target)
    {
        var ui = Host?.UI;
        if (ui is null)
        {
            return null;
        }

        try
        {
            ui.Write($"Paste your secret ({target}): ");
            return ui.ReadLineAsSecureString();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
        {
            return null;
        }
    }

    private async Task<PushOutcome> RunAsync(PushPlan plan, SmsClient sms, ConnectedWallet wallet, byte[] value)
    {
        try
        {
            return new PushOutcome(plan.Name, await plan.Push(sms, wallet.Signer, value, CancellationToken).ConfigureAwait(false), null);
        }
        catch (IExecException ex)
        {
            return new PushOutcome(plan.Name, null, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    private void WriteFinished(bool block)
    {
        if (_inFlight.Count == 0)
        {
            return;
        }

        if (block)
        {
            try
            {
                Task.WaitAny(_inFlight.ToArray<Task>(), CancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        foreach (var task in _inFlight.Where(task => task.IsCompleted).ToArray())
        {
            _inFlight.Remove(task);
            _finished++;
            var outcome = Await(task);
            if (outcome.Error is not null)
            {
                // In a batch the failed item must be identifiable, so the target is the secret, not the SMS URL.
                WriteError(ToErrorRecord(outcome.Error, outcome.Name));
            }
            else
            {
                WriteObject(outcome.Result);
            }
        }

        if (_started > 1)
        {
            _progressShown = true;
            WriteProgress(new ProgressRecord(ProgressActivityId, "Pushing secrets to the SMS", $"{_finished} of {_started} done"));
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

    private sealed record PushOutcome(string Name, IExecSecretPushResult? Result, IExecException? Error);
}
