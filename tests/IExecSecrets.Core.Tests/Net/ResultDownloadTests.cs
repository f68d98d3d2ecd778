namespace IExecSecrets.Core.Tests.Net;

// Result archives come from a location a worker wrote on chain and bytes whoever serves them chose. Each test serves a
// hostile archive or location from a real loopback server and checks the refusal's id and that nothing partial is left.
public sealed class ResultDownloadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("result-download-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Save_ZipBomb200KiBTo200MiB_ResultArchiveRatioTooHighAndNothingLeft()
    {
        var bomb = Zip(("zeros.bin", 200L << 20));
        Assert.InRange(bomb.Length, 100 << 10, 400 << 10);
        using var gateway = new ScriptedHttpServer().Bytes("/ipfs/bomb", bomb);
        using var downloader = new TaskResultDownloader(gateway.Url);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/bomb"), Target("r.zip"), Target("r")));

        Assert.Equal(ErrorIds.ResultArchiveRatioTooHigh, error.ErrorId);
        Assert.Equal(IExecErrorCategory.LimitsExceeded, error.Category);
        AssertNothingLeft();
    }

    [Fact]
    public async Task Save_ArchiveWithTooManyEntries_ResultArchiveTooManyEntriesAndNothingLeft()
    {
        var many = Zip(Enumerable.Range(0, 10_001).Select(i => ($"f{i}.txt", 0L)).ToArray());
        using var gateway = new ScriptedHttpServer().Bytes("/ipfs/many", many);
        using var downloader = new TaskResultDownloader(gateway.Url);

        var error = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/many"), Target("r.zip"), Target("r")));

        Assert.Equal(ErrorIds.ResultArchiveTooManyEntries, error.ErrorId);
        AssertNothingLeft();
    }

    [Fact]
    public void Expand_EntryOrTotalOverTheCaps_OwnIdsAndTheExistingFolderIsUntouched()
    {
        var zip = Target("in.zip");
        File.WriteAllBytes(zip, Zip(("a.bin", 3L << 20), ("b.bin", 3L << 20)));
        var existing = Directory.CreateDirectory(Target("out")).FullName;
        File.WriteAllText(Path.Combine(existing, "a.bin"), "before");

        var entry = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, existing, new ResultDownloadOptions { MaxEntryBytes = 2 << 20 }));
        var total = Assert.Throws<IExecException>(() => TaskResultDownloader.Expand(zip, existing, new ResultDownloadOptions { MaxExpandedBytes = 5 << 20 }));

        Assert.Equal(ErrorIds.ResultArchiveEntryTooLarge, entry.ErrorId);
        Assert.Equal(ErrorIds.ResultArchiveTooLarge, total.ErrorId);
        Assert.Equal("before", File.ReadAllText(Path.Combine(existing, "a.bin")));
        Assert.Equal(["a.bin"], Directory.GetFiles(existing).Select(Path.GetFileName));
        Assert.Equal(["in.zip", "out"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Expand_WithinTheCaps_ReplacesFilesOfTheSameNameOnceWhole()
    {
        var zip = Target("in.zip");
        File.WriteAllBytes(zip, Zip(("a.bin", 10), ("sub/b.bin", 20)));
        var existing = Directory.CreateDirectory(Target("out")).FullName;
        File.WriteAllText(Path.Combine(existing, "a.bin"), "before");
        File.WriteAllText(Path.Combine(existing, "kept.txt"), "kept");

        TaskResultDownloader.Expand(zip, existing);

        Assert.Equal(10, new FileInfo(Path.Combine(existing, "a.bin")).Length);
        Assert.Equal(20, new FileInfo(Path.Combine(existing, "sub", "b.bin")).Length);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(existing, "kept.txt")));
        Assert.Equal(["in.zip", "out"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Expand_ArchiveUnderstatingItsSize_WritesNoMoreThanItDeclares()
    {
        // 200 MiB of zeros whose local and central headers claim 1,000 bytes: the declared-size checks pass, and what is
        // written is bounded by the declaration (the inflating stream stops there; the byte count is checked too).
        var bytes = Zip(("zeros.bin", 200L << 20));
        BitConverter.GetBytes(1000u).CopyTo(bytes, 22);
        for (var i = 0; i < bytes.Length - 4; i++)
        {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4b && bytes[i + 2] == 1 && bytes[i + 3] == 2) BitConverter.GetBytes(1000u).CopyTo(bytes, i + 24);
        }
        var zip = Target("liar.zip");
        File.WriteAllBytes(zip, bytes);

        TaskResultDownloader.Expand(zip, Target("out"));

        Assert.Equal(1000, new FileInfo(Path.Combine(Target("out"), "zeros.bin")).Length);
    }

    [Fact]
    public async Task Save_EndlessDownload_ResultTooLargeAndNoPartialFile()
    {
        using var gateway = new ScriptedHttpServer().Flood("/ipfs/endless", 8L << 20, fill: (byte)'P', contentType: "application/zip")
            .Announce("/ipfs/announced", 1L << 40);
        using var downloader = new TaskResultDownloader(gateway.Url, maxRetries: 0, options: new ResultDownloadOptions { MaxDownloadBytes = 1 << 20 });
        using var defaults = new TaskResultDownloader(gateway.Url, maxRetries: 0);

        var endless = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/endless"), Target("r.zip"), null));
        var announced = await Assert.ThrowsAsync<IExecException>(() => defaults.SaveAsync(Task("/ipfs/announced"), Target("r.zip"), null));

        Assert.Equal(ErrorIds.ResultTooLarge, endless.ErrorId);
        Assert.Equal(ErrorIds.ResultTooLarge, announced.ErrorId);
        AssertNothingLeft();
    }

    [Fact]
    public async Task Save_LocationOnAForeignHost_ResultHostNotAllowedBeforeAnyRequestUnlessAllowed()
    {
        using var gateway = new ScriptedHttpServer();
        using var foreign = new ScriptedHttpServer().Bytes("/loot.zip", Zip(("a.txt", 3)));
        var location = new Uri(foreign.Url, "/loot.zip").ToString();
        using var strict = new TaskResultDownloader(gateway.Url);
        using var allowing = new TaskResultDownloader(gateway.Url, options: new ResultDownloadOptions { AllowedHosts = [$"127.0.0.1:{foreign.Port}"] });
        using var any = new TaskResultDownloader(gateway.Url, options: new ResultDownloadOptions { AllowAnyHost = true });

        var error = await Assert.ThrowsAsync<IExecException>(() => strict.SaveAsync(Task(location), Target("r.zip"), null));
        var insecure = await Assert.ThrowsAsync<IExecException>(() => new TaskResultDownloader(new Uri("https://ipfs.example"), options: new ResultDownloadOptions { AllowAnyHost = true })
            .SaveAsync(Task("http://evil.example/x.zip"), Target("r.zip"), null));

        Assert.Equal(ErrorIds.ResultHostNotAllowed, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Equal(ErrorIds.InsecureGatewayUrl, insecure.ErrorId);
        Assert.Equal(0, foreign.HitsOn("/loot.zip"));
        AssertNothingLeft();

        Assert.True(await allowing.SaveAsync(Task(location), Target("a.zip"), null) > 0);
        Assert.True(await any.SaveAsync(Task(location), Target("b.zip"), null) > 0);
        Assert.Equal(2, foreign.HitsOn("/loot.zip"));
    }

    [Fact]
    public async Task Save_LocationOnTheResultProxy_Fetched()
    {
        using var gateway = new ScriptedHttpServer();
        using var proxy = new ScriptedHttpServer().Bytes("/results/1", Zip(("a.txt", 3)));
        using var downloader = new TaskResultDownloader(gateway.Url, options: new ResultDownloadOptions { ResultProxy = proxy.Url });

        Assert.True(await downloader.SaveAsync(Task(new Uri(proxy.Url, "/results/1").ToString()), Target("r.zip"), Target("r")) > 0);
        Assert.True(File.Exists(Path.Combine(Target("r"), "a.txt")));
    }

    [Fact]
    public async Task Save_GatewayRedirectsOrAnswersAnHtmlPage_RefusedAndNothingSaved()
    {
        // The redirect points at a live server holding a valid archive: following it would save that archive.
        using var elsewhere = new ScriptedHttpServer().Bytes("/elsewhere.zip", Zip(("a.txt", 3)));
        using var gateway = new ScriptedHttpServer()
            .Redirect("/ipfs/moved", elsewhere.Address + "/elsewhere.zip")
            .Text("/ipfs/page", "<html><body>Sign in</body></html>", "text/html");
        using var downloader = new TaskResultDownloader(gateway.Url, maxRetries: 0);

        var redirected = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/moved"), Target("r.zip"), null));
        var page = await Assert.ThrowsAsync<IExecException>(() => downloader.SaveAsync(Task("/ipfs/page"), Target("r.zip"), null));

        Assert.Equal(ErrorIds.UnexpectedRedirect, redirected.ErrorId);
        Assert.Equal(0, elsewhere.RequestCount);
        Assert.Equal(ErrorIds.ResultArchiveInvalid, page.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, page.Category);
        AssertNothingLeft();
    }

    private string Target(string name) => Path.Combine(_folder, name);

    private void AssertNothingLeft() => Assert.Empty(Directory.GetFileSystemEntries(_folder));

    private static TaskInfo Task(string location) => ResultArchives.Task(location);

    private static byte[] Zip(params (string Name, long Bytes)[] entries) => ResultArchives.Zeros(entries);
}
