using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text.Json;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-Chain</c> with the built-in chain names plus the names declared under <c>chains</c> in
/// <c>./chain.json</c> of the current PowerShell location. An unreadable chain.json simply contributes nothing:
/// completion must never throw.
/// </summary>
public sealed class ChainNameCompleter : IArgumentCompleter
{
    /// <summary>The chains every iExec SDK 8.24 knows without a chain.json.</summary>
    public static readonly IReadOnlyList<string> BuiltInChains = new[] { "bellecour", "arbitrum-sepolia-testnet", "arbitrum-mainnet" };

    /// <summary>Returns the chain names starting with the typed word, built-ins first, each once.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var names = BuiltInChains.Concat(ReadChainJsonNames(CurrentDirectory()))
            .Distinct(StringComparer.Ordinal)
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        foreach (var name in names)
        {
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }

    /// <summary>The chain names declared in <c>chain.json</c> of <paramref name="directory"/>; empty when absent or malformed.</summary>
    public static IReadOnlyList<string> ReadChainJsonNames(string directory)
    {
        try
        {
            var path = Path.Combine(directory, "chain.json");
            if (!File.Exists(path))
            {
                return Array.Empty<string>();
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("chains", out var chains)
                && chains.ValueKind == JsonValueKind.Object)
            {
                return chains.EnumerateObject().Select(chain => chain.Name).ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // A half-written chain.json must not break tab completion; the cmdlet itself reports it properly.
        }

        return Array.Empty<string>();
    }

    private static string CurrentDirectory()
    {
        try
        {
            var location = Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
            if (!string.IsNullOrEmpty(location))
            {
                return location;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or PSInvalidOperationException)
        {
            // The runspace is busy running the completion itself; the process directory is the best answer then.
        }

        return Environment.CurrentDirectory;
    }
}
