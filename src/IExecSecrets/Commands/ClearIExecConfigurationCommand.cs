using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Forgets saved defaults, so commands fall back to their own defaults.</summary>
/// <remarks>
/// <para>Removes the named settings (all when -Name is not given) from every scope that holds them, so that none of them
/// is in effect afterwards; with -Scope, from that scope only (a value saved in the other scope then stays in effect,
/// and -PassThru shows it). Settings of a newer module version in the file are kept. Supports -WhatIf and -Confirm.</para>
/// </remarks>
/// <example>
/// <code>Clear-IExecConfiguration -Name Vault</code>
/// <para>Forgets the saved vault, both this session's and the user's: no saved vault is in effect afterwards.</para>
/// </example>
/// <example>
/// <code>Clear-IExecConfiguration -Name Chain -Scope CurrentUser -PassThru</code>
/// <para>Forgets the user's saved chain only, and shows the chain now in effect (a Process value, or NotSet).</para>
/// </example>
/// <example>
/// <code>Get-IExecConfiguration -Scope Process | Clear-IExecConfiguration -Scope Process</code>
/// <para>Forgets every value saved for this session only.</para>
/// </example>
/// <input type="System.String">Setting names, or entries from Get-IExecConfiguration.</input>
/// <output type="IExecSecrets.Output.IExecConfigurationEntry">With -PassThru, one entry per cleared setting; otherwise nothing.</output>
[Cmdlet(VerbsCommon.Clear, "IExecConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Clear-IExecConfiguration.md")]
[OutputType(typeof(IExecConfigurationEntry))]
public sealed class ClearIExecConfigurationCommand : IExecCmdlet
{
    /// <summary>
    /// The settings to forget: Chain, Workerpool, Vault, TeeFramework, MaxFeePerGas, WorkerpoolApiUrl (every pinned workerpool API) or
    /// WorkerpoolApiUrl:&lt;address&gt; (one pin); default all of them.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// Process: this session's values only. CurrentUser: the user's configuration file only. Default: both, so that the
    /// setting is no longer in effect.
    /// </summary>
    [Parameter]
    public DefaultsScope? Scope { get; set; }

    /// <summary>Writes each cleared setting with the value it now takes (from the other scope, or NotSet).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Forgets the named settings in the scope; naming a setting that does not exist is an error.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var pinNames = (Name ?? [IExecConfigurationEntry.PinPrefix]).Where(n => n.StartsWith(IExecConfigurationEntry.PinPrefix, StringComparison.OrdinalIgnoreCase)).ToArray();
            var names = (Name ?? SavedDefaults.Names).Where(n => !n.StartsWith(IExecConfigurationEntry.PinPrefix, StringComparison.OrdinalIgnoreCase)).Select(SavedDefaults.CanonicalName).ToArray();
            var allPins = pinNames.Any(n => n.Equals(IExecConfigurationEntry.PinPrefix, StringComparison.OrdinalIgnoreCase));
            var pools = allPins ? null : pinNames.Select(n => SavedDefaults.ValidateWorkerpoolApiPin(n[(IExecConfigurationEntry.PinPrefix.Length + 1)..], "https://x").Workerpool).ToArray();
            var store = SavedDefaults.Shared;
            // Without -Scope the user means "no longer in effect": a Process value would otherwise keep winning
            // over the cleared CurrentUser one.
            DefaultsScope[] scopes = Scope is { } only ? [only] : [DefaultsScope.Process, DefaultsScope.CurrentUser];
            var where = string.Join(" and ", scopes.Select(scope => scope == DefaultsScope.Process ? "this PowerShell process" : store.UserFilePath));
            if (!ShouldProcess(where, $"Forget saved default {string.Join(", ", names.Concat(pinNames))}"))
            {
                return;
            }

            foreach (var scope in scopes)
            {
                var removed = store.Clear(scope, names).ToList();
                if (pinNames.Length > 0) removed.AddRange(store.ClearWorkerpoolApiPins(scope, pools).Select(pool => IExecConfigurationEntry.PinName(pool.ToString())));
                WriteVerbose(removed.Count == 0 ? $"None of {string.Join(", ", names)} was saved for {scope}." : $"Forgot {string.Join(", ", removed)} for {scope}.");
            }
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
