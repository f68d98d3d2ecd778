using System.Collections;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes an address parameter with the entry of one kind (<c>app</c>, <c>dataset</c>) recorded in
/// <c>./deployed.json</c> for the chain (the typed <c>-Chain</c>, else chain.json's default): the address the cmdlets
/// fall back to. Reads local files only; any failure offers nothing.
/// </summary>
public abstract class DeployedEntryCompleter(string kind) : NameCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters)
    {
        var directory = Completions.CurrentDirectory();
        try
        {
            var chain = ChainResolver.FromDirectory(directory, SavedDefaults.Shared.Snapshot()).Resolve(Completions.Bound(fakeBoundParameters, "Chain"));
            var address = ProjectFiles.ReadDeployedAddress(directory, kind, chain.ChainId);
            return address is null ? [] : [address.Value.ToString()];
        }
        catch (Exception ex) when (ex is IExecException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return [];
        }
    }
}

/// <summary>Completes <c>-Dataset</c> with the dataset recorded in <c>./deployed.json</c> for the chain.</summary>
public sealed class DeployedDatasetCompleter() : DeployedEntryCompleter("dataset");
