namespace IExecSecrets.Core.Tests.Wallet;

/// <summary>
/// Keystore files written by an attacker (a vault entry, a downloaded "backup", a file dropped into the keystore
/// folder): every one is refused with <see cref="ErrorIds.InvalidKeystore"/> before any expensive work, never with a
/// raw exception. No timing assertions: an over-limit file that reached the KDF would make these tests run for minutes.
/// </summary>
public sealed class KeystoreHostileTests
{
    private static readonly byte[] Password = "correct horse"u8.ToArray();

    private static JsonNode LightKeystore(out EthAddress address)
    {
        using var key = WalletKey.Generate();
        address = key.Address;
        return JsonNode.Parse(KeystoreV3.Encrypt(key, Password, new KeystoreEncryptionOptions { ScryptN = 1024 }))!;
    }

    private static IExecException Refused(JsonNode keystore, byte[]? password = null) =>
        Refused(keystore.ToJsonString(), password);

    private static IExecException Refused(string json, byte[]? password = null)
    {
        var error = Record.Exception(() => KeystoreV3.Decrypt(json, password ?? Password).Dispose());
        var refused = Assert.IsType<IExecException>(error);
        Assert.Equal(ErrorIds.InvalidKeystore, refused.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, refused.Category);
        return refused;
    }

