using System.Collections;
using System.Management.Automation.Language;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-Vault</c> with the names of the registered SecretManagement vaults (Get-SecretVault), default vault
/// first. Without SecretManagement, or when it fails, nothing is offered: completion never throws or prompts.
/// </summary>
public sealed class VaultNameCompleter : IArgumentCompleter
{
    /// <summary>Returns the registered vault names starting with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        Completions.StartingWith(VaultNames(), wordToComplete);

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
