using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Creates iexec.json and chain.json in a folder, byte-identical to iexec init --skip-wallet.</para>
/// </summary>
[Cmdlet(VerbsData.Initialize, "IExecProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecProjectInitResult))]
public sealed class InitializeIExecProjectCommand : IExecCmdlet
{
    /// <summary>The project folder; default the current location. Created when missing.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Adds the hello-world app template of this TEE framework (scone, gramine or tdx), like iexec app init; named
    /// like -TeeFramework of every other cmdlet (-Tee, the former name, still works as an alias).
    /// </summary>
    [Parameter]
    [Alias("Tee")]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TeeFramework { get; set; }

    /// <summary>Replaces existing iexec.json and chain.json files instead of refusing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Validates, asks for confirmation, then writes the files.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var directory = Path is null
                ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
                : GetUnresolvedProviderPathFromPSPath(Path);
            TeeFramework? template = TeeFramework is null ? null : TeeFrameworks.Parse(TeeFramework);
            ProjectFiles.EnsureCanInitialize(directory, Force);
            // the CLI writes the wallet's address as owner, and the zero address when there is no wallet
            var owner = template is null ? (EthAddress?)null : WalletSession.Current?.Address ?? EthAddress.Zero;

            var action = template is null ? "Write iexec.json and chain.json" : $"Write iexec.json with the {template.Value.ToWireName()} app template, and chain.json";
            if (!ShouldProcess(directory, action))
            {
                return;
            }

            var result = ProjectFiles.Initialize(directory, Force, template, owner);
            WriteObject(new IExecProjectInitResult
            {
                Path = directory,
                ConfigFile = result.IExecJsonPath,
                ChainConfigFile = result.ChainJsonPath,
                AppTemplate = result.AppTemplate?.ToWireName(),
                Owner = owner?.ToString(),
            });
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
