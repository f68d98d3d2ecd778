using System.Collections.Concurrent;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Processes;

/// <summary>
/// A folder under the temporary directory that only this user can enter (0700 on Unix; on Windows a protected ACL
/// granting the current user alone, see <see cref="HostPlatform.CreatePrivateDirectory"/>), for what a run or a build must keep
/// on disk for a while: a local app's <c>HOME</c>/<c>TMPDIR</c> (which can hold what the app wrote), a temporary
/// signer key. It is removed on dispose, on a graceful process exit (SIGTERM: <c>ProcessExit</c>), and otherwise by
/// <see cref="Sweep"/> at the next start: while its owner lives it holds an exclusive lock on a file inside
/// (<c>flock</c> on Unix, a share-none handle on Windows), which the system drops when the owner dies, however it dies.
/// </summary>
public sealed class PrivateFolder : IDisposable
{
    private const string LockFileName = ".owner.lock";
    private static readonly ConcurrentDictionary<PrivateFolder, byte> Live = new();
    private FileStream? _lock;

    // Kept alive for the process's lifetime: disposing a registration removes its handler.
    private static readonly List<System.Runtime.InteropServices.PosixSignalRegistration> SignalHandlers = [];

    static PrivateFolder()
    {
        // A session that ends normally runs ProcessExit; pwsh ended by SIGTERM or SIGHUP runs neither it nor the finally
        // blocks of the commands it was running, so those signals remove the folders first, then take their default
        // course (the handler does not cancel them).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
        if (!OperatingSystem.IsWindows())
        {
            foreach (var signal in new[] { System.Runtime.InteropServices.PosixSignal.SIGTERM, System.Runtime.InteropServices.PosixSignal.SIGHUP })
            {
                SignalHandlers.Add(System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, _ => DisposeAll()));
            }
        }
    }

    private static void DisposeAll()
    {
        foreach (var folder in Live.Keys) folder.Dispose();
    }

    private PrivateFolder(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
        Live[this] = 0;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Creates a folder named <paramref name="prefix"/> + a random suffix in the temporary directory.</summary>
    public static PrivateFolder Create(string prefix) => Create(prefix, HostPlatform.Current);

    /// <summary>
    /// Creates a folder named <paramref name="prefix"/> + a random suffix in the temporary directory, private as
    /// <paramref name="platform"/> makes folders private.
    /// </summary>
    public static PrivateFolder Create(string prefix, HostPlatform platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(platform);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        // A random name nobody else can have created: the folder is new, so it gets the private mode or ACL from birth.
        platform.CreatePrivateDirectory(path);
        var info = new DirectoryInfo(path);
        try
        {
            var lockFile = platform.CreatePrivateFile(System.IO.Path.Combine(info.FullName, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            return new PrivateFolder(info.FullName, lockFile);
        }
        catch
        {
            Directory.Delete(info.FullName, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Removes the folders named <paramref name="prefix"/>* in the temporary directory whose owner is gone (their lock
    /// file can be locked), and returns how many. Folders of live owners, links and folders without a lock file (not
    /// made here) are left alone.
    /// </summary>
    public static int Sweep(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var removed = 0;
        IEnumerable<DirectoryInfo> candidates;
        try
        {
            candidates = new DirectoryInfo(System.IO.Path.GetTempPath()).EnumerateDirectories(prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var folder in candidates)
        {
            if (folder.LinkTarget is not null) continue;
            var lockPath = System.IO.Path.Combine(folder.FullName, LockFileName);
            if (!File.Exists(lockPath)) continue;
            try
            {
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    // locked by us now: its owner is gone
                }
                folder.Delete(recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // still owned by a live process, or not ours to remove
            }
        }
        return removed;
    }

    /// <summary>Releases the lock and deletes the folder and everything in it (links inside are removed, never followed).</summary>
    public void Dispose()
    {
        if (!Live.TryRemove(this, out _)) return;
        _lock?.Dispose();
        _lock = null;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A child still holds something; with the lock released, the next Sweep removes the rest.
        }
    }
}
