using System.Management.Automation;

namespace IExecSecrets.Completers;

/// <summary>What every argument completer of the module does with its candidate names.</summary>
internal static class Completions
{
    /// <summary>
    /// The <paramref name="names"/> that start with the typed word (quotes ignored, any case), each once, in order, as
    /// parameter-value completions.
    /// </summary>
    public static IEnumerable<CompletionResult> StartingWith(IEnumerable<string> names, string? wordToComplete)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return names
            .Distinct(StringComparer.Ordinal)
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
