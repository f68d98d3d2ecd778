namespace IExecSecrets.Commands;

/// <summary>Disconnects the session's wallet and zeroes its private key in memory.</summary>
/// <remarks>
/// Removes the wallet connected in the current session and overwrites its private key with zeros. Commands that sign
/// then fail with WalletNotConnected until a wallet is connected again. Running it when no wallet is connected is not
/// an error.
/// </remarks>
/// <example>
/// <code>Disconnect-IExecWallet</code>
/// <para>Disconnects the wallet and zeroes its key; nothing is written to the pipeline.</para>
/// </example>
/// <example>
/// <code>Disconnect-IExecWallet -PassThru</code>
/// <para>Disconnects the wallet and writes which address was disconnected, for a runbook log.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecWallet">IExecSecrets.Output.IExecWallet, only with -PassThru.</output>
[Cmdlet(VerbsCommunications.Disconnect, "IExecWallet", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Disconnect-IExecWallet.md")]
[OutputType(typeof(IExecWallet))]
public sealed class DisconnectIExecWalletCommand : IExecCmdlet
{
    /// <summary>Writes a description (address and origin, never the key) of the wallet that was disconnected.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Removes the runspace's wallet and disposes its key; nothing connected is not an error.</summary>
    protected override void EndProcessing()
    {
        var wallet = WalletSession.Disconnect();
        if (wallet is null)
        {
            WriteVerbose("No wallet was connected in this session.");
            return;
        }

        WriteVerbose($"Disconnected wallet {wallet.Address}; its key was zeroed.");
        if (PassThru)
        {
            WriteObject(new IExecWallet
            {
                Address = wallet.Address.ToString(),
                Source = wallet.Source,
                KeystorePath = wallet.KeystorePath,
                IsConnected = false,
                ConnectedAt = wallet.ConnectedAt,
            });
        }
    }
}
