using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// Web3 Secret Storage v3 ("keystore") files as ethers v6 and the iexec CLI read and write them: AES-128-CTR over the
/// 32-byte private key, scrypt or PBKDF2 key derivation, and MAC = keccak256(dk[16..32] ‖ ciphertext).
/// </summary>
/// <remarks>
/// Passwords are raw bytes. ethers NFKC-normalises a string password before UTF-8 encoding it, so for a non-ASCII
/// password pass the UTF-8 bytes of its NFKC form to get the same key. Derived keys and decrypted plaintext are
/// zeroed before returning; BouncyCastle's internal AES key schedule and scrypt work buffers are not ours to zero.
/// </remarks>
public static class KeystoreV3
{
    private const int DerivedKeyLength = 32;
    private const int PrivateKeyLength = 32;

    // scrypt needs 128·r·n bytes; beyond 1 GiB a file is hostile or broken, not a wallet.
    private const long MaxScryptMemoryBytes = 1L << 30;

    /// <summary>
    /// Decrypts a keystore and returns its key. Accepts <c>Crypto</c> or <c>crypto</c> (any case, like ethers),
    /// kdf <c>scrypt</c> or <c>pbkdf2</c> (prf <c>hmac-sha256</c>/<c>hmac-sha512</c>), cipher <c>aes-128-ctr</c>.
    /// A MAC mismatch throws <see cref="ErrorIds.WrongKeystorePassword"/> (AuthenticationError); anything malformed,
    /// unsupported, or whose <c>address</c> does not match the decrypted key throws <see cref="ErrorIds.InvalidKeystore"/>.
    /// </summary>
    public static WalletKey Decrypt(string json, ReadOnlySpan<byte> passwordUtf8)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        var root = document.RootElement;
        var crypto = RequiredObject(root, "crypto");
        var cipher = RequiredString(crypto, "cipher");
        if (!string.Equals(cipher, "aes-128-ctr", StringComparison.OrdinalIgnoreCase))
            throw Malformed($"Unsupported keystore cipher '{cipher}'; only aes-128-ctr is supported.");
        var iv = RequiredHex(RequiredObject(crypto, "cipherparams"), "iv");
        if (iv.Length != 16) throw Malformed("The keystore IV must be 16 bytes.");
        var ciphertext = RequiredHex(crypto, "ciphertext");
        if (ciphertext.Length != PrivateKeyLength) throw Malformed("The keystore ciphertext must be 32 bytes.");
        var expectedMac = RequiredHex(crypto, "mac");

