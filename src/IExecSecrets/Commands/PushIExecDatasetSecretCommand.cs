using IExecSecrets.Completers;

namespace IExecSecrets.Commands;

/// <summary>Pushes the encryption key of a dataset to the iExec SMS, signed by the dataset owner.</summary>
/// <remarks>
/// Stores a dataset's key (a web3 secret) on the SMS, like iexec dataset push-secret. The connected wallet must own the
/// dataset on chain. Dataset keys are write-once. Pushes are signed with the wallet connected by Connect-IExecWallet;
/// without one the command stops with WalletNotConnected.
/// </remarks>
/// <example>
/// <code>Push-IExecDatasetSecret 0x2B0D6d4ECb4bc1a1E9A3F2B2fE1D7a21C8aB1234 -Vault MyVault -VaultSecretName dataset-key</code>
/// <para>Pushes the dataset key kept in the vault.</para>
/// </example>
/// <example>
/// <code>Push-IExecDatasetSecret $dataset -Value (Read-Host -AsSecureString) -Confirm</code>
/// <para>Asks for the key and for confirmation before pushing it.</para>
/// </example>
/// <input type="Objects">Objects with Dataset (or Address), Name and VaultName properties.</input>
/// <output type="IExecSecrets.Output.IExecSecretPushResult">IExecSecrets.Output.IExecSecretPushResult</output>
[Cmdlet(VerbsCommon.Push, "IExecDatasetSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Push-IExecDatasetSecret.md")]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecDatasetSecretCommand : PushSecretCommandBase
{
    /// <summary>The dataset address. A malformed address fails with InvalidAddress.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ArgumentCompleter(typeof(DeployedDatasetCompleter))]
    public string Dataset { get; set; } = string.Empty;

    /// <summary>The vault secret that holds the key; binds the Name property of piped Get-SecretInfo objects.</summary>
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
