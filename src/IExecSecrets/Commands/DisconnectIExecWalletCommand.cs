using System.Management.Automation;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Disconnects the session's wallet and zeroes its private key in memory.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "IExecWallet")]
[OutputType(typeof(IExecWallet))]
public sealed class DisconnectIExecWalletCommand : IExecCmdlet
{
    /// <summary>Writes the wallet that was disconnected (address and origin only).</summary>
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
