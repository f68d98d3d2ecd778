namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// A local app run (Invoke-IExecEnclaveApp, a node/python3 process holding the secrets in its environment) ends with
/// the run: its parent holds no inherited environment to read through /proc, what it leaves running is killed when it
/// exits, and the private HOME/TMPDIR of a run whose session was killed is swept at the next run. (The app dying with
/// a SIGTERM'd pwsh is tests/Pester/LocalRunLifetime.Tests.ps1, in a real pwsh process.)
/// </summary>
public sealed class LocalRunLifetimeTests
{
    private const string ParentEnvironPython = """
        import os
        with open("/proc/%d/environ" % os.getppid(), "rb") as f:
            data = f.read()
        with open(os.path.join(os.environ["IEXEC_OUT"], "parent-environ"), "wb") as f:
            f.write(data)
        """;

    private const string ParentEnvironNode = """
        const fs = require("fs"), path = require("path");
        fs.writeFileSync(path.join(process.env.IEXEC_OUT, "parent-environ"), fs.readFileSync("/proc/" + process.ppid + "/environ"));
        """;

    // Starts a grandchild that would outlive the app (and keep its secrets in its environment), then exits at once.
    private const string LeavingPython = """
        import os, subprocess
        child = subprocess.Popen(["sleep", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(os.environ["IEXEC_OUT"], "left.pid"), "w") as f:
            f.write(str(child.pid))
        """;

    private const string LeavingNode = """
        const cp = require("child_process"), fs = require("fs"), path = require("path");
        const child = cp.spawn("sleep", ["300"], { detached: false, stdio: "ignore" });
        fs.writeFileSync(path.join(process.env.IEXEC_OUT, "left.pid"), String(child.pid));
        child.unref();
        """;

    [Theory]
    [InlineData(EnclaveLanguage.Python)]
    [InlineData(EnclaveLanguage.JavaScript)]
    public void TheAppsParent_HoldsNoInheritedEnvironment(EnclaveLanguage language)
    {
        var output = Run(language, language == EnclaveLanguage.Python ? ParentEnvironPython : ParentEnvironNode);

        // This test process's own environment (what /proc/self/environ holds) is what the parent's showed before. The
        // supervisor starts with none; an interpreter shim (pyenv) may add its own variables, but nothing of ours.
        var ours = Entries(File.ReadAllBytes("/proc/self/environ"));
        var parents = Entries(File.ReadAllBytes(Path.Combine(output, "parent-environ")));
        Assert.NotEmpty(ours);
        Assert.Empty(parents.Intersect(ours));
        Assert.DoesNotContain(parents, entry => entry.StartsWith("HOME=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(EnclaveLanguage.Python)]
    [InlineData(EnclaveLanguage.JavaScript)]
    public void WhatTheAppLeavesRunning_IsKilledWhenTheAppExits(EnclaveLanguage language)
    {
        var output = Run(language, language == EnclaveLanguage.Python ? LeavingPython : LeavingNode);
        var pid = int.Parse(File.ReadAllText(Path.Combine(output, "left.pid")), System.Globalization.CultureInfo.InvariantCulture);

        try
        {
            Assert.True(WaitUntilGone(pid, TimeSpan.FromSeconds(15)), $"process {pid} the app started is still running");
        }
        finally
        {
            if (IsRunning(pid)) System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public void RunFolderOfAKilledSession_IsSweptAtTheNextRun()
    {
        // What a run whose pwsh was SIGKILLed leaves: its HOME with what the app wrote, and the unheld lock.
        var leftover = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), EnclaveLocalRunner.RunFolderPrefix + "killed" + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(leftover, ".owner.lock"), "");
        Directory.CreateDirectory(Path.Combine(leftover, "tmp"));
        File.WriteAllText(Path.Combine(leftover, "tmp", "what-the-app-wrote"), "a secret");

        Run(EnclaveLanguage.Python, "print('hello')");

        Assert.False(Directory.Exists(leftover), $"{leftover} is still there");
    }

    private static HashSet<string> Entries(byte[] environ) =>
        System.Text.Encoding.UTF8.GetString(environ).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static string Run(EnclaveLanguage language, string source)
    {
        var app = RepoPaths.NewTempFolder("lifetime-app");
        File.WriteAllText(Path.Combine(app, EnclaveLanguages.AppFileName(language)), source);
        var output = RepoPaths.NewTempFolder("lifetime-out");
        using var host = new ModuleHost();
        var (runs, errors, _, _) = host.Run("Invoke-IExecEnclaveApp -Path $app -OutputPath $out",
            new Dictionary<string, object?> { ["app"] = app, ["out"] = output });
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
        Assert.True(Assert.IsType<IExecEnclaveRun>(Assert.Single(runs).BaseObject).Succeeded);
        return output;
    }

    private static bool WaitUntilGone(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(50);
        }
        return true;
    }

    // A zombie (killed, not yet reaped by its new parent) counts as gone: it runs nothing and holds no memory.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
