using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether the app developer secret of an app is set on the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IExecAppSecret")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecAppSecretCommand : TestSecretCommandBase
{
    /// <summary>The app address; default the app recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedAppCompleter))]
    public string? App { get; set; }

    /// <inheritdoc />
    protected override CheckPlan Prepare()
    {
        var app = DeployedApps.GivenOrDeployed(App, nameof(App), SessionState.Path.CurrentFileSystemLocation.ProviderPath, () => ResolveChain().ChainId);
        var display = app.ToString();
        var framework = AppFramework(app);
        return new CheckPlan("1", IExecSecretKind.App, null, display, $"app developer secret of {display}", (sms, ct) => sms.AppSecretExistsAsync(app, ct), framework);
    }
}
