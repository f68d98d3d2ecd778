using System.Formats.Tar;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// Packs an app folder into the tar stream <c>docker build</c> takes as its context, keeping Unix file modes so
/// executables stay executable. A <c>.dockerignore</c> is honoured for plain names and folder prefixes
/// (<c>node_modules</c>, <c>*.log</c>-style suffix globs); anything fancier is packed anyway, which is safe.
/// </summary>
public static class BuildContextArchive
{
    /// <summary>
    /// Checks that <paramref name="folder"/> exists and holds a <c>Dockerfile</c>: <see cref="ErrorIds.BuildContextNotFound"/>
    /// or <see cref="ErrorIds.DockerfileNotFound"/> otherwise. Returns the full path.
    /// </summary>
    public static string ValidateFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new IExecException(ErrorIds.BuildContextNotFound, IExecErrorCategory.ObjectNotFound,
                $"The app folder \"{full}\" does not exist.", full);
        }
        if (!File.Exists(Path.Combine(full, "Dockerfile")))
        {
            throw new IExecException(ErrorIds.DockerfileNotFound, IExecErrorCategory.ObjectNotFound,
                $"The app folder \"{full}\" has no Dockerfile.", Path.Combine(full, "Dockerfile"))
            { RecommendedAction = "Point -Path at a folder holding a Dockerfile, such as ./enclave/js." };
        }
        return full;
    }

    /// <summary>Writes the tar of <paramref name="folder"/> into a new seekable stream positioned at its start.</summary>
    public static MemoryStream Create(string folder)
    {
        var root = Path.GetFullPath(folder);
        var ignored = ReadDockerIgnore(root);
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (IsIgnored(relative, ignored)) continue;
                var attributes = File.GetAttributes(path);
                if ((attributes & FileAttributes.ReparsePoint) != 0 && Directory.Exists(path)) continue;
                writer.WriteEntry(path, relative);
            }
        }
        stream.Position = 0;
        return stream;
    }

    private static List<string> ReadDockerIgnore(string root)
    {
        var file = Path.Combine(root, ".dockerignore");
        if (!File.Exists(file)) return new List<string>();
        return File.ReadAllLines(file)
            .Select(l => l.Trim().TrimStart('/').TrimEnd('/'))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!'))
            .ToList();
    }

    private static bool IsIgnored(string relative, List<string> patterns) =>
        patterns.Any(p => p.StartsWith("*", StringComparison.Ordinal) && !p.Contains('/', StringComparison.Ordinal)
            ? relative.EndsWith(p[1..], StringComparison.Ordinal)
            : relative == p || relative.StartsWith(p + "/", StringComparison.Ordinal));
}
