using System.Collections;
using System.Management.Automation.Language;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes the iExec tag parameters (<c>-Tag</c>, <c>-MinTag</c>, <c>-MaxTag</c>) with the tags PoCo knows (tee,
/// scone, gramine, tdx, gpu) and the usual TEE pairs; in a comma list (<c>tee,sc</c>) it completes the last name and
/// leaves out the names already given, instead of completing file names.
/// </summary>
public sealed class IExecTagCompleter : IArgumentCompleter
{
    /// <summary>The tag names, in the order of their bits in the PoCo tag.</summary>
    public static readonly IReadOnlyList<string> Names = ["tee", "scone", "gramine", "tdx", "gpu"];

    private static readonly string[] Pairs = ["tee,scone", "tee,gramine", "tee,tdx"];

    /// <summary>Returns tag names or comma lists starting with the typed word.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var quote = wordToComplete is { Length: > 0 } && wordToComplete[0] is '\'' or '"' ? wordToComplete[..1] : string.Empty;
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var comma = word.LastIndexOf(',');
        if (comma < 0)
        {
            // "tee" offers tee itself and the pairs that start with it; an array element ("tee,sc" typed unquoted
            // reaches here as "sc") completes as one name.
            return Completions.StartingWith(Names.Concat(Pairs), word);
        }

        // A quoted list ('tee,sc) is completed inside its quotes, so the line stays one argument.
        var given = word[..comma].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var prefix = word[..(comma + 1)];
        return Completions.StartingWith(
            Names.Where(n => !given.Contains(n, StringComparer.OrdinalIgnoreCase)).Select(n => prefix + n),
            word).Select(c => quote.Length == 0 ? c : new CompletionResult(quote + c.CompletionText + quote, c.ListItemText, c.ResultType, c.ToolTip));
    }
}
