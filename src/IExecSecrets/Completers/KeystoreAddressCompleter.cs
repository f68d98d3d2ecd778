using System.Collections;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets.Completers;

/// <summary>
/// Completes a keystore <c>-Address</c> with the addresses of the keystore files in the keystore folder
/// (<c>-KeystoreDirectory</c> when typed, else the iexec CLI's global folder), newest first, read from the files'
/// <c>address</c> field without any password. Unreadable files and a missing folder contribute nothing.
/// </summary>
public sealed class KeystoreAddressCompleter : NameCompleter
{
    /// <inheritdoc/>
    /// <remarks>Checksummed addresses.</remarks>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) =>
        Addresses(Completions.Bound(fakeBoundParameters, "KeystoreDirectory"));

    private static IReadOnlyList<string> Addresses(string? folder)
    {
        try
        {
            var directory = folder is null
                ? KeystoreDirectory.Global()
                : new KeystoreDirectory(Path.GetFullPath(folder, Completions.CurrentDirectory()));
            var addresses = new List<string>();
            foreach (var file in directory.List())
            {
                try
                {
                    addresses.Add(KeystoreV3.ReadAddress(KeystoreDirectory.ReadWalletFile(file)).ToString());
                }
                catch (Exception ex) when (ex is IExecException or IOException or UnauthorizedAccessException)
                {
                    // A broken file is Connect-IExecWallet's to report, not tab completion's.
                }
            }

            return addresses;
        }
        catch (Exception ex) when (ex is IExecException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }
}
