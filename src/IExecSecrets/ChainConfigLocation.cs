namespace IExecSecrets;

/// <summary>
/// Where a command reads its chain file when one is named rather than taken from the current folder: the command's
/// <c>-ChainConfigPath</c>, else the <see cref="VariableName"/> environment variable (for CI, where no user file is
/// saved). The saved ChainConfigPath (Set-IExecConfiguration) comes next and is applied by Core's resolver; the
/// current folder's chain.json comes last.
/// </summary>
internal static class ChainConfigLocation
{
    /// <summary>The environment variable naming the chain file, e.g. in a CI job.</summary>
    public const string VariableName = "IEXECSECRETS_CHAIN_CONFIG_PATH";

    /// <summary>
    /// The full path of the chain file <paramref name="parameter"/> names (relative to the current PowerShell location,
    /// like any -Path), else of the environment variable's file; null when neither is set.
    /// </summary>
    public static string? Explicit(PSCmdlet cmdlet, string? parameter)
    {
        var path = string.IsNullOrWhiteSpace(parameter) ? Environment.GetEnvironmentVariable(VariableName) : parameter;
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        return cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }

    /// <summary>The environment variable's file as a full path (relative to the process folder), or null; for completers, which have no cmdlet.</summary>
    public static string? FromEnvironment() =>
        Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } path && !string.IsNullOrWhiteSpace(path) ? Path.GetFullPath(path) : null;
}
