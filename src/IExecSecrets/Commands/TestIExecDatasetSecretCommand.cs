namespace IExecSecrets.Commands;

/// <summary>Tests whether the encryption key of a dataset is set on the iExec SMS.</summary>
/// <remarks>Asks the SMS whether the dataset has a key, with a HEAD request; no wallet is needed.</remarks>
/// <example>
/// <code>Test-IExecDatasetSecret 0x2B0D6d4ECb4bc1a1E9A3F2B2fE1D7a21C8aB1234</code>
/// <para>Writes whether the dataset key is set.</para>
/// </example>
/// <example>
/// <code>$datasets | Test-IExecDatasetSecret -Quiet</code>
/// <para>Writes True or False for each piped dataset address.</para>
/// </example>
/// <input type="System.String">System.String dataset addresses, or objects with a Dataset or Address property.</input>
/// <output type="IExecSecrets.Output.IExecSecretStatus">
/// IExecSecrets.Output.IExecSecretStatus, or System.Boolean with -Quiet.
/// </output>
[Cmdlet(VerbsDiagnostic.Test, "IExecDatasetSecret", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Test-IExecDatasetSecret.md")]
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
