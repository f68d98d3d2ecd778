using System.Runtime.InteropServices;

namespace IExecSecrets.Core.Platform;

/// <summary>The operating system families whose conventions differ for the module (folders, Docker, file protection).</summary>
public enum HostOs
{
    /// <summary>Linux (and any Unix the module does not know better, for file modes).</summary>
    Linux,

    /// <summary>macOS.</summary>
    MacOS,

    /// <summary>Windows.</summary>
    Windows,

    /// <summary>Another Unix (FreeBSD…): Unix file modes, but no per-OS folder conventions.</summary>
    OtherUnix,
}

/// <summary>
/// The host's operating system as the module sees it: which family it is, the environment, the home and
/// application-data folders, how paths are joined, and how a private file or folder is created (0600/0700 on Unix, a
/// protected ACL for the current user only on Windows). Production code reads <see cref="Current"/>; tests build one for
/// any OS with <see cref="HostPlatform(HostOs, string, IReadOnlyDictionary{string, string}?, IWindowsAcl?)"/>, so every
/// OS branch runs on the Linux test machine (Windows and macOS are exercised through this seam, not on those systems).
/// </summary>
public sealed class HostPlatform
{
    private static readonly Lazy<HostPlatform> LazyCurrent = new(CreateCurrent);
    private readonly Func<string, string?> _environment;
    private readonly bool _isRunningSystem;
    private readonly IWindowsAcl? _acl;

    /// <summary>
    /// A platform for tests: <paramref name="os"/>, the home folder <paramref name="homeDirectory"/>, the environment
    /// <paramref name="environment"/> (names compared case-insensitively on Windows, as Windows does), and on Windows
    /// the ACL applier <paramref name="acl"/> that private files and folders are created through.
    /// </summary>
    public HostPlatform(HostOs os, string homeDirectory, IReadOnlyDictionary<string, string>? environment = null, IWindowsAcl? acl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(homeDirectory);
        Os = os;
        HomeDirectory = homeDirectory;
        var copy = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(),
            os == HostOs.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        _environment = name => copy.TryGetValue(name, out var value) ? value : null;
        _acl = acl;
        _isRunningSystem = false;
    }

    private HostPlatform(HostOs os, Func<string, string?> environment, IWindowsAcl? acl)
    {
        Os = os;
        _environment = environment;
        _acl = acl;
        _isRunningSystem = true;
        HomeDirectory = SystemHome(os, environment);
    }

    private HostPlatform(HostPlatform source, string homeDirectory)
    {
        Os = source.Os;
        _environment = source._environment;
        _acl = source._acl;
        _isRunningSystem = source._isRunningSystem;
        HomeDirectory = homeDirectory;
    }

    /// <summary>This platform with <paramref name="homeDirectory"/> as the home folder (everything else the same).</summary>
    public HostPlatform WithHomeDirectory(string homeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(homeDirectory);
        return new HostPlatform(this, homeDirectory);
    }

    /// <summary>The system this process runs on.</summary>
    public static HostPlatform Current => LazyCurrent.Value;

    /// <summary>The operating system family.</summary>
    public HostOs Os { get; }

    /// <summary>True on Windows.</summary>
    public bool IsWindows => Os == HostOs.Windows;

    /// <summary>True on macOS.</summary>
    public bool IsMacOS => Os == HostOs.MacOS;

    /// <summary>True on Linux.</summary>
    public bool IsLinux => Os == HostOs.Linux;

    /// <summary>
    /// The user's home folder as Node's <c>os.homedir()</c> and Go's <c>os.UserHomeDir()</c> find it (so as the iexec
    /// CLI and the docker CLI do): <c>%USERPROFILE%</c> on Windows, <c>$HOME</c> elsewhere, else the system's record.
    /// </summary>
    public string HomeDirectory { get; }

    /// <summary>The folder separator: <c>\</c> on Windows, <c>/</c> elsewhere.</summary>
    public char DirectorySeparator => IsWindows ? '\\' : '/';

    /// <summary>
    /// The per-user settings folder, as .NET 8's <c>SpecialFolder.ApplicationData</c> names it: <c>%APPDATA%</c> on
    /// Windows (else <c>&lt;home&gt;\AppData\Roaming</c>), <c>~/Library/Application Support</c> on macOS,
    /// <c>$XDG_CONFIG_HOME</c> when absolute elsewhere, else <c>~/.config</c>.
    /// </summary>
    public string ApplicationDataDirectory => Os switch
    {
        HostOs.Windows => NonEmpty(GetEnvironmentVariable("APPDATA")) ?? Combine(HomeDirectory, "AppData", "Roaming"),
        HostOs.MacOS => Combine(HomeDirectory, "Library", "Application Support"),
        _ => NonEmpty(GetEnvironmentVariable("XDG_CONFIG_HOME")) is { } config && config.StartsWith('/') ? config : Combine(HomeDirectory, ".config"),
    };

