using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace IExecSecrets.Completers;

/// <summary>Completes <c>-TeeFramework</c> with the frameworks iExec's SMS serves: scone, gramine and tdx.</summary>
public sealed class TeeFrameworkCompleter : IArgumentCompleter
{
    /// <summary>The accepted framework names, lower case as in chain.json and the iexec CLI.</summary>
    public static readonly IReadOnlyList<string> Frameworks = new[] { "scone", "gramine", "tdx" };

    /// <summary>Returns the frameworks starting with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Frameworks
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
