using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets.Commands;

/// <summary>Shows the connected wallet, or the addresses of keystore files without decrypting them.</summary>
/// <remarks>
/// <para>Without parameters, writes the wallet connected in this session, or fails with WalletNotConnected.</para>
/// <para>With -Path, reads the address field of a keystore file without asking for its password, like the read-only
/// commands of the iexec CLI. With -ListAvailable, lists every keystore file of the keystore folder.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecWallet</code>
/// <para>Shows the address of the connected wallet and where its key came from.</para>
/// </example>
/// <example>
/// <code>Get-IExecWallet -ListAvailable</code>
/// <para>Lists the address of every keystore file in ~/.ethereum/keystore, newest first, without decrypting any of
/// them.</para>
/// </example>
/// <input type="System.String">System.String: keystore paths, bound to -Path by the KeystorePath property.</input>
/// <output type="IExecSecrets.Output.IExecWallet">IExecSecrets.Output.IExecWallet</output>
[Cmdlet(VerbsCommon.Get, "IExecWallet", DefaultParameterSetName = ConnectedParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecWallet.md")]
[OutputType(typeof(IExecWallet))]
public sealed class GetIExecWalletCommand : IExecCmdlet
{
    private const string ConnectedParameterSet = "Connected";
    private const string PathParameterSet = "Path";
    private const string DirectoryParameterSet = "KeystoreDirectory";

    /// <summary>
    /// A keystore file whose address is read without decrypting it. Accepts KeystorePath from the pipeline.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("KeystorePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// The folder listed with -ListAvailable. Default: the iexec CLI's global keystore folder (~/.ethereum/keystore on
    /// Linux).
    /// </summary>
    [Parameter(ParameterSetName = DirectoryParameterSet)]
    public string? KeystoreDirectory { get; set; }

    /// <summary>Lists the keystore files of the keystore folder instead of the connected wallet.</summary>
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
