using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Config;

/// <summary>
/// Files land only where the user said: a path that is, or passes through, a symbolic link (or another reparse point)
/// below the user's current location is refused before anything is written. A folder the user cloned may hold
/// <c>result -&gt; ~</c> or <c>datasets -&gt; /etc</c>; writing "into ./result" would then put files wherever the link's
/// author chose. The user named a place, not a link.
/// </summary>
public static class LinkGuard
{
    /// <summary>
    /// Throws <see cref="ErrorIds.SymbolicLinkRefused"/> (naming the link and its target) when <paramref name="path"/> is,
    /// or passes through, a link that exists now. The components of <paramref name="trustedFolder"/> itself (the
    /// current location and its parents) are not checked; every component below it is, and every component of a path
    /// elsewhere when it is null or the path is not under it. <paramref name="what"/> names what is written ("the result").
    /// </summary>
    public static void EnsureNoLink(string path, string? trustedFolder, object? target, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var trusted = trustedFolder is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(trustedFolder));
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (trusted is not null && IsSameOrParent(current, trusted)) continue;
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists) info = new DirectoryInfo(current);
            if (!info.Exists) return;   // nothing below an absent component exists yet: the module creates it
            if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new IExecException(ErrorIds.SymbolicLinkRefused,
                    $"{current} is a symbolic link (to {info.LinkTarget ?? "another place"}); {what} is not written through it, so that files land only in the folder named.",
                    target ?? path)
                {
                    RecommendedAction = "Give a path made of real folders (resolve the link yourself if its target is where the file should go).",
                };
            }
        }
    }

    private static bool IsSameOrParent(string candidate, string folder)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(candidate, folder, comparison)
            || folder.StartsWith(Path.TrimEndingDirectorySeparator(candidate) + Path.DirectorySeparatorChar, comparison);
    }
}
