using System.Collections;
using System.Management.Automation.Language;

namespace IExecSecrets.Completers;

/// <summary>
/// A completer that offers a list of names: the ones starting with the typed word (quotes ignored, any case), each
/// once, in the order <see cref="Names"/> gives them. Each completer says only where its names come from.
/// </summary>
public abstract class NameCompleter : IArgumentCompleter
{
    /// <summary>Returns the names starting with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        Completions.StartingWith(Names(fakeBoundParameters), wordToComplete);

    /// <summary>
    /// The candidate names, given the parameters already typed on the command line. Completion must never throw: a
    /// source that fails offers nothing.
    /// </summary>
    protected abstract IEnumerable<string> Names(IDictionary fakeBoundParameters);
}
