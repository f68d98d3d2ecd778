using System.IO.Compression;
using IExecSecrets.Core.Results;
using IExecSecrets.TestSupport.Oracles;

namespace IExecSecrets.Core.Tests.Results;

/// <summary>
/// Encrypted results against the installed iexec SDK 8.24 (<c>decryptResult</c>, what <c>iexec result decrypt</c> runs) and
/// node's crypto: a module-made key pair opens with the SDK, a key pair made as <c>iexec result generate-encryption-keypair</c>
/// makes it opens with the module, archives written by node as the post-compute writes them (current and legacy form)
/// open with both, and any changed byte is a clear ResultDecryptionFailed with nothing left behind.
/// </summary>
public sealed class ResultEncryptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iexec-result-enc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ModuleKeyPair_IsWhatTheSdkMakes_AndItsArchiveOpensWithTheSdk()
    {
        using var pair = ResultKeyPair.Generate();
        var plain = WritePlainResult("plain.zip", "{\"x\":3,\"result\":55}");
        var encrypted = Path.Combine(_folder, "encrypted.zip");
        using (var rsa = ResultEncryption.ReadSmsPublicKey(pair.SmsValue))
        using (var input = File.OpenRead(plain))
        using (var output = File.Create(encrypted))
        {
            ResultEncryption.Encrypt(input, rsa, output);
        }
        var keyFile = Path.Combine(_folder, "module_key");
        File.WriteAllBytes(keyFile, pair.PrivateKeyPem.ToArray());

        var answer = EncryptionOracle.RunOne(new JsonObject { ["op"] = "decryptResult", ["zip"] = encrypted, ["key"] = keyFile, ["out"] = Path.Combine(_folder, "sdk.zip") });

        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(Path.Combine(_folder, "sdk.zip")));
        Assert.Equal(new FileInfo(plain).Length, answer.GetProperty("length").GetInt64());
        // The SDK's PEM shapes: PKCS#8 and SubjectPublicKeyInfo, 4096 bits, 64-character lines and a final newline.
        var privatePem = Encoding.UTF8.GetString(pair.PrivateKeyPem.Span);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privatePem);
        Assert.EndsWith("\n-----END PRIVATE KEY-----\n", privatePem);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pair.PublicKeyPem);
        Assert.EndsWith("\n-----END PUBLIC KEY-----\n", pair.PublicKeyPem);
        Assert.All(pair.PublicKeyPem.Split('\n')[1..^2], line => Assert.True(line.Length <= 64));
        using var key = ResultDecryptionKey.FromPem(pair.PrivateKeyPem.Span, "k");
        Assert.Equal(4096, key.KeySizeBits);
        Assert.Equal(pair.PublicKeyPem, key.PublicKeyPem());
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.PublicKeyPem)), pair.SmsValue);
    }

    [Fact]
    public void SdkMadeKeyPair_NodeWrittenArchive_OpensWithTheModule_CurrentAndLegacyForms()
    {
        var keys = EncryptionOracle.RunOne(new JsonObject { ["op"] = "generateKeyPair", ["bits"] = 2048 });
        var publicPem = keys.GetProperty("publicKey").GetString()!;
        var privatePem = Encoding.UTF8.GetBytes(keys.GetProperty("privateKey").GetString()!);
        var plain = WritePlainResult("plain.zip", "{\"x\":7,\"result\":1}");
        var current = Path.Combine(_folder, "current.zip");
        var legacy = Path.Combine(_folder, "legacy.zip");
        var byModule = Path.Combine(_folder, "by-module.zip");
        var answers = EncryptionOracle.Run([
            new JsonObject { ["op"] = "encryptResult", ["plain"] = plain, ["publicKey"] = publicPem, ["out"] = current },
            new JsonObject { ["op"] = "legacyResult", ["plain"] = plain, ["publicKey"] = publicPem, ["out"] = legacy },
        ]);
        Assert.All(answers, a => Assert.False(a.TryGetProperty("error", out _), a.ToString()));
        var keyFile = Path.Combine(_folder, "sdk_key");
        File.WriteAllBytes(keyFile, privatePem);
        // The module's own encryption for that SDK key, too, read back by the SDK below.
        using (var rsa = ResultEncryption.ReadPublicKeyPem(publicPem))
        using (var input = File.OpenRead(plain))
        using (var output = File.Create(byModule))
        {
            ResultEncryption.Encrypt(input, rsa, output);
        }
        var sdk = EncryptionOracle.Run([
            new JsonObject { ["op"] = "decryptResult", ["zip"] = legacy, ["key"] = keyFile, ["out"] = Path.Combine(_folder, "sdk-legacy.zip") },
            new JsonObject { ["op"] = "decryptResult", ["zip"] = byModule, ["key"] = keyFile, ["out"] = Path.Combine(_folder, "sdk-module.zip") },
        ]);

        using var key = ResultDecryptionKey.FromPem(privatePem, "sdk_key");
        foreach (var archive in new[] { current, legacy, byModule })
        {
            Assert.True(ResultEncryption.IsEncryptedArchive(archive));
            var opened = Path.Combine(_folder, Path.GetFileNameWithoutExtension(archive) + ".plain.zip");
            ResultEncryption.Decrypt(archive, key, opened);
            Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(opened));
        }
        Assert.All(sdk, a => Assert.False(a.TryGetProperty("error", out _), a.ToString()));
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(Path.Combine(_folder, "sdk-legacy.zip")));
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(Path.Combine(_folder, "sdk-module.zip")));
        Assert.False(ResultEncryption.IsEncryptedArchive(plain));
    }

    public static TheoryData<string> Tamperings => new() { "payload-middle", "payload-end", "iv-signature", "key", "truncated", "wrong-key" };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void TamperedArchive_IsResultDecryptionFailed_AndNothingIsWritten(string tampering)
    {
        using var pair = ResultKeyPair.Generate(2048);
        using var other = ResultKeyPair.Generate(2048);
        // Enough content that the payload spans many AES blocks, stored so a changed byte reaches the result bytes.
        var plain = WritePlainResult("plain.zip", string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i};")), CompressionLevel.NoCompression);
        var encrypted = Path.Combine(_folder, "encrypted.zip");
        using (var rsa = ResultEncryption.ReadSmsPublicKey(pair.SmsValue))
        using (var input = File.OpenRead(plain))
        using (var output = File.Create(encrypted))
        {
            ResultEncryption.Encrypt(input, rsa, output);
        }
        Rewrite(encrypted, tampering);
        var opened = Path.Combine(_folder, "opened.zip");
        using var key = ResultDecryptionKey.FromPem((tampering == "wrong-key" ? other : pair).PrivateKeyPem.Span, "k");

        var failure = Assert.Throws<IExecException>(() => ResultEncryption.Decrypt(encrypted, key, opened, target: "task"));

        Assert.Equal(ErrorIds.ResultDecryptionFailed, failure.ErrorId);
        Assert.Equal("task", failure.Target);
        Assert.Contains("nothing was written", failure.Message);
        Assert.False(File.Exists(opened));
    }

    [Fact]
    public void DecryptionKey_NotAPrivateKey_IsInvalidDecryptionKey_WithoutQuotingIt()
    {
        using var pair = ResultKeyPair.Generate(2048);
        foreach (var value in new[] { "", "not a key at all", pair.PublicKeyPem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" })
        {
            var failure = Assert.Throws<IExecException>(() => ResultDecryptionKey.FromPem(Encoding.UTF8.GetBytes(value), "vault/key"));
            Assert.Equal(ErrorIds.InvalidDecryptionKey, failure.ErrorId);
            Assert.Equal("vault/key", failure.Target);
            if (value.Length > 0) Assert.DoesNotContain(value.Trim(), failure.Message);
        }
    }

    [Fact]
    public void SmsPublicKey_NotBase64OfSpkiPem_IsInvalidResultEncryptionKey()
    {
        using var pair = ResultKeyPair.Generate(2048);
        foreach (var value in new[] { pair.PublicKeyPem, Convert.ToBase64String(Encoding.UTF8.GetBytes("hello")), "%%%" })
        {
            Assert.Equal(ErrorIds.InvalidResultEncryptionKey, Assert.Throws<IExecException>(() => ResultEncryption.ReadSmsPublicKey(value)).ErrorId);
        }
    }

    [Fact]
    public void Crc32_IsTheZipChecksum()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    private string WritePlainResult(string name, string result, CompressionLevel level = CompressionLevel.Optimal)
    {
        var path = Path.Combine(_folder, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(archive.CreateEntry("result.txt", level).Open())) writer.Write(result);
        using (var writer = new StreamWriter(archive.CreateEntry("computed.json", level).Open())) writer.Write("{\"deterministic-output-path\":\"/iexec_out/result.txt\"}");
        return path;
    }

    // Changes the encrypted archive the way a hostile gateway could, keeping it a readable zip where that matters.
    private static void Rewrite(string path, string tampering)
    {
        if (tampering == "wrong-key") return;
        byte[] payload, key;
        using (var archive = ZipFile.OpenRead(path))
        {
            payload = Read(archive.GetEntry(ResultEncryption.PayloadEntryName)!);
            key = Read(archive.GetEntry(ResultEncryption.KeyEntryName)!);
        }
        switch (tampering)
        {
            case "payload-middle": payload[payload.Length / 2] ^= 0x01; break;
            case "payload-end": payload[^1] ^= 0x80; break;
            case "iv-signature": payload[1] ^= 0x20; break;   // flips the second byte of "PK\3\4" in the plaintext
            case "key": key[key.Length / 2] ^= 0x01; break;
            case "truncated": payload = payload[..(payload.Length - 16)]; break;
        }
        File.Delete(path);
        using var rewritten = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = rewritten.CreateEntry(ResultEncryption.PayloadEntryName).Open()) s.Write(payload);
        using (var s = rewritten.CreateEntry(ResultEncryption.KeyEntryName).Open()) s.Write(key);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
