using System.Text.RegularExpressions;

namespace IExecSecrets.Core.Tests.Wallet;

public sealed class KeystoreV3Tests
{
    private static readonly KeystoreEncryptionOptions Light = new() { ScryptN = 1024 };

    private static string LightKeystore(out WalletKey key)
    {
        key = WalletKey.Generate();
        return KeystoreV3.Encrypt(key, "correct horse"u8, Light);
    }

    [Fact]
    public void Decrypt_WrongPassword_ThrowsWrongKeystorePassword()
    {
        var json = LightKeystore(out var key);
        using (key)
        {
            var error = Assert.Throws<IExecException>(() => KeystoreV3.Decrypt(json, "battery staple"u8));

            Assert.Equal(ErrorIds.WrongKeystorePassword, error.ErrorId);
            Assert.Equal(IExecErrorCategory.AuthenticationError, error.Category);
            Assert.DoesNotContain("battery", error.Message);
        }
    }

    [Fact]
    public void EncryptThenDecrypt_SamePassword_GivesTheSameKey()
    {
        var json = LightKeystore(out var key);
        using (key)
        {
            using var decrypted = KeystoreV3.Decrypt(json, "correct horse"u8);

            Assert.Equal(key.Address, decrypted.Address);
            Assert.Equal(key.Address, KeystoreV3.ReadAddress(json));
        }
    }

    [Fact]
    public void Encrypt_DefaultOptions_WritesEthersCostAndRandomParts()
    {
        using var key = WalletKey.Generate();

        var first = JsonNode.Parse(KeystoreV3.Encrypt(key, "pw"u8))!;
        var second = JsonNode.Parse(KeystoreV3.Encrypt(key, "pw"u8, Light))!;

        Assert.Equal(131072, (int)first["Crypto"]!["kdfparams"]!["n"]!);
        Assert.Equal(8, (int)first["Crypto"]!["kdfparams"]!["r"]!);
        Assert.Equal(1, (int)first["Crypto"]!["kdfparams"]!["p"]!);
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), (string)first["id"]!);
        Assert.NotEqual((string)first["id"]!, (string)second["id"]!);
        Assert.NotEqual((string)first["Crypto"]!["kdfparams"]!["salt"]!, (string)second["Crypto"]!["kdfparams"]!["salt"]!);
        Assert.NotEqual((string)first["Crypto"]!["cipherparams"]!["iv"]!, (string)second["Crypto"]!["cipherparams"]!["iv"]!);
        using var decrypted = KeystoreV3.Decrypt(first.ToJsonString(), "pw"u8);
        Assert.Equal(key.Address, decrypted.Address);
    }

    public static TheoryData<string, string> Corruptions() => new()
    {
        { "not json", "{" },
        { "array", "[]" },
        { "no crypto", """{"address":"fcad0b19bb29d4674531d6f115237e16afce377c","version":3}""" },
        { "cipher", "aes-256-cbc" },
        { "kdf", "argon2" },
        { "dklen", "16" },
        { "n", "1000" },
        { "iv", "zz" },
        { "mac", "missing" },
        { "address", "1111111111111111111111111111111111111111" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Decrypt_MalformedKeystore_ThrowsInvalidKeystore(string what, string replacement)
    {
        var json = LightKeystore(out var key);
        key.Dispose();
        var node = JsonNode.Parse(json)!;
        var crypto = node["Crypto"]!;
        var corrupted = what switch
        {
            "cipher" => Set(node, () => crypto["cipher"] = replacement),
            "kdf" => Set(node, () => crypto["kdf"] = replacement),
            "dklen" => Set(node, () => crypto["kdfparams"]!["dklen"] = int.Parse(replacement)),
            "n" => Set(node, () => crypto["kdfparams"]!["n"] = int.Parse(replacement)),
            "iv" => Set(node, () => crypto["cipherparams"]!["iv"] = replacement),
            "mac" => Set(node, () => crypto.AsObject().Remove("mac")),
            "address" => Set(node, () => node["address"] = replacement),
            _ => replacement,
        };

        var error = Assert.Throws<IExecException>(() => KeystoreV3.Decrypt(corrupted, "correct horse"u8));

        Assert.Equal(ErrorIds.InvalidKeystore, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, error.Category);
    }

    [Fact]
    public void ReadAddress_NoAddress_ThrowsInvalidKeystore()
    {
        var error = Assert.Throws<IExecException>(() => KeystoreV3.ReadAddress("""{"version":3}"""));

        Assert.Equal(ErrorIds.InvalidKeystore, error.ErrorId);
    }

    [Fact]
    public void Encrypt_InvalidCost_IsRejectedBeforeAnyWork()
    {
        using var key = WalletKey.Generate();

        Assert.Throws<ArgumentException>(() => KeystoreV3.Encrypt(key, "pw"u8, new KeystoreEncryptionOptions { ScryptN = 1000 }));
        Assert.Throws<ArgumentException>(() => KeystoreV3.Encrypt(key, "pw"u8, new KeystoreEncryptionOptions { Salt = new byte[16] }));
    }

    private static string Set(JsonNode node, Action change)
    {
        change();
        return node.ToJsonString();
    }
}
