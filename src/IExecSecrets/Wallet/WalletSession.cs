using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// The wallet connected with <c>Connect-IExecWallet</c>, one per runspace: two runspaces in one process (jobs,
/// parallel runbooks) never sign with each other's key. Replacing or removing a wallet disposes the previous signer,
/// which zeroes its key, and a closed runspace drops its wallet the same way.
/// </summary>
public static class WalletSession
{
    private static readonly ConcurrentDictionary<Guid, ConnectedWallet> Wallets = new();

    /// <summary>The wallet of the current runspace, or null when none is connected.</summary>
    public static ConnectedWallet? Current
    {
        get
        {
            var key = CurrentKey();
            return key is Guid id && Wallets.TryGetValue(id, out var wallet) ? wallet : null;
        }
    }

    /// <summary>
    /// Returns the connected wallet or throws <see cref="ErrorIds.WalletNotConnected"/> telling the user how to connect.
    /// </summary>
    public static ConnectedWallet Require() =>
        Current ?? throw new IExecException(
            ErrorIds.WalletNotConnected,
            "No wallet is connected in this session.")
        {
            RecommendedAction = "Run Connect-IExecWallet (keystore file, -Address lookup, -Vault or -PrivateKey) first.",
        };

    /// <summary>Makes <paramref name="wallet"/> the current runspace's wallet, disposing the one it replaces.</summary>
    public static void Connect(ConnectedWallet wallet)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        var runspace = Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("A wallet can only be connected from a PowerShell pipeline thread.");
        ConnectedWallet? replaced = null;
        Wallets.AddOrUpdate(
            runspace.InstanceId,
            _ =>
            {
                runspace.StateChanged += OnRunspaceStateChanged;
                return wallet;
            },
            (_, previous) =>
            {
                replaced = previous;
                return wallet;
            });
        if (replaced is not null && !ReferenceEquals(replaced, wallet))
        {
            replaced.Dispose();
        }
    }

    /// <summary>Removes and disposes the current runspace's wallet; returns it (already zeroed) or null.</summary>
    public static ConnectedWallet? Disconnect()
    {
        var key = CurrentKey();
        if (key is Guid id && Wallets.TryRemove(id, out var wallet))
        {
            wallet.Dispose();
            return wallet;
        }

        return null;
    }

    private static Guid? CurrentKey() => Runspace.DefaultRunspace?.InstanceId;

    private static void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is Runspace runspace && e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
        {
            runspace.StateChanged -= OnRunspaceStateChanged;
            if (Wallets.TryRemove(runspace.InstanceId, out var wallet))
            {
                wallet.Dispose();
            }
        }
    }
}
