namespace IExecSecrets;

/// <summary>
/// Runs when <c>Remove-Module IExecSecrets</c> removes the module from a session: the session's connected wallet is
/// disconnected, which zeroes its key, so a later <c>Import-Module</c> starts without a wallet. The assembly itself
/// stays loaded in the process (.NET cannot unload it), so forgetting the key here is the only way to drop it.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <summary>
    /// Disconnects the wallet of the runspace that removes the module (other runspaces keep theirs) and forgets the
    /// shared SMS clients (a client still in use by another runspace is disposed when that command ends).
    /// </summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        WalletSession.Disconnect();
        Core.Sms.SmsClientCache.Shared.Clear();
    }
}
