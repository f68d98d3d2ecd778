using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Commands;

/// <summary>
/// Pushes a web2 secret (result encryption key, storage token) of the connected wallet to the iExec SMS.
/// </summary>
/// <remarks>
/// <para>Stores a named web2 secret for the connected wallet's address, like iexec secrets push-web2-secret. Workers
/// read some of them, such as iexec-result-encryption-public-key.</para>
/// <para>Web2 secrets are the only kind the SMS lets you update: with -Force an existing secret is replaced (HTTP PUT);
/// without it an existing secret fails with SecretAlreadyExists. Pushes are signed with the wallet connected by
/// Connect-IExecWallet; without one the command stops with WalletNotConnected.</para>
/// </remarks>
/// <example>
/// <code>Push-IExecWeb2Secret iexec-result-encryption-public-key -Vault MyVault -VaultSecretName result-public-key</code>
/// <para>Pushes the result encryption public key kept in the vault.</para>
/// </example>
/// <example>
/// <code>Push-IExecWeb2Secret my-token -Value $token -Force</code>
/// <para>Creates or replaces the web2 secret my-token with the SecureString in $token.</para>
/// </example>
/// <input type="System.String">System.String names, or objects with Name and VaultName properties.</input>
/// <output type="IExecSecrets.Output.IExecSecretPushResult">
/// IExecSecrets.Output.IExecSecretPushResult (Updated is True when an existing value was replaced).
/// </output>
[Cmdlet(VerbsCommon.Push, "IExecWeb2Secret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Push-IExecWeb2Secret.md")]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecWeb2SecretCommand : PushSecretCommandBase
{
    /// <summary>The web2 secret name (the SMS lower-cases it). An empty name fails with InvalidSecretName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The vault secret that holds the value. Default: the web2 secret name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <summary>Replaces the value when the secret already exists. It never skips validation.</summary>
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
