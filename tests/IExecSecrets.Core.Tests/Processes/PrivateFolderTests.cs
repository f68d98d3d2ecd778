using IExecSecrets.Core.Processes;

namespace IExecSecrets.Core.Tests.Processes;

/// <summary>
/// Private run folders and temporary keys: owner-only, removed on dispose, and swept at the next start when their owner
/// died first (its lock gone) but never while their owner lives.
/// </summary>
public sealed class PrivateFolderTests
{
    private readonly string _prefix = "iexec-test-" + Guid.NewGuid().ToString("N")[..8] + "-";

    [Fact]
    public void Create_IsOwnerOnly_AndDisposeRemovesIt()
    {
        string path;
        using (var folder = PrivateFolder.Create(_prefix))
        {
            path = folder.Path;
            File.WriteAllText(Path.Combine(path, "secret"), "value");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            }
        }
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Sweep_RemovesLeftoversOfDeadOwners_KeepsLiveOnes_AndTouchesNothingElse()
    {
        using var live = PrivateFolder.Create(_prefix);
        // A folder whose owner was killed: its lock file is there but nobody holds it any more.
        var leftover = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), _prefix + "dead")).FullName;
        File.WriteAllText(Path.Combine(leftover, ".owner.lock"), "");
        File.WriteAllText(Path.Combine(leftover, "what-the-app-wrote"), "secret");
        // Not made by PrivateFolder (no lock file): left alone.
        var foreign = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), _prefix + "foreign")).FullName;
        try
        {
            var removed = PrivateFolder.Sweep(_prefix);

            Assert.Equal(1, removed);
            Assert.False(Directory.Exists(leftover));
            Assert.True(Directory.Exists(live.Path));
            Assert.True(Directory.Exists(foreign));
        }
        finally
        {
            Directory.Delete(foreign, recursive: true);
            if (Directory.Exists(leftover)) Directory.Delete(leftover, recursive: true);
        }
    }
}
