using System.Management.Automation;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Shows the connected wallet, or the addresses of keystore files without decrypting them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "IExecWallet", DefaultParameterSetName = ConnectedParameterSet)]
[OutputType(typeof(IExecWallet))]
public sealed class GetIExecWalletCommand : IExecCmdlet
{
    private const string ConnectedParameterSet = "Connected";
    private const string PathParameterSet = "Path";
    private const string DirectoryParameterSet = "KeystoreDirectory";

    /// <summary>A keystore file whose address is read without the password.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("KeystorePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Lists every keystore file of this folder (default: the iexec CLI's global keystore folder).</summary>
    [Parameter(ParameterSetName = DirectoryParameterSet)]
    public string? KeystoreDirectory { get; set; }

    /// <summary>Lists keystore files instead of the connected wallet.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DirectoryParameterSet)]
    public SwitchParameter ListAvailable { get; set; }

    /// <summary>Describes one keystore file per piped path.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != PathParameterSet)
        {
            return;
        }

        try
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            WriteObject(DescribeKeystore(path));
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <summary>Writes the connected wallet, or the keystore listing.</summary>
    protected override void EndProcessing()
    {
        try
        {
            if (ParameterSetName == ConnectedParameterSet)
            {
                // Non-terminating: "no wallet" is an answer, not a failure of the command, so
                // -ErrorAction SilentlyContinue gives nothing and a script can test the result.
                var wallet = WalletSession.Current;
                if (wallet is null)
                {
                    try
                    {
                        WalletSession.Require();
                    }
                    catch (IExecException ex)
                    {
                        WriteIExecError(ex);
                    }

                    return;
                }

                WriteObject(WalletOutput.Describe(wallet));
            }
            else if (ParameterSetName == DirectoryParameterSet)
            {
                foreach (var file in KeystoreFiles.Folder(this, KeystoreDirectory).List())
                {
                    try
                    {
                        WriteObject(DescribeKeystore(file));
                    }
                    catch (IExecException ex)
                    {
                        WriteIExecError(ex);
                    }
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    private static IExecWallet DescribeKeystore(string path)
    {
        var address = KeystoreV3.ReadAddress(Core.Wallet.KeystoreDirectory.ReadWalletFile(path));
        var connected = WalletSession.Current;
        return new IExecWallet
        {
            Address = address.ToString(),
            Source = "Keystore",
            KeystorePath = path,
            IsConnected = connected is not null && connected.Address == address && !connected.IsDisposed,
            ConnectedAt = connected is not null && connected.Address == address ? connected.ConnectedAt : null,
        };
    }
}
