using IExecSecrets.Completers;

namespace IExecSecrets.Commands;

/// <summary>Pushes the app developer secret of an app to the iExec SMS, signed by the app owner.</summary>
/// <remarks>
/// <para>Stores the developer secret of an app on the SMS, like iexec app push-secret. The app's tasks receive it as
/// IEXEC_APP_DEVELOPER_SECRET. The connected wallet must own the app on chain, otherwise the SMS refuses with
/// SmsNotAuthorized.</para>
/// <para>App secrets are write-once: an existing secret fails with SecretAlreadyExists. The value size (at most 4096
/// UTF-8 bytes) and the app address are checked before any request. Pushes are signed with the wallet connected by
/// Connect-IExecWallet; without one the command stops with WalletNotConnected.</para>
/// <para>Without -TeeFramework the app is read on chain (an unknown address fails with AppNotDeployed, an unreachable
/// node with RpcUnreachable) to send the secret to the SMS of the app's own TEE framework: the framework of its
/// mrenclave, or tdx when it has none.</para>
/// </remarks>
/// <example>
/// <code>Push-IExecAppSecret -App $app.Address -Vault MyVault -VaultSecretName poly-coefficients</code>
/// <para>Pushes the vault secret poly-coefficients as the developer secret of the app.</para>
/// </example>
/// <example>
/// <code>Push-IExecAppSecret -Value (Read-Host -AsSecureString) -TeeFramework scone -WhatIf</code>
/// <para>Shows which app (from deployed.json) and which SMS would receive the secret, without signing or sending
/// anything.</para>
/// </example>
/// <input type="Objects">
/// Objects with App (or Address), Name and VaultName properties, such as Get-SecretInfo results.
/// </input>
/// <output type="IExecSecrets.Output.IExecSecretPushResult">IExecSecrets.Output.IExecSecretPushResult</output>
/// <parameter name="TeeFramework">
/// The TEE framework whose SMS holds the secret: scone, gramine or tdx. Each framework has its own SMS, so a secret
/// pushed for one is invisible to tasks of another. Anything else fails with the error id UnknownTeeFramework before
/// any request. Default (as iexec app push-secret and check-secret 8.24): the framework named by the app's mrenclave,
/// read on chain; an app without mrenclave uses tdx (SDK 8.22 and older used the chain default instead), and an
/// mrenclave without a known framework fails with AppTeeFrameworkUnresolved. Giving -TeeFramework (or -SmsUrl) skips
/// the chain read.
/// </parameter>
[Cmdlet(VerbsCommon.Push, "IExecAppSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Push-IExecAppSecret.md")]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecAppSecretCommand : PushSecretCommandBase
{
    /// <summary>
    /// The app address. Default: the app recorded in ./deployed.json for the chain (AppNotInDeployedJson when there is
    /// none).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <summary>
    /// The vault secret that holds the value; binds the Name property of piped Get-SecretInfo objects. Default:
    /// IEXEC_APP_DEVELOPER_SECRET.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName ?? "IEXEC_APP_DEVELOPER_SECRET";

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        var app = DeployedApps.GivenOrDeployed(App, nameof(App), SessionState.Path.CurrentFileSystemLocation.ProviderPath, () => ChainProfile.ChainId);
        var display = app.ToString();
        var framework = AppFramework(app);
        return new PushPlan("1", IExecSecretKind.App, $"app developer secret of {display}", async (sms, signer, value, cancellationToken) =>
        {
            var result = await sms.PushAppSecretAsync(signer, app, value, cancellationToken).ConfigureAwait(false);
            return new IExecSecretPushResult { Name = "1", Kind = IExecSecretKind.App, App = display, IsPushed = true, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
        }, framework);
    }
}
