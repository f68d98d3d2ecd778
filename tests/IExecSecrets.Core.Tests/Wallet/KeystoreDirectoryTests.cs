namespace IExecSecrets.Core.Tests.Wallet;

public sealed class KeystoreDirectoryTests : IDisposable
{
    private static readonly EthAddress First = EthAddress.Parse("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");
    private static readonly EthAddress Second = EthAddress.Parse("0x1111111111111111111111111111111111111111");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "iexec-keystore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void FileNameFor_CliExample_HasTheCliLayout()
    {
        var name = KeystoreDirectory.FileNameFor(First, new DateTimeOffset(2026, 11, 23, 23, 9, 4, 352, TimeSpan.Zero));

        Assert.Equal("UTC--2026-11-23T23-09-04.352000000Z--FCAd0B19bB29D4674531d6f115237E16AfCE377c", name);
    }

    [Fact]
    public void FileNameFor_NonUtcTime_IsWrittenInUtc()
    {
        var name = KeystoreDirectory.FileNameFor(First, new DateTimeOffset(2026, 1, 2, 1, 0, 0, 5, TimeSpan.FromHours(2)));

        Assert.StartsWith("UTC--2026-01-01T23-00-00.005000000Z--", name);
    }

    [Fact]
    public void Save_CreatesTheFolderAndFindByAddressReturnsTheMostRecentFile()
    {
        var directory = new KeystoreDirectory(Path.Combine(_root, "nested", "keystore"));
        var older = directory.Save("{\"n\":1}", First, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var newer = directory.Save("{\"n\":2}", First, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        directory.Save("{\"n\":3}", Second, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

        foreach (var spelling in new[] { First.ToString(), First.ToLowerHex(), First.ToLowerHex()[2..], First.ToString().ToUpperInvariant()[2..] })
        {
            Assert.Equal(newer, directory.FindByAddress(spelling));
        }
        Assert.NotEqual(older, newer);
        Assert.Equal("{\"n\":2}", File.ReadAllText(newer));
    }

    [Fact]
    public void FindLatest_SeveralWallets_PicksTheLatestDateAndIgnoresOtherFiles()
    {
        var directory = new KeystoreDirectory(_root);
        directory.Save("{}", First, new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var latest = directory.Save("{}", Second, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllText(Path.Combine(_root, "wallet.json"), "{}");
        File.WriteAllText(Path.Combine(_root, "UTC--2099-01-01T00-00-00.000000000Z--"), "{}");

        Assert.Equal(latest, directory.FindLatest());
    }

    [Fact]
    public void List_SeveralWallets_MostRecentFirstWithoutOtherFiles()
    {
        var directory = new KeystoreDirectory(_root);
        var older = directory.Save("{}", First, new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var newest = directory.Save("{}", First, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var middle = directory.Save("{}", Second, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllText(Path.Combine(_root, "wallet.json"), "{}");
        File.WriteAllText(Path.Combine(_root, "UTC--2099-01-01T00-00-00.000000000Z--"), "{}");

        Assert.Equal(new[] { newest, middle, older }, directory.List());
    }

    [Fact]
    public void List_MissingFolder_ThrowsKeystoreDirectoryNotFound()
    {
        var error = Assert.Throws<IExecException>(() => new KeystoreDirectory(Path.Combine(_root, "missing")).List());

        Assert.Equal(ErrorIds.KeystoreDirectoryNotFound, error.ErrorId);
    }

    [Fact]
    public void ReadWalletFile_ReturnsTheTextOrThrowsWalletNotFound()
    {
        var path = new KeystoreDirectory(_root).Save("{\"address\":\"fcad0b19bb29d4674531d6f115237e16afce377c\"}", First, DateTimeOffset.UtcNow);
        var missing = Path.Combine(_root, "gone", "UTC--x--y");

        var text = KeystoreDirectory.ReadWalletFile(path);
        var error = Assert.Throws<IExecException>(() => KeystoreDirectory.ReadWalletFile(missing));

        Assert.Equal("{\"address\":\"fcad0b19bb29d4674531d6f115237e16afce377c\"}", text);
        Assert.Equal(ErrorIds.WalletNotFound, error.ErrorId);
        Assert.Equal(missing, error.Target);
    }

    [Fact]
    public void FindLatest_EmptyFolder_ReturnsNull()
    {
        Directory.CreateDirectory(_root);

        Assert.Null(new KeystoreDirectory(_root).FindLatest());
    }

    [Fact]
    public void FindByAddress_MissingFolder_ThrowsKeystoreDirectoryNotFoundWithTheCliMessage()
    {
        var missing = Path.Combine(_root, "missing");

        var error = Assert.Throws<IExecException>(() => new KeystoreDirectory(missing).FindByAddress(First.ToString()));

        Assert.Equal(ErrorIds.KeystoreDirectoryNotFound, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal($"Missing keystore directory {missing}, did you forget to run \"iexec wallet create\" ?", error.Message);
    }

    [Fact]
    public void FindByAddress_NoMatch_ThrowsWalletNotFoundWithTheCliMessage()
    {
        var directory = new KeystoreDirectory(_root);
        directory.Save("{}", First, DateTimeOffset.UtcNow);

        var error = Assert.Throws<IExecException>(() => directory.FindByAddress(Second.ToString()));

        Assert.Equal(ErrorIds.WalletNotFound, error.ErrorId);
        Assert.Equal($"No wallet file matching address {Second} found in {_root}", error.Message);
    }

    [Fact]
    public void Save_ExistingFile_IsNotOverwritten()
    {
        var directory = new KeystoreDirectory(_root);
        var time = DateTimeOffset.UtcNow;
        directory.Save("{\"first\":true}", First, time);

        var error = Assert.Throws<IExecException>(() => directory.Save("{}", First, time));
        Assert.Equal(ErrorIds.WalletAlreadyExists, error.ErrorId);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Save_OnUnix_FileIsPrivateToItsOwner()
    {
        var path = new KeystoreDirectory(_root).Save("{}", First, DateTimeOffset.UtcNow);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [LinuxFact]
    public void Global_OnLinux_IsDotEthereumKeystoreUnderHome()
    {
        Assert.Equal(Path.Combine(_root, ".ethereum", "keystore"), KeystoreDirectory.Global(_root).Path);
    }
}
