using System.Management.Automation;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Pushes a web2 secret (result encryption key, storage token) of the connected wallet to the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsCommon.Push, "IExecWeb2Secret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecWeb2SecretCommand : PushSecretCommandBase
{
    /// <summary>The web2 secret name (the SMS lower-cases it).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The vault secret holding the value; default the web2 secret name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <summary>Replaces the value (PUT) when the secret already exists, instead of failing with SecretAlreadyExists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName;

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        SecretRules.EnsureValidWeb2Name(Name);
        var name = Name;
        var owner = wallet.Address.ToString();
        var force = Force.IsPresent;
        return new PushPlan(name, IExecSecretKind.Web2, $"{name} for {owner}", async (sms, signer, value, cancellationToken) =>
        {
            var update = force && await sms.Web2SecretExistsAsync(signer.Address, name, cancellationToken).ConfigureAwait(false);
            var result = await sms.PushWeb2SecretAsync(signer, name, value, update, cancellationToken).ConfigureAwait(false);
            return new IExecSecretPushResult { Name = name, Kind = IExecSecretKind.Web2, Owner = owner, IsPushed = true, Updated = update, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
        });
    }
}
