using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-App</c> with the app recorded in <c>./deployed.json</c> for the chain (the typed <c>-Chain</c>, else
/// chain.json's default), the address the cmdlets fall back to. Reads local files only; any failure offers nothing.
/// </summary>
public sealed class DeployedAppCompleter : IArgumentCompleter
{
    /// <summary>Returns the deployed app's address when it starts with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var directory = Completions.CurrentDirectory();
        try
        {
            var chain = ChainResolver.FromDirectory(directory, SavedDefaults.Shared.Snapshot()).Resolve(Completions.Bound(fakeBoundParameters, "Chain"));
            var app = ProjectFiles.ReadDeployedAddress(directory, "app", chain.ChainId);
            return app is null ? [] : Completions.StartingWith([app.Value.ToString()], wordToComplete);
        }
        catch (Exception ex) when (ex is IExecException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
