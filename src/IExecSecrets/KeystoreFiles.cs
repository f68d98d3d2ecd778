using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets;

/// <summary>
/// Finds and opens keystore files the way the iexec CLI 8.24 does: the global folder is <c>~/.ethereum/keystore</c>
/// on Linux, file names are <c>UTC--&lt;date&gt;--&lt;address&gt;</c>, and an address lookup takes the most recent
/// file whose third segment equals the address in any case.
/// </summary>
internal static class KeystoreFiles
{
    /// <summary>The CLI's global keystore folder for this operating system.</summary>
    public static string DefaultDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsLinux())
        {
            return Path.Combine(home, ".ethereum", "keystore");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Ethereum", "keystore");
        }

        return OperatingSystem.IsWindows() ? Path.Combine(home, "AppData", "Roaming", "Ethereum", "keystore") : home;
    }

    /// <summary>The most recent keystore of <paramref name="address"/> in <paramref name="directory"/>, or WalletNotFound.</summary>
    public static string FindByAddress(string directory, EthAddress address)
    {
        if (!Directory.Exists(directory))
        {
            throw new IExecException(
                ErrorIds.KeystoreDirectoryNotFound,
                IExecErrorCategory.ObjectNotFound,
                $"Missing keystore directory {directory}, did you forget to run \"New-IExecWallet\"?",
                directory);
        }

        var wanted = address.ToLowerHex().Substring(2);
        var match = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, Parts: System.IO.Path.GetFileName(path).Split("--")))
            .Where(file => file.Parts.Length == 3
                && string.Equals(file.Parts[2].StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? file.Parts[2][2..] : file.Parts[2], wanted, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(file => file.Parts[1], StringComparer.Ordinal)
            .Select(file => file.Path)
            .FirstOrDefault();
        return match ?? throw new IExecException(
            ErrorIds.WalletNotFound,
            IExecErrorCategory.ObjectNotFound,
            $"No wallet file matching address {address} found in {directory}.",
            address.ToString());
    }

    /// <summary>Reads and decrypts <paramref name="path"/> with <paramref name="password"/>, zeroing the password bytes.</summary>
    public static WalletKey Decrypt(string path, SecureString password)
    {
        var json = ReadKeystoreText(path);
        var passwordBytes = SecureStrings.ToUtf8Bytes(password);
        try
        {
            return KeystoreV3.Decrypt(json, passwordBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>The keystore JSON text of <paramref name="path"/>, or WalletNotFound when the file does not exist.</summary>
    public static string ReadKeystoreText(string path)
    {
        if (!File.Exists(path))
        {
            throw new IExecException(ErrorIds.WalletNotFound, IExecErrorCategory.ObjectNotFound, $"The keystore file {path} does not exist.", path);
        }

        return File.ReadAllText(path);
    }

    /// <summary>The CLI's file name for a new keystore: <c>UTC--YYYY-MM-DDTHH-MM-SS.mmm000000Z--&lt;EIP-55 address without 0x&gt;</c>.</summary>
    public static string FileNameFor(EthAddress address, DateTimeOffset now) =>
        $"UTC--{now.UtcDateTime:yyyy-MM-ddTHH-mm-ss.fff}000000Z--{address.ToString()[2..]}";
}
