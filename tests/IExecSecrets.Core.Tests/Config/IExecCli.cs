using System.Diagnostics;

namespace IExecSecrets.Core.Tests.Config;

/// <summary>Runs the real iexec CLI 8.24.0 installed by eng/setup.sh, isolated from the user's keystore.</summary>
internal static class IExecCli
{
    public static string Executable => RepoPaths.IExecCli;

    public static (int ExitCode, string StdOut, string StdErr) Run(string workingDirectory, params string[] arguments)
    {
        Assert.True(File.Exists(Executable), $"The iexec CLI is missing at {Executable}; run eng/setup.sh.");
        var home = Directory.CreateTempSubdirectory("iexec-home-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // a private HOME keeps the CLI away from any real keystore and update-check cache
        start.Environment["HOME"] = home;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("iexec CLI did not finish within 180 s");
        }
        Directory.Delete(home, recursive: true);
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
