using System.Security.Cryptography;
using IExecSecrets.Core.Datasets;
using IExecSecrets.TestSupport.Oracles;

namespace IExecSecrets.Core.Tests.Datasets;

/// <summary>
/// Dataset encryption against the installed iexec SDK 8.24 (<c>generateAes256Key</c>, <c>encryptAes256Cbc</c>,
/// <c>sha256Sum</c>: what <c>iexec dataset encrypt</c> runs) and node's OpenSSL as the pre-compute stands in: the module's
/// file decrypts with node and has the checksum node computes; the SDK's file and key decrypt with the module.
/// </summary>
public sealed class DatasetEncryptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iexec-dataset-enc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<int> Sizes => new() { 0, 1, 15, 16, 17, 1 << 20 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ModuleEncryption_DecryptsWithNode_AndItsChecksumIsTheSha256OfTheFile(int size)
    {
        var plain = Path.Combine(_folder, "plain.bin");
        File.WriteAllBytes(plain, RandomNumberGenerator.GetBytes(size));
        var encrypted = Path.Combine(_folder, "plain.bin.enc");
        var key = DatasetEncryption.GenerateKey();
        byte[] checksum;
        using (var input = File.OpenRead(plain))
        using (var output = File.Create(encrypted))
        {
            checksum = DatasetEncryption.Encrypt(input, key, output);
        }

        var answers = EncryptionOracle.Run([
            new JsonObject { ["op"] = "decryptDataset", ["in"] = encrypted, ["key"] = Encoding.ASCII.GetString(key), ["out"] = Path.Combine(_folder, "node.bin") },
            new JsonObject { ["op"] = "sha256", ["in"] = encrypted },
        ]);

        Assert.False(answers[0].TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(Path.Combine(_folder, "node.bin")));
        Assert.Equal(answers[1].GetProperty("checksum").GetString(), DatasetEncryption.ChecksumText(checksum));
        Assert.Equal(16 * ((size / 16) + 2), new FileInfo(encrypted).Length);
        Assert.Equal(44, key.Length);
    }

    [Fact]
    public void SdkEncryption_DecryptsWithTheModule_AndChecksumsAgree()
    {
        var plain = Path.Combine(_folder, "coefficients.json");
        File.WriteAllText(plain, "{\"coefficients\":\"1;2;3;4\"}");
        var encrypted = Path.Combine(_folder, "coefficients.json.enc");
        var keyText = EncryptionOracle.RunOne(new JsonObject { ["op"] = "generateAes256Key" }).GetProperty("key").GetString()!;
        var sdk = EncryptionOracle.RunOne(new JsonObject { ["op"] = "encryptDataset", ["in"] = plain, ["key"] = keyText, ["out"] = encrypted });

        using var input = File.OpenRead(encrypted);
        using var output = new MemoryStream();
        DatasetEncryption.Decrypt(input, Encoding.ASCII.GetBytes(keyText + "\n"), output);

        Assert.Equal(File.ReadAllBytes(plain), output.ToArray());
        using var again = File.OpenRead(encrypted);
        Assert.Equal(sdk.GetProperty("checksum").GetString(), DatasetEncryption.ChecksumText(DatasetEncryption.Checksum(again)));
    }

    [Fact]
    public void Decrypt_WrongKeyOrDamagedFile_Fails()
    {
        var key = DatasetEncryption.GenerateKey();
        var other = DatasetEncryption.GenerateKey();
        using var encrypted = new MemoryStream();
        DatasetEncryption.Encrypt(new MemoryStream(Encoding.UTF8.GetBytes("secret dataset content")), key, encrypted);
        var bytes = encrypted.ToArray();

        Assert.ThrowsAny<CryptographicException>(() => DatasetEncryption.Decrypt(new MemoryStream(bytes), other, Stream.Null));
        bytes[^1] ^= 0x80;
        Assert.ThrowsAny<CryptographicException>(() => DatasetEncryption.Decrypt(new MemoryStream(bytes), key, Stream.Null));
        Assert.Throws<InvalidDataException>(() => DatasetEncryption.Decrypt(new MemoryStream(bytes[..8]), key, Stream.Null));
    }

    [Fact]
    public void DecodeKey_NotBase64Of32Bytes_IsInvalidDatasetKey_WithoutQuotingIt()
    {
        foreach (var value in new[] { "", "c2hvcnQ=", "not base64 at all!!", Convert.ToBase64String(new byte[31]), Convert.ToBase64String(new byte[33]) })
        {
            var failure = Assert.Throws<IExecException>(() => DatasetEncryption.DecodeKey(Encoding.ASCII.GetBytes(value), "vault/k"));
            Assert.Equal(ErrorIds.InvalidDatasetKey, failure.ErrorId);
            if (value.Length > 0) Assert.DoesNotContain(value, failure.Message);
        }
        Assert.Equal(32, DatasetEncryption.DecodeKey(Encoding.ASCII.GetBytes(" " + Convert.ToBase64String(new byte[32]) + "\r\n"), null).Length);
    }
}
