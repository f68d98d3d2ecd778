using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Pushes the app developer secret of an app to the iExec SMS, signed by the app owner.</para>
/// </summary>
[Cmdlet(VerbsCommon.Push, "IExecAppSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecAppSecretCommand : PushSecretCommandBase
{
    /// <summary>The app address; default the app recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <summary>The vault secret holding the value (binds Name of Get-SecretInfo objects); required with -Vault.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName ?? "IEXEC_APP_DEVELOPER_SECRET";

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        var app = DeployedApps.GivenOrDeployed(App, nameof(App), SessionState.Path.CurrentFileSystemLocation.ProviderPath, () => ResolveChain().ChainId);
        var display = app.ToString();
        var framework = AppFramework(app);
        return new PushPlan("1", IExecSecretKind.App, $"app developer secret of {display}", async (sms, signer, value, cancellationToken) =>
        {
            var result = await sms.PushAppSecretAsync(signer, app, value, cancellationToken).ConfigureAwait(false);
            return new IExecSecretPushResult { Name = "1", Kind = IExecSecretKind.App, App = display, IsPushed = true, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
        }, framework);
    }
}
