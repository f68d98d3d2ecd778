namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>Finds the repository root (the folder with IExecSecrets.sln) from the test binaries' location.</summary>
internal static class RepositoryLocator
{
    public static string Root { get; } = FindRoot();

    /// <summary>The iexec 8.24.0 CLI installed by eng/setup.sh; a missing CLI fails with the command that installs it.</summary>
    public static string IExecCli
    {
        get
        {
            var path = Path.Combine(Root, "tools", "node", "node_modules", ".bin", "iexec");
            if (!File.Exists(path)) throw new FileNotFoundException($"The iexec CLI is missing at {path}: run 'bash eng/setup.sh'.", path);
            return path;
        }
    }

    /// <summary>
    /// The iexec 9.0.1 CLI's entry script, installed by eng/setup.sh as the npm alias iexec9 (run it with node: its bin
    /// name would clash with 8.24.0's).
    /// </summary>
    public static string IExecCli9
    {
        get
        {
            var path = Path.Combine(Root, "tools", "node", "node_modules", "iexec9", "dist", "esm", "cli", "cmd", "iexec.js");
            if (!File.Exists(path)) throw new FileNotFoundException($"The iexec 9.0.1 CLI is missing at {path}: run 'bash eng/setup.sh'.", path);
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
