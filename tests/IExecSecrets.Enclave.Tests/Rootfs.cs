using System.Text.RegularExpressions;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// A folder laid out as an image root file system, filled from this machine: an executable goes in with every
/// shared library <c>ldd</c> lists, at the same absolute paths, so it runs in a FROM-scratch image.
/// </summary>
internal sealed partial class Rootfs(string root)
{
    [GeneratedRegex(@"(?:=>\s*)?(/\S+)\s+\(0x[0-9a-f]+\)")]
    private static partial Regex LddPath();

    public void AddExecutable(string hostPath, string imagePath)
    {
        AddFile(hostPath, imagePath);
        var ldd = DockerFixture.Capture("ldd", hostPath);
        foreach (Match match in LddPath().Matches(ldd))
        {
            var library = match.Groups[1].Value;
            AddFile(library, library);
        }
    }

    public void AddFile(string hostPath, string imagePath)
    {
        var target = Path.Combine(root, imagePath.TrimStart('/'));
        if (File.Exists(target)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Copy the bytes of the link target: the image must hold real files, not links to host paths.
        var resolved = new FileInfo(hostPath).ResolveLinkTarget(true)?.FullName ?? hostPath;
        File.Copy(resolved, target);
    }

    public void AddTree(string hostFolder, string imageFolder)
    {
        foreach (var file in Directory.EnumerateFiles(hostFolder, "*", SearchOption.AllDirectories))
        {
            if (file.Contains("__pycache__", StringComparison.Ordinal)) continue;
            AddFile(file, $"{imageFolder}/{Path.GetRelativePath(hostFolder, file).Replace('\\', '/')}");
        }
    }
}