    /// <summary>
    /// The per-user machine-local data folder, as .NET 8's <c>SpecialFolder.LocalApplicationData</c> names it:
    /// <c>%LOCALAPPDATA%</c> on Windows (else <c>&lt;home&gt;\AppData\Local</c>), <c>~/Library/Application Support</c>
    /// on macOS, <c>$XDG_DATA_HOME</c> when absolute elsewhere, else <c>~/.local/share</c>.
    /// </summary>
    public string LocalApplicationDataDirectory => Os switch
    {
        HostOs.Windows => NonEmpty(GetEnvironmentVariable("LOCALAPPDATA")) ?? Combine(HomeDirectory, "AppData", "Local"),
        HostOs.MacOS => Combine(HomeDirectory, "Library", "Application Support"),
        _ => NonEmpty(GetEnvironmentVariable("XDG_DATA_HOME")) is { } data && data.StartsWith('/') ? data : Combine(HomeDirectory, ".local", "share"),
    };

    /// <summary>An environment variable's value, or null when unset.</summary>
    public string? GetEnvironmentVariable(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _environment(name);
    }

    /// <summary>
    /// Joins <paramref name="first"/> and the relative <paramref name="segments"/> with this platform's separator (on
    /// the running system this is <see cref="Path.Combine(string[])"/>). Segments are names or relative paths written
    /// with <c>/</c>, which are turned into the platform's separator.
    /// </summary>
    public string Combine(string first, params string[] segments)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(segments);
        var relative = segments.Where(s => s.Length > 0).Select(s => IsWindows ? s.Replace('/', '\\') : s).ToArray();
        if (_isRunningSystem) return Path.Combine([first, .. relative]);
        var result = first;
        foreach (var segment in relative)
        {
            result = result.Length == 0 || result[^1] == DirectorySeparator || (IsWindows && result[^1] == '/')
                ? result + segment
                : result + DirectorySeparator + segment;
        }
        return result;
    }

    /// <summary>
    /// <paramref name="path"/> made absolute (<see cref="Path.GetFullPath(string)"/>) on the running system; a test
    /// platform for another OS returns it unchanged, since this process cannot resolve that OS's paths.
    /// </summary>
    public string FullPath(string path) => _isRunningSystem ? Path.GetFullPath(path) : path;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) so that only the current user can enter it: mode 0700 on
    /// Unix; on Windows a protected ACL (inheritance from the parent removed) that grants the current user full
    /// control and no one else anything, inherited by what is created inside. An existing folder is left as it is.
    /// </summary>
    public void CreatePrivateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (IsWindows)
        {
            var acl = RequireAcl();
            acl.CreateDirectory(path, OwnerOnlyAcl.For(acl.CurrentUserSid, directory: true));
        }
        else
        {
            if (OperatingSystem.IsWindows()) throw UnixOnWindows();
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// Makes the existing folder <paramref name="path"/> private to the current user: <c>chmod 0700</c> on Unix, the
    /// owner-only protected ACL on Windows (see <see cref="CreatePrivateDirectory"/>).
    /// </summary>
    public void RestrictDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (IsWindows)
        {
            var acl = RequireAcl();
            acl.Protect(path, OwnerOnlyAcl.For(acl.CurrentUserSid, directory: true));
        }
        else
        {
            if (OperatingSystem.IsWindows()) throw UnixOnWindows();
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> with <paramref name="mode"/> so that a file it creates is readable and writable by
    /// the current user only from its first byte: mode 0600 on Unix, created with the owner-only protected ACL on
    /// Windows (no moment where the parent's inherited rules apply).
    /// </summary>
    public FileStream CreatePrivateFile(string path, FileMode mode, FileAccess access, FileShare share)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (IsWindows)
        {
            var acl = RequireAcl();
            return acl.CreateFile(path, mode, access, share, OwnerOnlyAcl.For(acl.CurrentUserSid, directory: false));
        }
        if (OperatingSystem.IsWindows()) throw UnixOnWindows();
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        return new FileStream(path, options);
    }

    private IWindowsAcl RequireAcl() =>
        _acl ?? throw new PlatformNotSupportedException("A Windows platform needs an ACL applier to create private files.");

    // A test platform for a Unix family used on a Windows machine: Unix modes do not exist there.
    private static PlatformNotSupportedException UnixOnWindows() =>
        new("A Unix platform's file modes cannot be applied on Windows.");

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static HostOs DetectOs()
    {
        if (OperatingSystem.IsWindows()) return HostOs.Windows;
        if (OperatingSystem.IsMacOS()) return HostOs.MacOS;
        if (OperatingSystem.IsLinux()) return HostOs.Linux;
        return HostOs.OtherUnix;
    }

    private static HostPlatform CreateCurrent()
    {
        var os = DetectOs();
        IWindowsAcl? acl = OperatingSystem.IsWindows() ? new WindowsAcl() : null;
        return new HostPlatform(os, Environment.GetEnvironmentVariable, acl);
    }

    private static string SystemHome(HostOs os, Func<string, string?> environment)
    {
        // Node (libuv uv_os_homedir) and Go read USERPROFILE on Windows and HOME elsewhere before asking the system.
        var fromEnvironment = NonEmpty(environment(os == HostOs.Windows ? "USERPROFILE" : "HOME"));
        return fromEnvironment ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
    }

    /// <summary>The running OS as <see cref="RuntimeInformation"/> names it, for messages.</summary>
    public override string ToString() => _isRunningSystem ? RuntimeInformation.OSDescription : Os.ToString();
}
