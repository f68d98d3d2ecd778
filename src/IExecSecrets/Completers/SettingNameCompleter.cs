using System.Collections;
using System.Management.Automation.Language;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Completers;

/// <summary>Completes the setting names of the saved defaults: Chain, Workerpool, Vault, TeeFramework and MaxFeePerGas.</summary>
public sealed class SettingNameCompleter : IArgumentCompleter
{
    /// <summary>Returns the setting names starting with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        Completions.StartingWith(SavedDefaults.Names, wordToComplete);
}
