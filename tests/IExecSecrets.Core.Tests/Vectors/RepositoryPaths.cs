namespace IExecSecrets.Core.Tests.Vectors;

/// <summary>Where the repository and the shared product folder are, found from the test binaries' location.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding IExecSecrets.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared docs/vectors folder, a sibling of the repository.</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The iexec test-vector file; a missing file fails the test with a clear message rather than skipping it.</summary>
    public static string VectorsFile
    {
        get
        {
            var path = Path.Combine(SharedDirectory, "vectors", "iexec-test-vectors.json");
            if (!File.Exists(path))
                throw new FileNotFoundException($"The shared test vectors are missing: expected {path} (the 'shared' folder next to the repository).", path);
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IExecSecrets.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No IExecSecrets.sln above {AppContext.BaseDirectory}.");
    }
}
