using System.Collections;
using System.Management.Automation.Language;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Completers;

/// <summary>Completes <c>-TeeFramework</c> with the frameworks iExec's SMS serves: scone, gramine and tdx.</summary>
public sealed class TeeFrameworkCompleter : IArgumentCompleter
{
    /// <summary>Returns the frameworks starting with the typed word, lower case as in chain.json and the iexec CLI.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        Completions.StartingWith(TeeFrameworks.Names, wordToComplete);
}
