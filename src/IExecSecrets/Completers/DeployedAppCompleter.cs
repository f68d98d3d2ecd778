namespace IExecSecrets.Completers;

/// <summary>
/// Completes <c>-App</c> with the app recorded in <c>./deployed.json</c> for the chain (the typed <c>-Chain</c>, else
/// chain.json's default), the address the cmdlets fall back to. Reads local files only; any failure offers nothing.
/// </summary>
public sealed class DeployedAppCompleter() : DeployedEntryCompleter("app");
