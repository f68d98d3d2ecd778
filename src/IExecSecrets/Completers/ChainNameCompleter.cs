using System.Collections;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-Chain</c> with the names the cmdlets can resolve from the current PowerShell location: the chains of
/// <c>./chain.json</c>, or the built-in chains of the <c>iexec init</c> template when there is none. An unreadable or
/// invalid chain.json contributes nothing: completion must never throw.
/// </summary>
public sealed class ChainNameCompleter : NameCompleter
{
    /// <inheritdoc/>
    /// <remarks>In file order.</remarks>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => ResolvableChainNames(CurrentDirectory());

    private static IReadOnlyList<string> ResolvableChainNames(string directory)
    {
        try
        {
            return ChainResolver.FromDirectory(directory, SavedDefaults.Shared.Snapshot(), ChainConfigLocation.FromEnvironment()).ChainNames;
        }
        catch (Exception ex) when (ex is IExecException or IOException or UnauthorizedAccessException)
        {
            // A half-written chain.json must not break tab completion; the cmdlet itself reports it properly.
            return Array.Empty<string>();
        }
    }

    private static string CurrentDirectory() => Completions.CurrentDirectory();
}
