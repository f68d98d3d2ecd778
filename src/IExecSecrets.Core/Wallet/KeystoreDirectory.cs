using System.Globalization;
using System.Runtime.InteropServices;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// A folder of keystore files laid out as the iexec CLI (and geth, apart from letter case) does: one file per wallet
/// named <c>UTC--YYYY-MM-DDTHH-MM-SS.mmm000000Z--&lt;EIP-55 address without 0x&gt;</c>. Finding a wallet never
/// decrypts anything.
/// </summary>
public sealed class KeystoreDirectory
{
    private const string Separator = "--";

    /// <summary>Wraps the folder at <paramref name="path"/>; the folder need not exist yet.</summary>
    public KeystoreDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    /// <summary>The folder this instance reads and writes.</summary>
    public string Path { get; }

    /// <summary>
    /// The CLI's <c>--keystoredir global</c> folder: <c>$HOME/.ethereum/keystore</c> on Linux,
    /// <c>$HOME/Library/Ethereum/keystore</c> on macOS, <c>%USERPROFILE%/AppData/Roaming/Ethereum/keystore</c> on
    /// Windows, and the home folder itself elsewhere. <paramref name="home"/> overrides the home folder (for tests).
    /// </summary>
    public static KeystoreDirectory Global(string? home = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string relative;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) relative = ".ethereum/keystore";
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) relative = "Library/Ethereum/keystore";
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) relative = "AppData/Roaming/Ethereum/keystore";
        else relative = "";
        return new KeystoreDirectory(System.IO.Path.GetFullPath(System.IO.Path.Combine(home, relative)));
    }

    /// <summary>The file name the CLI gives a wallet created at <paramref name="time"/> (converted to UTC).</summary>
    public static string FileNameFor(EthAddress address, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var date = utc.ToString("yyyy-MM-dd'T'HH-mm-ss.fff", CultureInfo.InvariantCulture);
        return $"UTC{Separator}{date}000000Z{Separator}{address.ToString()[2..]}";
    }

    /// <summary>
    /// The full path of the most recent wallet file for <paramref name="address"/> (compared case-insensitively,
    /// with or without <c>0x</c>, against the third <c>--</c> segment of each name). A missing folder throws
    /// <see cref="ErrorIds.KeystoreDirectoryNotFound"/>; no matching file throws <see cref="ErrorIds.WalletNotFound"/>.
    /// </summary>
    public string FindByAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var wanted = address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : address;
        var match = WalletFiles()
            .Where(file => string.Equals(file.Address, wanted, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(file => file.Date, StringComparer.Ordinal)
            .ThenByDescending(file => file.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (match is null)
            throw new IExecException(ErrorIds.WalletNotFound, IExecErrorCategory.ObjectNotFound,
                $"No wallet file matching address {address} found in {Path}", target: address);
        return System.IO.Path.Combine(Path, match.Name);
    }

    /// <summary>
    /// The full path of the most recent wallet file (descending order of the date segment), or null when the folder
    /// holds none. A missing folder throws <see cref="ErrorIds.KeystoreDirectoryNotFound"/>.
    /// </summary>
    public string? FindLatest()
    {
        var latest = WalletFiles()
            .OrderByDescending(file => file.Date, StringComparer.Ordinal)
            .ThenByDescending(file => file.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return latest is null ? null : System.IO.Path.Combine(Path, latest.Name);
    }

    /// <summary>
    /// The full paths of every wallet file in the folder, most recent first (descending date segment, then name); files
    /// that do not follow the naming rule are left out. A missing folder throws <see cref="ErrorIds.KeystoreDirectoryNotFound"/>.
    /// </summary>
    public IReadOnlyList<string> List() =>
        WalletFiles()
            .OrderByDescending(file => file.Date, StringComparer.Ordinal)
            .ThenByDescending(file => file.Name, StringComparer.Ordinal)
            .Select(file => System.IO.Path.Combine(Path, file.Name))
            .ToArray();

    /// <summary>
    /// The keystore JSON text of the file at <paramref name="path"/> (any folder); a file that does not exist throws
    /// <see cref="ErrorIds.WalletNotFound"/> with the path as target. The text holds only the encrypted key.
    /// </summary>
    public static string ReadWalletFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IExecException(ErrorIds.WalletNotFound, IExecErrorCategory.ObjectNotFound,
                $"The keystore file {path} does not exist", target: path, inner: e);
        }
    }

    /// <summary>
    /// Writes <paramref name="keystoreJson"/> as a new file named for <paramref name="address"/> and
    /// <paramref name="time"/>, creating the folder when needed, and returns its full path. On Unix the file is
    /// readable by its owner only. An existing file is never overwritten (<see cref="IOException"/>).
    /// </summary>
    public string Save(string keystoreJson, EthAddress address, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(keystoreJson);
        Directory.CreateDirectory(Path);
        var path = System.IO.Path.Combine(Path, FileNameFor(address, time));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(keystoreJson);
        }
        return path;
    }

    private IEnumerable<WalletFileName> WalletFiles()
    {
        string[] names;
        try
        {
            names = Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OfType<string>().ToArray();
        }
        catch (DirectoryNotFoundException e)
        {
            throw new IExecException(ErrorIds.KeystoreDirectoryNotFound, IExecErrorCategory.ObjectNotFound,
                $"Missing keystore directory {Path}, did you forget to run \"iexec wallet create\" ?", target: Path, inner: e);
        }
        foreach (var name in names)
        {
            // The CLI keeps any name whose third "--" segment is non-empty, whatever the rest looks like.
            var parts = name.Split(Separator);
            if (parts.Length >= 3 && parts[2].Length > 0) yield return new WalletFileName(name, parts[1], parts[2]);
        }
    }

    private sealed record WalletFileName(string Name, string Date, string Address);
}
