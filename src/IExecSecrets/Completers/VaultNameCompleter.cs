using System.Collections;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-Vault</c> with the names of the registered SecretManagement vaults (Get-SecretVault), default vault
/// first. Without SecretManagement, or when it fails, nothing is offered: completion never throws or prompts.
/// </summary>
public sealed class VaultNameCompleter : NameCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => VaultNames();

    private static IReadOnlyList<string> VaultNames()
    {
        try
        {
            using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            // Module-qualified, like the reader: never a same-named function; ErrorAction Ignore keeps $Error clean.
            powershell.AddCommand("Microsoft.PowerShell.SecretManagement\\Get-SecretVault").AddParameter("ErrorAction", ActionPreference.Ignore);
            return powershell.Invoke()
                .Where(v => v?.Properties["Name"]?.Value is string)
                .OrderByDescending(v => v.Properties["IsDefault"]?.Value is true)
                .Select(v => (string)v.Properties["Name"].Value)
                .ToArray();
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            // Not installed, or a vault extension failing: tab completion offers nothing rather than an error.
            return [];
        }
    }
}
