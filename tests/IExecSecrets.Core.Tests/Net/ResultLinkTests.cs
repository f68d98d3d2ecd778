using System.IO.Compression;

namespace IExecSecrets.Core.Tests.Net;

/// <summary>
/// Files land only where the user said (issue 13, item 6): a cloned folder holding <c>result -&gt; ~</c>, a symlinked
/// subfolder of an existing expansion folder, a link on the way to the archive path, and archive entries that are links.
/// The "outside" folder stands for the user's home: after each attack it must be exactly as it was. Main wrote through
/// every one of these links.
/// </summary>
public sealed class ResultLinkTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("iexec-links-project-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("iexec-links-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_project, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private ResultDownloadOptions Options => new() { TrustedFolder = _project };

    [Fact]
    public async Task Save_ExpansionFolderIsASymlink_SymbolicLinkRefusedBeforeAnyRequestAndNothingWrittenThroughIt()
    {
        Directory.CreateSymbolicLink(Path.Combine(_project, "result"), _outside);
        using var gateway = new ScriptedHttpServer().Bytes("/ipfs/r", Zip(("pwned.txt", "x")));
        using var downloader = new TaskResultDownloader(gateway.Url, options: Options);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/r"), Path.Combine(_project, "result.zip"), Path.Combine(_project, "result")));

        Assert.Equal(ErrorIds.SymbolicLinkRefused, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(0, gateway.HitsOn("/ipfs/r"));
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
        Assert.False(File.Exists(Path.Combine(_project, "result.zip")));
    }

    [Fact]
    public void Expand_ExistingFolderWithASymlinkedSubfolder_RefusedAndNothingMoved()
    {
        var destination = Path.Combine(_project, "result");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "keep.txt"), "old");
        Directory.CreateSymbolicLink(Path.Combine(destination, "sub"), _outside);
        var zip = Path.Combine(_project, "r.zip");
        File.WriteAllBytes(zip, Zip(("keep.txt", "new"), ("sub/pwned.txt", "x")));

        var error = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, destination, Options));

        Assert.Equal(ErrorIds.SymbolicLinkRefused, error.ErrorId);
        Assert.Contains(Path.Combine(destination, "sub"), error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
        Assert.Equal("old", File.ReadAllText(Path.Combine(destination, "keep.txt")));   // nothing half done
    }

    [Fact]
    public void Expand_ExistingFileIsASymlink_RefusedInsteadOfReplacingOrFollowingIt()
    {
        var destination = Path.Combine(_project, "result");
        Directory.CreateDirectory(destination);
        var victim = Path.Combine(_outside, "bashrc");
        File.WriteAllText(victim, "mine");
        File.CreateSymbolicLink(Path.Combine(destination, "result.txt"), victim);
        var zip = Path.Combine(_project, "r.zip");
        File.WriteAllBytes(zip, Zip(("result.txt", "x")));

        var error = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, destination, Options));

        Assert.Equal(ErrorIds.SymbolicLinkRefused, error.ErrorId);
        Assert.Equal("mine", File.ReadAllText(victim));
        Assert.NotNull(new FileInfo(Path.Combine(destination, "result.txt")).LinkTarget);
    }

    [Fact]
    public async Task Save_ArchivePathPassesThroughASymlinkedFolder_RefusedBeforeAnyRequest()
    {
        Directory.CreateSymbolicLink(Path.Combine(_project, "out"), _outside);
        using var gateway = new ScriptedHttpServer().Bytes("/ipfs/r", Zip(("a.txt", "x")));
        using var downloader = new TaskResultDownloader(gateway.Url, options: Options);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/r"), Path.Combine(_project, "out", "r.zip"), null));

        Assert.Equal(ErrorIds.SymbolicLinkRefused, error.ErrorId);
        Assert.Equal(0, gateway.HitsOn("/ipfs/r"));
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
    }

    [Theory]
    [InlineData(0xA1FF, "symbolic link")]
    [InlineData(0x11A4, "special file")]
    public void Expand_ArchiveEntryThatIsALinkOrSpecialFile_RefusedWithItsId(int unixMode, string kind)
    {
        var zip = Path.Combine(_project, "r.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var entry = archive.CreateEntry("home");
            entry.ExternalAttributes = unixMode << 16;
            using (var writer = new StreamWriter(entry.Open())) writer.Write(_outside);
            using (var writer = new StreamWriter(archive.CreateEntry("home/pwned.txt").Open())) writer.Write("x");
        }

        var error = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, Path.Combine(_project, "result"), Options));

        Assert.Equal(ErrorIds.ResultArchiveLinkEntry, error.ErrorId);
        Assert.Contains(kind, error.Message);
        Assert.False(Directory.Exists(Path.Combine(_project, "result")));
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
    }

    [Fact]
    public void EnsureNoLink_TheTrustedFolderAndItsParentsMayBeLinks_NotWhatLiesBelow()
    {
        var real = Directory.CreateDirectory(Path.Combine(_outside, "real")).FullName;
        var linked = Path.Combine(_project, "here");
        Directory.CreateSymbolicLink(linked, real);

        TaskResultDownloader.EnsureNoLink(Path.Combine(linked, "result", "r.zip"), linked);
        Assert.Throws<IExecException>(() => TaskResultDownloader.EnsureNoLink(Path.Combine(linked, "result", "r.zip"), _project));
    }

    private static TaskInfo Task(string location) => ResultArchives.Task(location);

    private static byte[] Zip(params (string Name, string Text)[] entries) => ResultArchives.Texts(entries);
}