    [Theory]
    [InlineData(32768, 1, 16384, "p = 16384")]       // 228 s of scrypt before the bound
    [InlineData(1073741824, 8, 1, "128·n·r")]        // 1 TiB of memory
    [InlineData(262144, 8, 4, "n·r·p")]              // 256 MiB, but four times geth standard's work
    [InlineData(1000, 8, 1, "n = 1000")]             // not a power of two
    [InlineData(1024, 0, 1, "r = 0")]
    [InlineData(1024, 8, -1, "p = -1")]
    public void Decrypt_ScryptCostOutOfBounds_ThrowsInvalidKeystoreNamingTheParameter(long n, long r, long p, string named)
    {
        var keystore = LightKeystore(out _);
        var parameters = keystore["Crypto"]!["kdfparams"]!;
        parameters["n"] = n;
        parameters["r"] = r;
        parameters["p"] = p;

        var error = Refused(keystore);

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Decrypt_ScryptNBeyondInt32_ThrowsInvalidKeystore()
    {
        var keystore = LightKeystore(out _);
        keystore["Crypto"]!["kdfparams"]!["n"] = 1L << 40;

        Assert.Contains("n = 1099511627776", Refused(keystore).Message);
    }

    [Theory]
    [InlineData(2147483647L)]
    [InlineData(4194305L)]
    [InlineData(0L)]
    [InlineData(99999999999L)]
    public void Decrypt_Pbkdf2IterationsOutOfBounds_ThrowsInvalidKeystore(long iterations)
    {
        var keystore = LightKeystore(out _);
        keystore["Crypto"]!["kdf"] = "pbkdf2";
        keystore["Crypto"]!["kdfparams"] = new JsonObject
        {
            ["c"] = iterations, ["dklen"] = 32, ["prf"] = "hmac-sha256", ["salt"] = new string('1', 64),
        };

        Assert.Contains($"c = {iterations}", Refused(keystore).Message);
    }

    public static TheoryData<string> Damages() => new()
    {
        "salt not hex", "salt odd length", "salt huge", "iv not hex", "iv 8 bytes", "iv empty", "ciphertext not hex",
        "ciphertext 31 bytes", "ciphertext 64 bytes", "mac not hex", "mac 31 bytes", "n as text", "n fractional",
        "dklen 64", "prf md5", "address not hex", "address 19 bytes", "address a number", "json too long",
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void Decrypt_MalformedField_ThrowsInvalidKeystore(string damage)
    {
        var keystore = LightKeystore(out _);
        var crypto = keystore["Crypto"]!;
        var parameters = crypto["kdfparams"]!;
        switch (damage)
        {
            case "salt not hex": parameters["salt"] = "zz" + new string('1', 62); break;
            case "salt odd length": parameters["salt"] = new string('1', 63); break;
            case "salt huge": parameters["salt"] = new string('1', 4096); break;
            case "iv not hex": crypto["cipherparams"]!["iv"] = "g" + new string('2', 31); break;
            case "iv 8 bytes": crypto["cipherparams"]!["iv"] = new string('2', 16); break;
            case "iv empty": crypto["cipherparams"]!["iv"] = ""; break;
            case "ciphertext not hex": crypto["ciphertext"] = "0x-" + new string('a', 61); break;
            case "ciphertext 31 bytes": crypto["ciphertext"] = new string('a', 62); break;
            case "ciphertext 64 bytes": crypto["ciphertext"] = new string('a', 128); break;
            case "mac not hex": crypto["mac"] = new string('q', 64); break;
            case "mac 31 bytes": crypto["mac"] = new string('a', 62); break;
            case "n as text": parameters["n"] = "lots"; break;
            case "n fractional": parameters["n"] = 1024.5; break;
            case "dklen 64": parameters["dklen"] = 64; break;
            case "prf md5":
                crypto["kdf"] = "pbkdf2";
                crypto["kdfparams"] = new JsonObject { ["c"] = 1000, ["dklen"] = 32, ["prf"] = "hmac-md5", ["salt"] = "11" };
                break;
            case "address not hex": keystore["address"] = "zz" + new string('1', 38); break;
            case "address 19 bytes": keystore["address"] = new string('1', 38); break;
            case "address a number": keystore["address"] = 42; break;
            case "json too long": keystore["padding"] = new string(' ', KeystoreV3.MaxKeystoreChars); break;
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }

        Refused(keystore);
    }

    public static TheoryData<string> RequiredFields() => new()
    {
        "Crypto", "Crypto.cipher", "Crypto.cipherparams", "Crypto.cipherparams.iv", "Crypto.ciphertext", "Crypto.kdf",
        "Crypto.kdfparams", "Crypto.kdfparams.salt", "Crypto.kdfparams.n", "Crypto.kdfparams.r", "Crypto.kdfparams.p",
        "Crypto.kdfparams.dklen", "Crypto.mac",
    };

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Decrypt_MissingField_ThrowsInvalidKeystoreNamingIt(string path)
    {
        var keystore = LightKeystore(out _);
        var parts = path.Split('.');
        var parent = keystore;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        parent.AsObject().Remove(parts[^1]);

        var error = Refused(keystore);

        Assert.Contains($"'{parts[^1].ToLowerInvariant()}'", error.Message.ToLowerInvariant());
    }

    [Theory]
    [InlineData("c")]
    [InlineData("prf")]
    public void Decrypt_Pbkdf2MissingField_ThrowsInvalidKeystore(string field)
    {
        var keystore = LightKeystore(out _);
        keystore["Crypto"]!["kdf"] = "pbkdf2";
        var parameters = new JsonObject { ["c"] = 1000, ["dklen"] = 32, ["prf"] = "hmac-sha256", ["salt"] = "11" };
        parameters.Remove(field);
        keystore["Crypto"]!["kdfparams"] = parameters;

        Assert.Contains($"'{field}'", Refused(keystore).Message);
    }

    [Fact]
    public void Decrypt_AddressOfAnotherAccount_ThrowsInvalidKeystoreWithTheDeclaredAddress()
    {
        var keystore = LightKeystore(out var real);
        using var other = WalletKey.Generate();
        keystore["address"] = Hex.Encode(other.Address.Span, prefix: false);

        var error = Refused(keystore);

        Assert.Equal(other.Address.ToString(), error.Target);
        Assert.DoesNotContain(real.ToString(), error.Message);
    }

    [Fact]
    public void Decrypt_NoAddress_DerivesItFromTheKey()
    {
        var keystore = LightKeystore(out var real);
        keystore.AsObject().Remove("address");
        var json = keystore.ToJsonString();

        using var key = KeystoreV3.Decrypt(json, Password);

        Assert.Equal(real, key.Address);
        Assert.Null(KeystoreV3.DeclaredAddress(json));
    }

    [Fact]
    public void Decrypt_ScryptR1N65536_DecryptsWhereBouncyCastleThrewArgumentException()
    {
        using var key = WalletKey.Generate();
        var json = KeystoreV3.Encrypt(key, Password, new KeystoreEncryptionOptions { ScryptN = 65536, ScryptR = 1 });

        using var decrypted = KeystoreV3.Decrypt(json, Password);

        Assert.Equal(key.Address, decrypted.Address);
    }

    [Fact]
    public void Decrypt_Pbkdf2Sha512_DecryptsAndWrongPasswordIsStillAnAuthenticationError()
    {
        // Built by hand from the BCL's PBKDF2 so the reader is checked against an independent writer.
        using var key = WalletKey.Generate();
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var iv = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var dk = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(Password, salt, 2000, System.Security.Cryptography.HashAlgorithmName.SHA512, 32);
        var plain = new byte[32];
        key.CopyPrivateKeyTo(plain);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = dk[..16];
        var keystream = new byte[32];
        var counter = (byte[])iv.Clone();
        for (var block = 0; block < 2; block++)
        {
            aes.EncryptEcb(counter, System.Security.Cryptography.PaddingMode.None).CopyTo(keystream, 16 * block);
            for (var i = 15; i >= 0 && ++counter[i] == 0; i--) { }
        }
        var ciphertext = plain.Select((b, i) => (byte)(b ^ keystream[i])).ToArray();
        var mac = Keccak256.Hash([.. dk[16..], .. ciphertext]);
        var json = new JsonObject
        {
            ["address"] = Hex.Encode(key.Address.Span, prefix: false),
            ["version"] = 3,
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["cipherparams"] = new JsonObject { ["iv"] = Hex.Encode(iv, prefix: false) },
                ["ciphertext"] = Hex.Encode(ciphertext, prefix: false),
                ["kdf"] = "pbkdf2",
                ["kdfparams"] = new JsonObject { ["c"] = 2000, ["dklen"] = 32, ["prf"] = "hmac-sha512", ["salt"] = Hex.Encode(salt, prefix: false) },
                ["mac"] = Hex.Encode(mac, prefix: false),
            },
        }.ToJsonString();

        using var decrypted = KeystoreV3.Decrypt(json, Password);
        var wrong = Assert.Throws<IExecException>(() => KeystoreV3.Decrypt(json, "nope"u8));

        Assert.Equal(key.Address, decrypted.Address);
        Assert.Equal(ErrorIds.WrongKeystorePassword, wrong.ErrorId);
    }

    [Fact]
    public void Decrypt_TokenAlreadyCancelled_ThrowsOperationCanceledBeforeTheKdf()
    {
        var keystore = LightKeystore(out _);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => KeystoreV3.Decrypt(keystore.ToJsonString(), Password, cancelled.Token));
    }

    [Theory]
    [InlineData("scrypt")]
    [InlineData("pbkdf2")]
    public void Decrypt_CancelledDuringASlowLegalKdf_ThrowsOperationCanceled(string kdf)
    {
        // The most expensive file the bounds admit (several seconds of work): cancelled 100 ms in, the derivation
        // must stop with OperationCanceledException rather than finish and report a wrong password.
        var keystore = LightKeystore(out _);
        keystore["Crypto"]!["kdf"] = kdf;
        keystore["Crypto"]!["kdfparams"] = kdf == "scrypt"
            ? new JsonObject { ["salt"] = new string('1', 64), ["n"] = 262144, ["dklen"] = 32, ["p"] = 2, ["r"] = 8 }
            : new JsonObject { ["salt"] = new string('1', 64), ["c"] = KeystoreKdf.MaxPbkdf2Iterations, ["dklen"] = 32, ["prf"] = "hmac-sha512" };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = Record.Exception(() => KeystoreV3.Decrypt(keystore.ToJsonString(), Password, cancellation.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }
}
