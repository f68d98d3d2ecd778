using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Forgets saved defaults, so commands fall back to their own defaults (chain.json's default chain, the market's workerpools, no vault).</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "IExecConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IExecConfigurationEntry))]
public sealed class ClearIExecConfigurationCommand : IExecCmdlet
{
    /// <summary>The settings to forget (Chain, Workerpool, Vault, TeeFramework); default all of them.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Process: this session's values. CurrentUser (default): the user's configuration file.</summary>
    [Parameter]
    public DefaultsScope Scope { get; set; } = DefaultsScope.CurrentUser;

    /// <summary>Writes the settings that were cleared with the value they now take (from the other scope, or NotSet).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Forgets the named settings in the scope; naming a setting that does not exist is an error.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var names = (Name ?? SavedDefaults.Names).Select(SavedDefaults.CanonicalName).ToArray();
            var store = SavedDefaults.Shared;
            var where = Scope == DefaultsScope.Process ? "this PowerShell process" : store.UserFilePath;
            if (!ShouldProcess(where, $"Forget saved default {string.Join(", ", names)}"))
            {
                return;
            }

            var removed = store.Clear(Scope, names);
            WriteVerbose(removed.Count == 0 ? $"None of {string.Join(", ", names)} was saved for {Scope}." : $"Forgot {string.Join(", ", removed)} for {Scope}.");
            if (PassThru)
            {
                foreach (var name in names)
                {
                    var (value, from) = store.Get(name);
                    WriteObject(new IExecConfigurationEntry { Name = name, Value = value, Scope = from?.ToString() ?? "NotSet", Path = store.UserFilePath });
                }
            }
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }
}
