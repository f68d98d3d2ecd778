using System.Formats.Tar;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// Packs an app folder into the tar stream <c>docker build</c> takes as its context, keeping Unix file modes so
/// executables stay executable. Its <c>.dockerignore</c> is applied with Docker's own rules (<see cref="DockerIgnore"/>),
/// so the context holds exactly the files the <c>docker</c> CLI would send: a key matched by <c>**/*.pem</c> or an
/// <c>.env*</c> file never leaves the machine.
/// </summary>
public static class BuildContextArchive
{
    /// <summary>
    /// Checks that <paramref name="folder"/> exists and holds a <c>Dockerfile</c> (<see cref="ErrorIds.BuildContextNotFound"/>,
    /// <see cref="ErrorIds.DockerfileNotFound"/>) and that its <c>.dockerignore</c>, if any, is one Docker accepts
    /// (<see cref="ErrorIds.InvalidDockerIgnore"/>), so a bad file fails before the engine is contacted. Returns the full path.
    /// </summary>
    public static string ValidateFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new IExecException(ErrorIds.BuildContextNotFound,
                $"The app folder \"{full}\" does not exist.", full);
        }
        if (!File.Exists(Path.Combine(full, "Dockerfile")))
        {
            throw new IExecException(ErrorIds.DockerfileNotFound,
                $"The app folder \"{full}\" has no Dockerfile.", Path.Combine(full, "Dockerfile"))
            { RecommendedAction = "Point -Path at a folder holding a Dockerfile, such as ./enclave/js." };
        }
        DockerIgnore.ForContext(full);
        return full;
    }

    /// <summary>
    /// Writes the tar of <paramref name="folder"/> into a new seekable stream positioned at its start: the entries
    /// <see cref="DockerIgnore.SelectEntries"/> keeps, symbolic links as links. Throws
    /// <see cref="ErrorIds.InvalidDockerIgnore"/> for a <c>.dockerignore</c> Docker would refuse.
    /// </summary>
    public static MemoryStream Create(string folder)
    {
        var root = Path.GetFullPath(folder);
        var rules = DockerIgnore.ForContext(root);
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var relative in rules.SelectEntries(root))
            {
                writer.WriteEntry(SourcePath(root, relative, HostPlatform.Current), relative);
            }
        }
        stream.Position = 0;
        return stream;
    }

    /// <summary>
    /// The local file behind the context entry <paramref name="entryName"/>: the entry name is a tar name, written with
    /// <c>/</c> on every OS (that is what the engine reads), so only the file path takes the platform's separator.
    /// </summary>
    internal static string SourcePath(string root, string entryName, HostPlatform platform) => platform.Combine(root, entryName);
}
