using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Shows the saved defaults for -Chain, -Workerpool, -Vault, -TeeFramework and -MaxFeePerGas and the pinned workerpool API URLs, and where each comes from.</summary>
/// <remarks>
/// <para>Without -Scope, each setting's effective value and its scope: Process, else CurrentUser, else NotSet (the command's
/// own default applies). With -Scope, only what that scope holds. A name that is no setting fails with
/// InvalidConfigurationValue; an unreadable configuration file with InvalidConfiguration.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecConfiguration</code>
/// <para>Lists the four settings with the value commands use and where it comes from.</para>
/// </example>
/// <example>
/// <code>Get-IExecConfiguration Chain -Scope CurrentUser</code>
/// <para>Shows the chain saved in the user's file, whatever this session overrides.</para>
/// </example>
/// <input type="System.String">Setting names.</input>
/// <output type="IExecSecrets.Output.IExecConfigurationEntry">One entry per setting: Name, Value, Scope, Path.</output>
[Cmdlet(VerbsCommon.Get, "IExecConfiguration", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecConfiguration.md")]
[OutputType(typeof(IExecConfigurationEntry))]
public sealed class GetIExecConfigurationCommand : IExecCmdlet
{
    /// <summary>
    /// The settings to show: Chain, Workerpool, Vault, TeeFramework, MaxFeePerGas, WorkerpoolApiUrl (every pin) or
    /// WorkerpoolApiUrl:&lt;address&gt; (wildcards allowed); default all.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Shows only the values saved in this scope: Process or CurrentUser.</summary>
    [Parameter]
    public DefaultsScope? Scope { get; set; }

    /// <summary>Writes one entry per matching setting; a literal name that is no setting is an error.</summary>
    protected override void ProcessRecord()
    {
        var store = SavedDefaults.Shared;
        var selected = new List<string>();
        var pins = new List<(string Name, string Value, string Scope)>();
        IEnumerable<(string Name, string Value, string Scope)> AllPins()
        {
            foreach (var scope in Scope is { } only ? [only] : new[] { DefaultsScope.Process, DefaultsScope.CurrentUser })
            {
                foreach (var (pool, url) in store.ReadWorkerpoolApiPins(scope))
                {
                    // Without -Scope, a Process pin hides the CurrentUser pin of the same workerpool, as for the settings.
                    if (Scope is null && scope == DefaultsScope.CurrentUser && store.GetWorkerpoolApiPin(pool).Scope == DefaultsScope.Process) continue;
                    yield return (IExecConfigurationEntry.PinName(pool.ToString()), url, scope.ToString());
                }
            }
        }

        foreach (var pattern in Name ?? ["*"])
        {
            if (WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                selected.AddRange(SavedDefaults.Names.Where(wildcard.IsMatch));
                pins.AddRange(AllPins().Where(pin => wildcard.IsMatch(pin.Name)));
                continue;
            }

            if (pattern.StartsWith(IExecConfigurationEntry.PinPrefix, StringComparison.OrdinalIgnoreCase))
            {
                pins.AddRange(AllPins().Where(pin => pattern.Equals(IExecConfigurationEntry.PinPrefix, StringComparison.OrdinalIgnoreCase)
                    || pin.Name.Equals(pattern, StringComparison.OrdinalIgnoreCase)));
                continue;
            }

            try
            {
                selected.Add(SavedDefaults.CanonicalName(pattern));
            }
            catch (IExecException ex)
            {
                WriteIExecError(ex);
            }
        }

        try
        {
            var scoped = Scope is { } scope ? store.Read(scope) : null;
            foreach (var name in selected.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (scoped is not null)
                {
                    if (scoped.TryGetValue(name, out var value))
                    {
                        WriteObject(new IExecConfigurationEntry { Name = name, Value = value, Scope = Scope!.Value.ToString(), Path = store.UserFilePath });
                    }

                    continue;
                }

                var (effective, from) = store.Get(name);
                WriteObject(new IExecConfigurationEntry { Name = name, Value = effective, Scope = from?.ToString() ?? "NotSet", Path = store.UserFilePath });
            }

            foreach (var pin in pins.DistinctBy(pin => (pin.Name, pin.Scope)))
            {
                WriteObject(new IExecConfigurationEntry { Name = pin.Name, Value = pin.Value, Scope = pin.Scope, Path = store.UserFilePath });
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
