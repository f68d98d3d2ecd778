namespace IExecSecrets.Enclave.Tests;

/// <summary>Paths inside the repository, found by walking up from the test binaries to IExecSecrets.sln.</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IExecSecrets.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("IExecSecrets.sln not found above the test folder.");
        }
    }

    public static string Enclave => Path.Combine(Root, "enclave");

    public static string JsApp => Path.Combine(Enclave, "js");

    public static string PythonApp => Path.Combine(Enclave, "python");

    public static string IExecCli => Path.Combine(Root, "tools", "node", "node_modules", ".bin", "iexec");

    public static string NodeModules => Path.Combine(Root, "tools", "node", "node_modules");

    public static string NewTempFolder(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
