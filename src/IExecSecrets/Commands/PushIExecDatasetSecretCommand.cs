using System.Management.Automation;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Pushes the encryption key of a dataset to the iExec SMS, signed by the dataset owner.</para>
/// </summary>
[Cmdlet(VerbsCommon.Push, "IExecDatasetSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecDatasetSecretCommand : PushSecretCommandBase
{
    /// <summary>The dataset address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    public string Dataset { get; set; } = string.Empty;

    /// <summary>The vault secret holding the dataset key (binds Name of Get-SecretInfo objects); required with -Vault.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName;

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        var dataset = AddressInput.Parse(Dataset, nameof(Dataset));
        var display = dataset.ToString();
        return new PushPlan(display, IExecSecretKind.Dataset, $"dataset key of {display}", async (sms, signer, value, cancellationToken) =>
        {
            var result = await sms.PushWeb3SecretAsync(signer, dataset, value, cancellationToken).ConfigureAwait(false);
            return new IExecSecretPushResult { Name = display, Kind = IExecSecretKind.Dataset, App = display, IsPushed = true, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
        });
    }
}
