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

    /// <summary>
    /// The session's current file-system folder. Completion runs on the pipeline thread while the runspace is busy,
    /// so SessionStateProxy is off limits; a script block on this thread still reads the session's location (the
    /// process directory is not it in pwsh).
    /// </summary>
    public static string CurrentDirectory()
    {
        try
        {
            var location = ScriptBlock.Create("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath").Invoke();
            if (location.Count == 1 && location[0]?.BaseObject is string path && path.Length > 0)
            {
                return path;
            }
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            // No runspace on this thread (a direct .NET call); the process directory is the best answer then.
        }

        return Environment.CurrentDirectory;
    }

    /// <summary>The value of a parameter already typed on the command line, as text, or null.</summary>
    public static string? Bound(System.Collections.IDictionary fakeBoundParameters, string name) =>
        fakeBoundParameters.Contains(name) ? (fakeBoundParameters[name] is PSObject wrapped ? wrapped.BaseObject : fakeBoundParameters[name])?.ToString() : null;
}
