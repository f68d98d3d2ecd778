namespace IExecSecrets.Core.Tests.Config;

public sealed class SavedDefaultsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("saved-defaults-").FullName;

    private string FilePath => Path.Combine(_folder, "IExecSecrets", "config.json");

    [Fact]
    public void Process_WinsOverCurrentUser_AndEachScopeKeepsItsOwnValues()
    {
        var store = new SavedDefaults(FilePath);
        store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "bellecour", ["vault"] = "UserVault" });
        store.Set(DefaultsScope.Process, new Dictionary<string, string> { ["chain"] = "devnet" });

        Assert.Equal(("devnet", DefaultsScope.Process), store.Get("Chain"));
        Assert.Equal(("UserVault", DefaultsScope.CurrentUser), store.Get("Vault"));
        Assert.Equal((null, null), store.Get("Workerpool"));
        Assert.Equal("bellecour", store.Read(DefaultsScope.CurrentUser)["Chain"]);

        Assert.Equal(["Chain"], store.Clear(DefaultsScope.Process, ["Chain"]));
        Assert.Equal(("bellecour", DefaultsScope.CurrentUser), store.Get("Chain"));
    }

    [Fact]
    public void CurrentUser_IsAFileAnotherProcessReads_OwnerOnly_AndKeepsUnknownSettings()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, """{"futureSetting":"keep me","chain":"old"}""");
        var writer = new SavedDefaults(FilePath);

        writer.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Workerpool"] = "0xcdb8c7bd6d2d9d1f4d9aa0f6fa2d4f5c4c0b2e92", ["TeeFramework"] = "TDX" });

        var json = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        Assert.Equal("keep me", json["futureSetting"]!.GetValue<string>());
        Assert.Equal("old", json["chain"]!.GetValue<string>());
        Assert.Equal("tdx", json["teeFramework"]!.GetValue<string>());
        // Saved in EIP-55 form, whatever case it was given in.
        Assert.Equal("0xcDB8c7bD6d2d9d1f4D9aa0f6Fa2D4F5c4C0b2E92", json["workerpool"]!.GetValue<string>(), ignoreCase: true);
        Assert.NotEqual("0xcdb8c7bd6d2d9d1f4d9aa0f6fa2d4f5c4c0b2e92", json["workerpool"]!.GetValue<string>());
        var reader = new SavedDefaults(FilePath);
        Assert.Equal(TeeFramework.Tdx, reader.TeeFramework);
        Assert.Equal("old", reader.Chain);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(FilePath)!));
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(FilePath)!, "*.tmp"));
    }

    [Fact]
    public void AChangeByAnotherWriter_IsSeenWithoutRestarting()
    {
        var first = new SavedDefaults(FilePath);
        var second = new SavedDefaults(FilePath);
        first.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Vault"] = "A" });
        Assert.Equal("A", second.Vault);

        first.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Vault"] = "LongerName" });

        Assert.Equal("LongerName", second.Vault);
    }

    [Theory]
    [InlineData("Workerpool", "not-an-address")]
    [InlineData("TeeFramework", "sgx")]
    [InlineData("Chain", " ")]
    [InlineData("Colour", "blue")]
    public void BadValue_FailsBeforeAnythingIsSaved(string name, string value)
    {
        var store = new SavedDefaults(FilePath);
        store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Vault"] = "V" });
        var before = File.ReadAllText(FilePath);

        var error = Assert.Throws<IExecException>(() => store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "devnet", [name] = value }));

        Assert.Contains(error.ErrorId, new[] { ErrorIds.InvalidConfigurationValue, ErrorIds.UnknownTeeFramework });
        Assert.Equal(before, File.ReadAllText(FilePath));
        Assert.Null(store.Chain);
    }

    [Fact]
    public void UnreadableFile_IsInvalidConfigurationNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "{ not json");

        var error = Assert.Throws<IExecException>(() => new SavedDefaults(FilePath).Get("Chain"));

        Assert.Equal(ErrorIds.InvalidConfiguration, error.ErrorId);
        Assert.Equal(FilePath, error.Target);
    }

    [Fact]
    public void ChainResolver_UsesTheSavedChainWhenNoneIsNamed_AndANamedChainStillWins()
    {
        File.WriteAllText(Path.Combine(_folder, "chain.json"), """
            {"default":"a","chains":{"a":{"id":"1","host":"http://127.0.0.1:1"},"b":{"id":"2","host":"http://127.0.0.1:2"}}}
            """);
        var file = ChainConfigFile.Load(_folder);
        var resolver = new ChainResolver(file) { SavedDefaultChain = "b", SavedDefaultScope = DefaultsScope.Process };

        Assert.Equal("b", resolver.Resolve().Name);
        Assert.Equal("a", resolver.Resolve("a").Name);
        Assert.Equal("Process", resolver.DefaultChainSource);
        Assert.Equal("chain.json", new ChainResolver(file).DefaultChainSource);
        var missing = Assert.Throws<IExecException>(() => (new ChainResolver(file) { SavedDefaultChain = "zzz", SavedDefaultScope = DefaultsScope.CurrentUser }).Resolve());
        Assert.Equal(ErrorIds.ChainNotFound, missing.ErrorId);
        Assert.Contains("Set-IExecConfiguration -Scope CurrentUser", missing.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Issue 13, item 7: a workerpool's API URL can be pinned (per process or in the user's file), checked when saved.
    [Fact]
    public void WorkerpoolApiPins_SavedCheckedPersistedAndCleared()
    {
        const string pool = "0x0e7bc972c99187c191a17f3cae4a2711a4188c3f";
        var store = new SavedDefaults(FilePath);
        store.Set(DefaultsScope.CurrentUser, new Dictionary<string, string> { ["Chain"] = "bellecour" });

        store.SetWorkerpoolApiPins(DefaultsScope.CurrentUser, new Dictionary<string, string> { [pool] = "https://core.pool.example/" });
        var reread = new SavedDefaults(FilePath);

        var (url, scope) = reread.GetWorkerpoolApiPin(IExecSecrets.Core.Crypto.EthAddress.Parse(pool));
        Assert.Equal(new Uri("https://core.pool.example"), url);
        Assert.Equal(DefaultsScope.CurrentUser, scope);
        Assert.Equal("bellecour", reread.Chain);
        Assert.Contains("\"workerpoolApiUrls\"", File.ReadAllText(FilePath));
        store.SetWorkerpoolApiPins(DefaultsScope.Process, new Dictionary<string, string> { [pool] = "http://127.0.0.1:9000" });
        Assert.Equal(DefaultsScope.Process, store.GetWorkerpoolApiPin(IExecSecrets.Core.Crypto.EthAddress.Parse(pool)).Scope);

        foreach (var (badPool, badUrl) in new[] { ("pool.eth", "https://x.example"), (pool, "http://x.example"), (pool, "https://u:p@x.example"), (pool, "https://x.example/?k=1"), (pool, "not a url") })
        {
            var error = Assert.Throws<IExecException>(() => store.SetWorkerpoolApiPins(DefaultsScope.CurrentUser, new Dictionary<string, string> { [badPool] = badUrl }));
            Assert.Equal(ErrorIds.InvalidConfigurationValue, error.ErrorId);
        }

        Assert.Single(store.ClearWorkerpoolApiPins(DefaultsScope.CurrentUser));
        Assert.Null(new SavedDefaults(FilePath).GetWorkerpoolApiPin(IExecSecrets.Core.Crypto.EthAddress.Parse(pool)).Url);
        Assert.Equal("bellecour", new SavedDefaults(FilePath).Chain);
    }
}
