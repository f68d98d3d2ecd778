using System.Management.Automation;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Pushes a requester secret of the connected wallet to the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsCommon.Push, "IExecRequesterSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecRequesterSecretCommand : PushSecretCommandBase
{
    /// <summary>The SMS secret name: 1 to 64 characters from [A-Za-z0-9_-], case-sensitive.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The vault secret holding the value; default the SMS secret name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <summary>Reports an existing secret as skipped (IsPushed = false) instead of failing with SecretAlreadyExists.</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName;

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        SecretRules.EnsureValidName(Name);
        var name = Name;
        var owner = wallet.Address.ToString();
        var skipExisting = SkipExisting.IsPresent;
        return new PushPlan(name, IExecSecretKind.Requester, $"{name} for {owner}", async (sms, signer, value, cancellationToken) =>
        {
            try
            {
                var result = await sms.PushRequesterSecretAsync(signer, name, value, cancellationToken).ConfigureAwait(false);
                return new IExecSecretPushResult { Name = name, Kind = IExecSecretKind.Requester, Owner = owner, IsPushed = true, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
            }
            catch (IExecException ex) when (skipExisting && ex.ErrorId == ErrorIds.SecretAlreadyExists)
            {
                return new IExecSecretPushResult { Name = name, Kind = IExecSecretKind.Requester, Owner = owner, IsPushed = false, Skipped = true, SmsUrl = sms.DisplayUrl };
            }
        });
    }
}
