using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Sms;

namespace IExecSecrets;

/// <summary>
/// The shared body of the <c>Test-IExec*Secret</c> cmdlets: validate, ask the SMS with a HEAD (no signature, no
/// value), and write an <see cref="IExecSecretStatus"/> or, with <c>-Quiet</c>, just the boolean.
/// </summary>
public abstract class TestSecretCommandBase : SecretCommandBase
{
    /// <summary>Writes only True or False instead of a status object.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Validates this item's parameters and describes the check; throws IExecException for bad input.</summary>
    protected abstract CheckPlan Prepare();

    /// <summary>Checks one secret per pipeline item.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var plan = Prepare();
            var sms = SmsFor(plan.Framework);
            WriteVerbose($"Checking {plan.Kind.ToString().ToLowerInvariant()} secret {plan.Target} on {sms.DisplayUrl}.");
            var isSet = Await(plan.Exists(sms, CancellationToken));
            if (Quiet)
            {
                WriteObject(isSet);
                return;
            }

            WriteObject(new IExecSecretStatus
            {
                Name = plan.Name,
                Kind = plan.Kind,
                Owner = plan.Owner,
                App = plan.App,
                IsSet = isSet,
                SmsUrl = sms.DisplayUrl,
            });
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <summary>The owner of requester/web2 secrets: the given address, else the connected wallet's.</summary>
    protected static EthAddress OwnerOrWallet(string? owner, string parameterName) =>
        owner is not null ? AddressInput.Parse(owner, parameterName) : WalletSession.Require().Address;

    /// <summary>
    /// One validated existence check, with the TEE framework whose SMS answers it (null: the command's
    /// -TeeFramework or the chain default).
    /// </summary>
    protected sealed record CheckPlan(
        string Name,
        IExecSecretKind Kind,
        string? Owner,
        string? App,
        string Target,
        Func<SmsClient, CancellationToken, Task<bool>> Exists,
        Core.Config.TeeFramework? Framework = null);
}
