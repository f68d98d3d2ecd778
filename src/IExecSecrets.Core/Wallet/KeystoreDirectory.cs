using System.Globalization;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// A folder of keystore files laid out as the iexec CLI (and geth, apart from letter case) does: one file per wallet
/// named <c>UTC--YYYY-MM-DDTHH-MM-SS.mmm000000Z--&lt;EIP-55 address without 0x&gt;</c>. Finding a wallet never
/// decrypts anything.
/// </summary>
public sealed class KeystoreDirectory
{
    private const string Separator = "--";

    private readonly HostPlatform _platform;

    /// <summary>Wraps the folder at <paramref name="path"/>; the folder need not exist yet.</summary>
    public KeystoreDirectory(string path) : this(path, HostPlatform.Current)
    {
    }

    /// <summary>Wraps the folder at <paramref name="path"/>, creating files as private on <paramref name="platform"/>.</summary>
    public KeystoreDirectory(string path, HostPlatform platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(platform);
        Path = path;
        _platform = platform;
    }

    /// <summary>The folder this instance reads and writes.</summary>
    public string Path { get; }

    /// <summary>
    /// The CLI's <c>--keystoredir global</c> folder on this system: see <see cref="Global(HostPlatform)"/>.
    /// <paramref name="home"/> overrides the home folder.
    /// </summary>
    public static KeystoreDirectory Global(string? home = null)
    {
        return Global(home is null ? HostPlatform.Current : HostPlatform.Current.WithHomeDirectory(home));
    }

    /// <summary>
    /// The CLI's <c>--keystoredir global</c> folder on <paramref name="platform"/>, the home folder joined with
    /// <c>.ethereum/keystore</c> on Linux, <c>Library/Ethereum/keystore</c> on macOS,
    /// <c>AppData/Roaming/Ethereum/keystore</c> on Windows, and nothing (the home folder itself) elsewhere.
    /// </summary>
    /// <remarks>
    /// Exactly as iexec-sdk's <c>src/cli/utils/keystore.js</c> (<c>osDefaultPathMap</c> keyed by Node's
    /// <c>os.platform()</c>: linux, darwin, win32, fallback; joined to <c>os.homedir()</c>, i.e. <c>%USERPROFILE%</c> on
    /// Windows, not <c>%APPDATA%</c>: with a redirected roaming profile the CLI still uses the home folder's
    /// <c>AppData\Roaming</c>, and so does this module so that both find the same wallets).
    /// </remarks>
    public static KeystoreDirectory Global(HostPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var relative = platform.Os switch
        {
            HostOs.Linux => ".ethereum/keystore",
            HostOs.MacOS => "Library/Ethereum/keystore",
            HostOs.Windows => "AppData/Roaming/Ethereum/keystore",
            _ => "",
        };
        return new KeystoreDirectory(platform.FullPath(platform.Combine(platform.HomeDirectory, relative)), platform);
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
            throw new IExecException(ErrorIds.WalletNotFound,
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
            // Read at most a little over the keystore size limit: a huge file, a FIFO or /dev/zero is refused as
            // InvalidKeystore instead of filling memory or blocking for ever on an endless read.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var limit = KeystoreV3.MaxKeystoreChars * 4 + 1;
            var buffer = new byte[limit];
            var total = 0;
            int read;
            while (total < limit && (read = stream.Read(buffer, total, limit - total)) > 0) total += read;
            if (total >= limit)
                throw new IExecException(ErrorIds.InvalidKeystore,
                    $"The keystore file {path} is larger than any keystore ({KeystoreV3.MaxKeystoreChars} characters at most).", target: path);
            using var reader = new StreamReader(new MemoryStream(buffer, 0, total), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IExecException(ErrorIds.WalletNotFound,
                $"The keystore file {path} does not exist", target: path, inner: e);
        }
    }

    /// <summary>
    /// Writes <paramref name="keystoreJson"/> as a new file named for <paramref name="address"/> and
    /// <paramref name="time"/> and returns its full path. The write is atomic: the text goes to a temporary file in the
    /// same folder (owner read/write only: 0600 on Unix, an ACL for the current user alone on Windows), is flushed to
    /// disk (fsync), and is then linked under its final name without ever replacing an existing file; on any failure
    /// the temporary file is deleted, so the folder never holds a partial keystore. A folder that does not exist is
    /// created owner-only (0700 on Unix, as geth does; the owner-only ACL on Windows); an existing folder's permissions
    /// are left alone (it may be shared with the iexec CLI; the file itself is private either way). An existing file of that name throws <see cref="ErrorIds.WalletAlreadyExists"/>; any other
    /// I/O failure throws <see cref="ErrorIds.KeystoreWriteFailed"/>, both with the path as target.
    /// </summary>
    public string Save(string keystoreJson, EthAddress address, DateTimeOffset time) =>
        Save(keystoreJson, address, time, beforeRename: null);

    // beforeRename is a test seam: it runs after the temporary file is written and synced, before the rename.
    internal string Save(string keystoreJson, EthAddress address, DateTimeOffset time, Action<string>? beforeRename)
    {
        ArgumentNullException.ThrowIfNull(keystoreJson);
        var path = System.IO.Path.Combine(Path, FileNameFor(address, time));
        string? temporary = null;
        try
        {
            if (!Directory.Exists(Path)) _platform.CreatePrivateDirectory(Path);
            if (File.Exists(path)) throw Exists(path);
            // A dot name the CLI's "--" lookup never matches, random so two writers never share it.
            temporary = System.IO.Path.Combine(Path, $".tmp-{Guid.NewGuid():N}");
            using (var stream = _platform.CreatePrivateFile(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(keystoreJson);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(temporary);
            // On Unix, File.Move without overwrite links the new name and unlinks the old one: it fails rather than
            // replace a file created meanwhile, and the final name only ever points at a complete file.
            File.Move(temporary, path, overwrite: false);
            temporary = null;
            return path;
        }
        catch (IOException e) when (File.Exists(path) && e is not FileNotFoundException and not DirectoryNotFoundException && temporary is not null)
        {
            throw Exists(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IExecException(ErrorIds.KeystoreWriteFailed,
                $"The keystore file {path} could not be written: {e.Message}", target: path, inner: e);
        }
        finally
        {
            if (temporary is not null)
            {
                try { File.Delete(temporary); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort; the name is a dot file */ }
            }
        }
    }

    private static IExecException Exists(string path, Exception? inner = null) =>
        new(ErrorIds.WalletAlreadyExists,
            $"The keystore file {path} already exists; it was left untouched.", target: path, inner: inner);

    private IEnumerable<WalletFileName> WalletFiles()
    {
        string[] names;
        try
        {
            names = Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OfType<string>().ToArray();
        }
        catch (DirectoryNotFoundException e)
        {
            throw new IExecException(ErrorIds.KeystoreDirectoryNotFound,
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
