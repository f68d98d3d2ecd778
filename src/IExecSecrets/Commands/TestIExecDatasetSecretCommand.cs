using System.Management.Automation;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether the encryption key of a dataset is set on the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IExecDatasetSecret")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecDatasetSecretCommand : TestSecretCommandBase
{
    /// <summary>The dataset address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    public string Dataset { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override CheckPlan Prepare()
    {
        var dataset = AddressInput.Parse(Dataset, nameof(Dataset));
        var display = dataset.ToString();
        return new CheckPlan(display, IExecSecretKind.Dataset, null, display, $"dataset key of {display}", (sms, ct) => sms.Web3SecretExistsAsync(dataset, ct));
    }
}