        var derivedKey = GC.AllocateArray<byte>(DerivedKeyLength, pinned: true);
        var plaintext = GC.AllocateArray<byte>(PrivateKeyLength, pinned: true);
        try
        {
            DeriveKey(crypto, passwordUtf8, derivedKey);
            var mac = ComputeMac(derivedKey, ciphertext);
            if (!CryptographicOperations.FixedTimeEquals(mac, expectedMac))
                throw new IExecException(ErrorIds.WrongKeystorePassword, IExecErrorCategory.AuthenticationError,
                    "Incorrect password: the keystore MAC does not match.")
                { RecommendedAction = "Check the wallet password." };
            AesCtr(derivedKey.AsSpan(0, 16), iv, ciphertext, plaintext);
            if (!Secp256k1.IsValidPrivateKey(plaintext)) throw Malformed("The keystore does not hold a valid secp256k1 private key.");
            var key = WalletKey.FromPrivateKey(plaintext);
            if (TryReadAddress(root, out var declared) && declared != key.Address)
            {
                key.Dispose();
                throw Malformed("The keystore address does not match its private key.");
            }
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derivedKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="key"/> into ethers v6's exact layout, indented by two spaces as the iexec CLI saves it:
    /// <c>address</c> (lower-case, no 0x), <c>id</c> (UUID v4), <c>version</c> 3, then <c>Crypto</c> with cipher,
    /// cipherparams, ciphertext, kdf (scrypt), kdfparams (salt, n, dklen, p, r) and mac.
    /// </summary>
    public static string Encrypt(WalletKey key, ReadOnlySpan<byte> passwordUtf8, KeystoreEncryptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= new KeystoreEncryptionOptions();
        ValidateScrypt(options.ScryptN, options.ScryptR, options.ScryptP);
        var salt = FixedOrRandom(options.Salt, 32, nameof(options.Salt));
        var iv = FixedOrRandom(options.Iv, 16, nameof(options.Iv));
        var uuid = FixedOrRandom(options.UuidBytes, 16, nameof(options.UuidBytes));
        uuid[6] = (byte)((uuid[6] & 0x0f) | 0x40);
        uuid[8] = (byte)((uuid[8] & 0x3f) | 0x80);

        var derivedKey = GC.AllocateArray<byte>(DerivedKeyLength, pinned: true);
        var plaintext = GC.AllocateArray<byte>(PrivateKeyLength, pinned: true);
        var ciphertext = new byte[PrivateKeyLength];
        try
        {
            Scrypt(passwordUtf8, salt, options.ScryptN, options.ScryptR, options.ScryptP, derivedKey);
            key.CopyPrivateKeyTo(plaintext);
            AesCtr(derivedKey.AsSpan(0, 16), iv, plaintext, ciphertext);
            var mac = ComputeMac(derivedKey, ciphertext);
            return Write(key.Address, uuid, iv, ciphertext, salt, options, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derivedKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The <c>address</c> field of a keystore, without decrypting it (what read-only commands need). Throws
    /// <see cref="ErrorIds.InvalidKeystore"/> when the JSON or the field is missing or malformed.
    /// </summary>
    public static EthAddress ReadAddress(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        if (!TryReadAddress(document.RootElement, out var address))
            throw Malformed("The keystore has no valid 'address' field.");
        return address;
    }

    private static bool TryReadAddress(JsonElement root, out EthAddress address)
    {
        address = default;
        if (!TryGetProperty(root, "address", out var value) || value.ValueKind != JsonValueKind.String) return false;
        var text = value.GetString()!;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = "0x" + text;
        return EthAddress.TryParse(text, out address);
    }

    private static void DeriveKey(JsonElement crypto, ReadOnlySpan<byte> password, Span<byte> derivedKey)
    {
        var kdf = RequiredString(crypto, "kdf").ToLowerInvariant();
        var parameters = RequiredObject(crypto, "kdfparams");
        var salt = RequiredHex(parameters, "salt");
        if (RequiredInt(parameters, "dklen") != DerivedKeyLength) throw Malformed("The keystore dklen must be 32.");
        switch (kdf)
        {
            case "scrypt":
                var n = RequiredInt(parameters, "n");
                var r = RequiredInt(parameters, "r");
                var p = RequiredInt(parameters, "p");
                try { ValidateScrypt(n, r, p); }
                catch (ArgumentException e) { throw Malformed(e.Message); }
                Scrypt(password, salt, n, r, p, derivedKey);
                break;
            case "pbkdf2":
                var prf = RequiredString(parameters, "prf").ToLowerInvariant();
                var hash = prf switch
                {
                    "hmac-sha256" => HashAlgorithmName.SHA256,
                    "hmac-sha512" => HashAlgorithmName.SHA512,
                    _ => throw Malformed($"Unsupported pbkdf2 prf '{prf}'."),
                };
                var iterations = RequiredInt(parameters, "c");
                if (iterations < 1) throw Malformed("The pbkdf2 iteration count must be positive.");
                // The BCL's span-based PBKDF2 writes straight into our pinned buffer, which BouncyCastle's
                // Pkcs5S2 generator (it returns a KeyParameter holding its own copy) cannot.
                Rfc2898DeriveBytes.Pbkdf2(password, salt, derivedKey, iterations, hash);
                break;
            default:
                throw Malformed($"Unsupported keystore kdf '{kdf}'.");
        }
    }

    private static void Scrypt(ReadOnlySpan<byte> password, byte[] salt, int n, int r, int p, Span<byte> derivedKey)
    {
        var passwordCopy = GC.AllocateArray<byte>(password.Length, pinned: true);
        byte[]? output = null;
        try
        {
            password.CopyTo(passwordCopy);
            output = SCrypt.Generate(passwordCopy, salt, n, r, p, derivedKey.Length);
            output.CopyTo(derivedKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordCopy);
            if (output is not null) CryptographicOperations.ZeroMemory(output);
        }
    }

    private static void ValidateScrypt(int n, int r, int p)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException("scrypt n must be a power of two, at least 2.", nameof(n));
        if (r < 1 || p < 1) throw new ArgumentException("scrypt r and p must be positive.", nameof(r));
        if (128L * r * n > MaxScryptMemoryBytes) throw new ArgumentException("scrypt parameters need more than 1 GiB of memory.", nameof(n));
    }

    private static byte[] ComputeMac(byte[] derivedKey, byte[] ciphertext)
    {
        var macInput = GC.AllocateArray<byte>(16 + ciphertext.Length, pinned: true);
        try
        {
            derivedKey.AsSpan(16, 16).CopyTo(macInput);
            ciphertext.CopyTo(macInput, 16);
            return Keccak256.Hash(macInput);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macInput);
        }
    }

    private static void AesCtr(ReadOnlySpan<byte> key16, byte[] iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var cipher = CipherUtilities.GetCipher("AES/CTR/NoPadding");
        cipher.Init(forEncryption: true, new ParametersWithIV(new KeyParameter(key16), iv));
        cipher.DoFinal(input, output);
    }

    private static string Write(EthAddress address, byte[] uuid, byte[] iv, byte[] ciphertext, byte[] salt,
        KeystoreEncryptionOptions options, byte[] mac)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("address", Hex.Encode(address.Span, prefix: false));
            writer.WriteString("id", FormatUuid(uuid));
            writer.WriteNumber("version", 3);
            writer.WriteStartObject("Crypto");
            writer.WriteString("cipher", "aes-128-ctr");
            writer.WriteStartObject("cipherparams");
            writer.WriteString("iv", Hex.Encode(iv, prefix: false));
            writer.WriteEndObject();
            writer.WriteString("ciphertext", Hex.Encode(ciphertext, prefix: false));
            writer.WriteString("kdf", "scrypt");
            writer.WriteStartObject("kdfparams");
            writer.WriteString("salt", Hex.Encode(salt, prefix: false));
            writer.WriteNumber("n", options.ScryptN);
            writer.WriteNumber("dklen", DerivedKeyLength);
            writer.WriteNumber("p", options.ScryptP);
            writer.WriteNumber("r", options.ScryptR);
            writer.WriteEndObject();
            writer.WriteString("mac", Hex.Encode(mac, prefix: false));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        // Utf8JsonWriter indents with Environment.NewLine on net8.0; JSON.stringify(obj, null, 2) always uses \n.
        return Encoding.UTF8.GetString(buffer.WrittenSpan).ReplaceLineEndings("\n");
    }

    private static string FormatUuid(byte[] b)
    {
        var hex = Hex.Encode(b, prefix: false);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static byte[] FixedOrRandom(byte[]? fixedValue, int length, string name)
    {
        if (fixedValue is null) return RandomNumberGenerator.GetBytes(length);
        if (fixedValue.Length != length) throw new ArgumentException($"{name} must be {length} bytes.", name);
        return (byte[])fixedValue.Clone();
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Malformed("A keystore must be a JSON object.");
            }
            return document;
        }
        catch (JsonException e)
        {
            throw Malformed("The keystore is not valid JSON.", e);
        }
    }

    // ethers looks keys up case-insensitively (its "spelunk" helper), which is how both Crypto and crypto work.
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static JsonElement RequiredObject(JsonElement parent, string name)
    {
        if (TryGetProperty(parent, name, out var value) && value.ValueKind == JsonValueKind.Object) return value;
        throw Malformed($"The keystore has no '{name}' object.");
    }

    private static string RequiredString(JsonElement parent, string name)
    {
        if (TryGetProperty(parent, name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString()!;
        throw Malformed($"The keystore has no '{name}' string.");
    }

    private static int RequiredInt(JsonElement parent, string name)
    {
        if (TryGetProperty(parent, name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
            if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out number)) return number;
        }
        throw Malformed($"The keystore has no integer '{name}'.");
    }

    private static byte[] RequiredHex(JsonElement parent, string name)
    {
        var text = RequiredString(parent, name);
        try
        {
            return Hex.Decode(text);
        }
        catch (FormatException e)
        {
            throw Malformed($"The keystore field '{name}' is not hex.", e);
        }
    }

    private static IExecException Malformed(string message, Exception? inner = null) =>
        new(ErrorIds.InvalidKeystore, IExecErrorCategory.InvalidData, message, inner: inner);
}
