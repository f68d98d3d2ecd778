namespace IExecSecrets.Core.Tests.Wallet;

/// <summary>Keystore files are written whole or not at all, owner-only, into an owner-only new folder.</summary>
public sealed class KeystoreAtomicWriteTests : IDisposable
{
    private static readonly EthAddress Account = EthAddress.Parse("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");
    private static readonly DateTimeOffset Time = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "iexec-atomic-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Save_NewFolder_Is0700AndTheFile0600WithNothingElseLeft()
    {
        var folder = Path.Combine(_root, "keystore");

        var path = new KeystoreDirectory(folder).Save("{\"k\":1}", Account, Time);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("{\"k\":1}", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void Save_FailureBeforeTheRename_LeavesNoFileAndNoTemporary()
    {
        var directory = new KeystoreDirectory(_root);
        string? seenTemporary = null;

        var error = Assert.Throws<IExecException>(() => directory.Save("{\"k\":1}", Account, Time, temporary =>
        {
            seenTemporary = temporary;
            // The temporary already holds the whole, synced text; a crash here must not leave it under the final name.
            Assert.Equal("{\"k\":1}", File.ReadAllText(temporary));
            throw new IOException("disk full (simulated)");
        }));

        Assert.Equal(ErrorIds.KeystoreWriteFailed, error.ErrorId);
        Assert.NotNull(seenTemporary);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Save_TargetAppearsBeforeTheRename_KeepsTheOtherFileAndReportsWalletAlreadyExists()
    {
        var directory = new KeystoreDirectory(_root);
        var final = Path.Combine(_root, KeystoreDirectory.FileNameFor(Account, Time));

        var error = Assert.Throws<IExecException>(() => directory.Save("{\"mine\":1}", Account, Time,
            _ => File.WriteAllText(final, "{\"theirs\":1}")));

        Assert.Equal(ErrorIds.WalletAlreadyExists, error.ErrorId);
        Assert.Equal(final, error.Target);
        Assert.Equal("{\"theirs\":1}", File.ReadAllText(final));
        Assert.Equal(new[] { final }, Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Save_ExistingFile_IsNeverOverwritten()
    {
        var directory = new KeystoreDirectory(_root);
        var path = directory.Save("{\"first\":1}", Account, Time);

        var error = Assert.Throws<IExecException>(() => directory.Save("{\"second\":1}", Account, Time));

        Assert.Equal(ErrorIds.WalletAlreadyExists, error.ErrorId);
        Assert.Equal("{\"first\":1}", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Save_FolderIsAFile_ThrowsKeystoreWriteFailedNotARawIOException()
    {
        File.WriteAllText(_root, "not a folder");
        try
        {
            var error = Record.Exception(() => new KeystoreDirectory(Path.Combine(_root, "keystore")).Save("{}", Account, Time));

            Assert.Equal(ErrorIds.KeystoreWriteFailed, Assert.IsType<IExecException>(error).ErrorId);
        }
        finally
        {
            File.Delete(_root);
        }
    }
}
