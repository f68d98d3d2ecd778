using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Interop.Tests.Sms;

public sealed class DevSmsStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devsms-store-").FullName;

    private string DatabasePath => Path.Combine(_directory, "sms.db");

    [Fact]
    public async Task Database_AfterPushes_HoldsNoPlaintextValueInAnyFile()
    {
        var canary = "CANARY-" + Guid.NewGuid().ToString("N");
        using var key = WalletKey.Generate();
        await using (var sms = await StartAsync())
        {
            using var client = new SmsClient(sms.Url);
            await client.PushRequesterSecretAsync(key, "x1", Encoding.UTF8.GetBytes(canary));
            await client.PushWeb2SecretAsync(key, "token", Encoding.UTF8.GetBytes(canary), update: false);
            // Checked while running too: the WAL file holds fresh writes before a checkpoint.
            AssertNoFileContains(canary);
        }

        AssertNoFileContains(canary);
        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Database_Reopened_DecryptsWithThePersistedKey()
    {
        using var key = WalletKey.Generate();
        var app = EthAddress.Parse("0x1111111111111111111111111111111111111111");
        await using (var first = await StartAsync(owner: key.Address))
        {
            using var client = new SmsClient(first.Url);
            await client.PushRequesterSecretAsync(key, "x1", "kept"u8.ToArray());
            await client.PushAppSecretAsync(key, app, "app-kept"u8.ToArray());
        }

        await using var second = await StartAsync();

        Assert.Equal("kept"u8.ToArray(), await second.GetRequesterSecretAsync(key.Address, "x1"));
        Assert.Equal("app-kept"u8.ToArray(), await second.GetAppSecretAsync(app));
        Assert.Null(await second.GetRequesterSecretAsync(key.Address, "x2"));
    }

    [Fact]
    public async Task KeyFile_OnUnix_IsReadableByTheOwnerOnly()
    {
        await using var sms = await StartAsync();

        var keyFile = DatabasePath + ".key";

        Assert.Equal(32, new FileInfo(keyFile).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<DevSmsServer> StartAsync(EthAddress? owner = null) => DevSmsServer.StartAsync(new DevSmsOptions
    {
        DatabasePath = DatabasePath,
        ResolveOwnerAsync = (_, _) => Task.FromResult(owner),
    });

    private void AssertNoFileContains(string canary)
    {
        var needle = Encoding.UTF8.GetBytes(canary);
        var files = Directory.GetFiles(_directory);
        Assert.Contains(files, f => f.EndsWith("sms.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} contains the secret value in clear");
        }
    }
}
