using System.Management.Automation;

namespace IExecSecrets;

/// <summary>
/// Runs when <c>Remove-Module IExecSecrets</c> removes the module from a session: the session's connected wallet is
/// disconnected, which zeroes its key, so a later <c>Import-Module</c> starts without a wallet. The assembly itself
/// stays loaded in the process (.NET cannot unload it), so forgetting the key here is the only way to drop it.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <summary>Disconnects the wallet of the runspace that removes the module; other runspaces keep theirs.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => WalletSession.Disconnect();
}
