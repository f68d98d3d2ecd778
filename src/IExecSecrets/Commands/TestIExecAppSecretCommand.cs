using IExecSecrets.Completers;

namespace IExecSecrets.Commands;

/// <summary>Tests whether the app developer secret of an app is set on the iExec SMS.</summary>
/// <remarks>
/// <para>Asks the SMS whether the app has a developer secret, like iexec app check-secret. Only a HEAD request is sent;
/// no wallet is needed.</para>
/// <para>Without -TeeFramework the app is read on chain (an unknown address fails with AppNotDeployed, an unreachable
/// node with RpcUnreachable) to ask the SMS of the app's own TEE framework: the framework of its mrenclave, or tdx when
/// it has none.</para>
/// </remarks>
/// <example>
/// <code>Test-IExecAppSecret -App 0x3fe8cd1b0Ba1f7e0c9D8a5E0a55e6C6C2dD46D3f</code>
/// <para>Writes whether the app's developer secret is set on the SCONE SMS of the default chain.</para>
/// </example>
/// <example>
/// <code>Test-IExecAppSecret -Quiet -Chain bellecour</code>
/// <para>Checks the app recorded in deployed.json for bellecour and writes True or False.</para>
/// </example>
/// <input type="System.String">System.String app addresses, or objects with an App or Address property.</input>
/// <output type="IExecSecrets.Output.IExecSecretStatus">
/// IExecSecrets.Output.IExecSecretStatus, or System.Boolean with -Quiet.
/// </output>
/// <parameter name="TeeFramework">
/// The TEE framework whose SMS holds the secret: scone, gramine or tdx. Each framework has its own SMS, so a secret
/// pushed for one is invisible to tasks of another. Anything else fails with the error id UnknownTeeFramework before
/// any request. Default (as iexec app push-secret and check-secret 8.24): the framework named by the app's mrenclave,
/// read on chain; an app without mrenclave uses tdx (SDK 8.22 and older used the chain default instead), and an
/// mrenclave without a known framework fails with AppTeeFrameworkUnresolved. Giving -TeeFramework (or -SmsUrl) skips
/// the chain read.
/// </parameter>
[Cmdlet(VerbsDiagnostic.Test, "IExecAppSecret", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Test-IExecAppSecret.md")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecAppSecretCommand : TestSecretCommandBase
{
    /// <summary>The app address. Default: the app recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <inheritdoc />
    protected override CheckPlan Prepare()
    {
        var app = DeployedApps.GivenOrDeployed(App, nameof(App), SessionState.Path.CurrentFileSystemLocation.ProviderPath, () => ChainProfile.ChainId);
        var display = app.ToString();
        var framework = AppFramework(app);
        return new CheckPlan("1", IExecSecretKind.App, null, display, $"app developer secret of {display}", (sms, ct) => sms.AppSecretExistsAsync(app, ct), framework);
    }
}
