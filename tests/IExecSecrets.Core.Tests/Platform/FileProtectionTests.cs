using IExecSecrets.Core.Platform;
using IExecSecrets.Core.Processes;

namespace IExecSecrets.Core.Tests.Platform;

/// <summary>
/// Keystores, the saved-defaults file and private folders are private on every OS: on Windows (through the seam, with
/// a recording ACL applier) each is created with exactly the current-user-only ACL, inheritance removed; on Unix the
/// same code still gives 0600 files and 0700 folders (checked with stat on this machine).
/// </summary>
public sealed class FileProtectionTests : IDisposable
{
    private static readonly EthAddress Wallet = EthAddress.Parse("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Folder0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "iexec-protect-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void OwnerOnlyAcl_IsProtected_OwnedByTheUser_WithOneFullControlRuleForTheUserOnly()
    {
        Assert.Equal(RecordingWindowsAcl.ExpectedFolderPlan, OwnerOnlyAcl.For(RecordingWindowsAcl.UserSid, directory: true));
        Assert.Equal(RecordingWindowsAcl.ExpectedFilePlan, OwnerOnlyAcl.For(RecordingWindowsAcl.UserSid, directory: false));
        // The plans differ only in inheritance: a folder's rule reaches what is created inside, a file has no children.
        Assert.NotEqual(OwnerOnlyAcl.For(RecordingWindowsAcl.UserSid, directory: true), OwnerOnlyAcl.For(RecordingWindowsAcl.UserSid, directory: false));
    }

    [Fact]
    public void Windows_KeystoreSave_CreatesFolderAndFileWithTheOwnerOnlyAcl_AndNoUnixMode()
    {
        var acl = new RecordingWindowsAcl();
        var folder = Path.Combine(_root, "keystore");
        var keystore = new KeystoreDirectory(folder, RecordingWindowsAcl.Windows(_root, acl));

        var path = keystore.Save("{\"n\":1}", Wallet, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(2, acl.Calls.Count);
        Assert.Equal(("CreateDirectory", folder, RecordingWindowsAcl.ExpectedFolderPlan), acl.Calls[0]);
        Assert.Equal("CreateFile", acl.Calls[1].Operation);
        Assert.Equal(folder, Path.GetDirectoryName(acl.Calls[1].Path));
        Assert.Equal(RecordingWindowsAcl.ExpectedFilePlan, acl.Calls[1].Plan);
        Assert.Equal("{\"n\":1}", File.ReadAllText(path));
    }

    [Fact]
    public void Windows_KeystoreSave_IntoAnExistingFolder_LeavesTheFolderAlone_ButProtectsTheFile()
    {
        Directory.CreateDirectory(_root);
        var acl = new RecordingWindowsAcl();
        new KeystoreDirectory(_root, RecordingWindowsAcl.Windows(_root, acl)).Save("{}", Wallet, DateTimeOffset.UnixEpoch);
        Assert.Equal(["CreateFile"], acl.Calls.Select(call => call.Operation));
        Assert.Equal(RecordingWindowsAcl.ExpectedFilePlan, acl.Calls[0].Plan);
    }

    [Fact]
    public void Windows_SavedDefaults_ProtectTheirFolderAndFile()
    {
        var acl = new RecordingWindowsAcl();
        var file = Path.Combine(_root, "IExecSecrets", "config.json");
        var store = new SavedDefaults(file, RecordingWindowsAcl.Windows(_root, acl));

        store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "bellecour" });
        store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "arbitrum-mainnet" });

        // First write: the folder is created private; second write: the existing folder is made private again.
        Assert.Equal(["CreateDirectory", "CreateFile", "Protect", "CreateFile"], acl.Calls.Select(call => call.Operation));
        Assert.All(acl.Calls.Where(call => call.Operation != "CreateFile"), call =>
        {
            Assert.Equal(Path.GetDirectoryName(file), call.Path);
            Assert.Equal(RecordingWindowsAcl.ExpectedFolderPlan, call.Plan);
        });
        Assert.All(acl.Calls.Where(call => call.Operation == "CreateFile"), call => Assert.Equal(RecordingWindowsAcl.ExpectedFilePlan, call.Plan));
        Assert.Contains("arbitrum-mainnet", File.ReadAllText(file));
    }

    [Fact]
    public void Windows_PrivateFolder_AndItsLockFile_GetTheOwnerOnlyAcl()
    {
        var acl = new RecordingWindowsAcl();
        using var folder = PrivateFolder.Create("iexec-test-acl-", RecordingWindowsAcl.Windows(_root, acl));
        Assert.Equal(["CreateDirectory", "CreateFile"], acl.Calls.Select(call => call.Operation));
        Assert.Equal((folder.Path, RecordingWindowsAcl.ExpectedFolderPlan), (acl.Calls[0].Path, acl.Calls[0].Plan));
        Assert.Equal(RecordingWindowsAcl.ExpectedFilePlan, acl.Calls[1].Plan);
    }

    [Theory]
    [InlineData(HostOs.Linux)]
    [InlineData(HostOs.MacOS)]
    public void Unix_SameCode_Gives0600Files_And0700Folders(HostOs os)
    {
        if (OperatingSystem.IsWindows()) throw new InvalidOperationException("Unix modes are checked on the Linux test machine.");
        var platform = new HostPlatform(os, _root);

        var keystoreFolder = Path.Combine(_root, "keystore");
        var keystoreFile = new KeystoreDirectory(keystoreFolder, platform).Save("{}", Wallet, DateTimeOffset.UnixEpoch);
        Assert.Equal(Folder0700, File.GetUnixFileMode(keystoreFolder));
        Assert.Equal(File0600, File.GetUnixFileMode(keystoreFile));

        var configFolder = Path.Combine(_root, "config");
        Directory.CreateDirectory(configFolder); // an existing folder with the default (umask) mode is narrowed to 0700
        File.SetUnixFileMode(configFolder, Folder0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var configFile = Path.Combine(configFolder, "config.json");
        new SavedDefaults(configFile, platform).Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "bellecour" });
        Assert.Equal(Folder0700, File.GetUnixFileMode(configFolder));
        Assert.Equal(File0600, File.GetUnixFileMode(configFile));

        using var folder = PrivateFolder.Create("iexec-test-mode-", platform);
        Assert.Equal(Folder0700, File.GetUnixFileMode(folder.Path));
        Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(folder.Path, ".owner.lock")));
    }

    [Fact]
    public void Windows_WithoutAnAclApplier_RefusesRatherThanWriteAnUnprotectedFile()
    {
        var platform = new HostPlatform(HostOs.Windows, _root);
        Assert.Throws<PlatformNotSupportedException>(() => new KeystoreDirectory(Path.Combine(_root, "k"), platform).Save("{}", Wallet, DateTimeOffset.UnixEpoch));
        Assert.False(Directory.Exists(Path.Combine(_root, "k")));
    }
}
