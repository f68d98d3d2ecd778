namespace IExecSecrets.Core.Tests.Net;

// The download attacks through the downloader's original surface (DownloadAsync, static Expand) with default limits,
// so each one reads the same before and after the caps: a zip bomb, an archive with too many entries, an endless
// download and a result location on a foreign host.
public sealed class ResultAttackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("result-attack-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Expand_ZipBomb_RefusedWithItsIdAndNoFolderAppears()
    {
        var zip = Path.Combine(_folder, "bomb.zip");
        File.WriteAllBytes(zip, Zip(("zeros.bin", 200L << 20)));

        var error = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, Path.Combine(_folder, "out")));

        Assert.Equal(ErrorIds.ResultArchiveRatioTooHigh, error.ErrorId);
        Assert.Equal(["bomb.zip"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Expand_TenThousandAndOneEntries_RefusedWithItsIdAndNoFolderAppears()
    {
        var zip = Path.Combine(_folder, "many.zip");
        File.WriteAllBytes(zip, Zip(Enumerable.Range(0, 10_001).Select(i => ($"f{i}", 0L)).ToArray()));

        var error = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, Path.Combine(_folder, "out")));

        Assert.Equal(ErrorIds.ResultArchiveTooManyEntries, error.ErrorId);
        Assert.Equal(["many.zip"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Download_AnnouncedTerabyte_ResultTooLargeAndNoFile()
    {
        using var gateway = new ScriptedHttpServer().Announce("/ipfs/huge", 1L << 40);
        using var downloader = new TaskResultDownloader(gateway.Url, maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.DownloadAsync(Task("/ipfs/huge"), Path.Combine(_folder, "r.zip")));

        Assert.Equal(ErrorIds.ResultTooLarge, error.ErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Download_LocationOnAForeignHost_RefusedAndTheHostNeverCalled()
    {
        using var gateway = new ScriptedHttpServer();
        using var foreign = new ScriptedHttpServer().Bytes("/loot.zip", Zip(("a.txt", 3)));
        using var downloader = new TaskResultDownloader(gateway.Url, maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.DownloadAsync(Task(new Uri(foreign.Url, "/loot.zip").ToString()), Path.Combine(_folder, "r.zip")));

        Assert.Equal(ErrorIds.ResultHostNotAllowed, error.ErrorId);
        Assert.Equal(0, foreign.HitsOn("/loot.zip"));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/loot.zip")]
    public void ResultUrl_LocationThatIsNotHttp_IsRefusedEvenWhenEveryHostIsAllowed(string location)
    {
        // A worker writes the result location on chain. Allowing every host (-AllowResultHost *) widens where an http(s)
        // result may come from, never which schemes are fetched.
        using var downloader = new TaskResultDownloader(new Uri("http://127.0.0.1:9/"), maxRetries: 0, options: new ResultDownloadOptions { AllowAnyHost = true });

        var error = Assert.Throws<IExecException>(() => downloader.ResultUrl(Task(location)));

        Assert.Equal(ErrorIds.ResultHostNotAllowed, error.ErrorId);
        Assert.Contains("is not an http(s) location", error.Message);
    }

    private static TaskInfo Task(string location) => ResultArchives.Task(location, 'b');

    private static byte[] Zip(params (string Name, long Bytes)[] entries) => ResultArchives.Zeros(entries);
}
