using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tests.Platform;

/// <summary>
/// The OS seam's folders per OS, tested for Windows and macOS on this Linux machine: settings folder, home-based
/// folders, separators, and the iexec CLI's global keystore folder as iexec-sdk's src/cli/utils/keystore.js builds it
/// (osDefaultPathMap joined to os.homedir()).
/// </summary>
public sealed class HostPlatformTests
{
    private static readonly Dictionary<string, string> WindowsEnvironment = new()
    {
        ["APPDATA"] = @"D:\Profiles\alice\AppData\Roaming",
        ["localappdata"] = @"C:\Users\alice\AppData\Local",
    };

    [Fact]
    public void Windows_UsesAppDataVariables_CaseInsensitively_AndBackslashes()
    {
        var platform = new HostPlatform(HostOs.Windows, @"C:\Users\alice", WindowsEnvironment);
        Assert.True(platform.IsWindows);
        Assert.Equal(@"D:\Profiles\alice\AppData\Roaming", platform.ApplicationDataDirectory);
        Assert.Equal(@"C:\Users\alice\AppData\Local", platform.LocalApplicationDataDirectory);
        Assert.Equal(@"D:\Profiles\alice\AppData\Roaming\IExecSecrets\config.json", SavedDefaults.DefaultUserFilePath(platform));
        Assert.Equal(@"D:\Profiles\alice\AppData\Roaming", platform.GetEnvironmentVariable("AppData"));
    }

    [Fact]
    public void Windows_WithoutAppDataVariables_FallsBackUnderTheProfile()
    {
        var platform = new HostPlatform(HostOs.Windows, @"C:\Users\bob\");
        Assert.Equal(@"C:\Users\bob\AppData\Roaming", platform.ApplicationDataDirectory);
        Assert.Equal(@"C:\Users\bob\AppData\Local", platform.LocalApplicationDataDirectory);
    }

    [Fact]
    public void MacOS_UsesApplicationSupport_AsDotNet8Does()
    {
        var platform = new HostPlatform(HostOs.MacOS, "/Users/alice", new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/elsewhere" });
        Assert.Equal("/Users/alice/Library/Application Support", platform.ApplicationDataDirectory);
        Assert.Equal("/Users/alice/Library/Application Support/IExecSecrets/config.json", SavedDefaults.DefaultUserFilePath(platform));
    }

    [Theory]
    [InlineData(null, "/home/alice/.config")]
    [InlineData("relative/config", "/home/alice/.config")]
    [InlineData("/srv/cfg", "/srv/cfg")]
    public void Linux_HonoursAnAbsoluteXdgConfigHome_Only(string? xdg, string expected)
    {
        var environment = xdg is null ? null : new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = xdg };
        var platform = new HostPlatform(HostOs.Linux, "/home/alice", environment);
        Assert.Equal(expected, platform.ApplicationDataDirectory);
        Assert.Null(platform.GetEnvironmentVariable("xdg_config_home")); // Unix names are case-sensitive
    }

    [Fact]
    public void Current_MatchesDotNetsOwnFolders_OnThisMachine()
    {
        // The running system's answers come from the same code as the test platforms; .NET is the oracle here.
        var current = HostPlatform.Current;
        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), current.ApplicationDataDirectory);
        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), current.LocalApplicationDataDirectory);
        Assert.Equal(Path.DirectorySeparatorChar, current.DirectorySeparator);
        Assert.Equal(Path.Combine("a", "b", "c"), current.Combine("a", "b/c"));
    }

    // Expected values: iexec-sdk 9.0.0 src/cli/utils/keystore.js osDefaultPathMap, path.join(os.homedir(), keystoredir).
    [Theory]
    [InlineData(HostOs.Linux, "/home/alice", "/home/alice/.ethereum/keystore")]
    [InlineData(HostOs.MacOS, "/Users/alice", "/Users/alice/Library/Ethereum/keystore")]
    [InlineData(HostOs.Windows, @"C:\Users\alice", @"C:\Users\alice\AppData\Roaming\Ethereum\keystore")]
    [InlineData(HostOs.OtherUnix, "/home/alice", "/home/alice")]
    public void GlobalKeystoreFolder_IsTheCliOne_PerOs(HostOs os, string home, string expected)
    {
        // %APPDATA% is deliberately different: the CLI joins the profile, not APPDATA, and so must the module.
        var platform = new HostPlatform(os, home, os == HostOs.Windows ? WindowsEnvironment : null, new RecordingWindowsAcl());
        Assert.Equal(expected, KeystoreDirectory.Global(platform).Path);
    }

    [Fact]
    public void GlobalKeystoreFolder_OnThisMachine_IsUnderHome()
    {
        var home = Environment.GetEnvironmentVariable("HOME")!;
        Assert.Equal(Path.Combine(home, ".ethereum", "keystore"), KeystoreDirectory.Global().Path);
    }

    // A build context's tar entry names are POSIX on every OS (the engine reads them); the file each one is read from is
    // a local path and takes the platform's separator.
    [Theory]
    [InlineData(HostOs.Windows, @"C:\Users\alice\app", "src/lib/main.js", @"C:\Users\alice\app\src\lib\main.js")]
    [InlineData(HostOs.Windows, @"C:\Users\alice\app\", "Dockerfile", @"C:\Users\alice\app\Dockerfile")]
    [InlineData(HostOs.Linux, "/home/alice/app", "src/lib/main.js", "/home/alice/app/src/lib/main.js")]
    [InlineData(HostOs.MacOS, "/Users/alice/app", "src/main.js", "/Users/alice/app/src/main.js")]
    public void BuildContextEntry_IsReadFromAPathWithThePlatformsSeparator(HostOs os, string root, string entry, string expected)
    {
        var platform = new HostPlatform(os, os == HostOs.Windows ? @"C:\Users\alice" : "/home/alice", null, new RecordingWindowsAcl());
        Assert.Equal(expected, BuildContextArchive.SourcePath(root, entry, platform));
    }
}
