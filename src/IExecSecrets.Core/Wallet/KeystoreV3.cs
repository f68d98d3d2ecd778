using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Errors;
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

    /// <summary>Keystore files are about 500 bytes; anything over 64 KiB is refused before it is parsed.</summary>
    public const int MaxKeystoreChars = 64 * 1024;

    /// <summary>
    /// Decrypts a keystore and returns its key. Accepts <c>Crypto</c> or <c>crypto</c> (any case, like ethers),
    /// kdf <c>scrypt</c> or <c>pbkdf2</c> (prf <c>hmac-sha256</c>/<c>hmac-sha512</c>), cipher <c>aes-128-ctr</c>.
    /// A MAC mismatch throws <see cref="ErrorIds.WrongKeystorePassword"/> (AuthenticationError); anything malformed,
    /// unsupported, over the cost bounds, or whose <c>address</c> does not match the decrypted key throws
    /// <see cref="ErrorIds.InvalidKeystore"/> (InvalidData), and never any other exception type.
    /// </summary>
    /// <remarks>
    /// Every field is checked before any key-derivation work: the KDF cost is bounded (scrypt 128·n·r ≤ 256 MiB,
    /// n·r·p ≤ 2^22, r and p ≤ 64, n a power of two; pbkdf2 c ≤ 2^22; see <see cref="KeystoreKdf"/> for why those
    /// numbers), so a hostile file costs at most a few seconds, and the message names the parameter and its limit.
    /// The derivation polls <paramref name="cancellationToken"/> and throws <see cref="OperationCanceledException"/>
    /// within milliseconds of its cancellation. A file without an <c>address</c> is accepted (the address is derived
    /// from the key; see <see cref="DeclaredAddress"/> to tell the two cases apart).
    /// </remarks>
    public static WalletKey Decrypt(string json, ReadOnlySpan<byte> passwordUtf8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        var root = document.RootElement;
        var declared = ReadDeclaredAddress(root);
        var crypto = RequiredObject(root, "crypto");
        var cipher = RequiredString(crypto, "cipher");
        if (!string.Equals(cipher, "aes-128-ctr", StringComparison.OrdinalIgnoreCase))
            throw Malformed($"Unsupported keystore cipher '{cipher}'; only aes-128-ctr is supported.");
        var iv = RequiredHex(RequiredObject(crypto, "cipherparams"), "iv");
        if (iv.Length != 16) throw Malformed("The keystore IV must be 16 bytes.");
        var ciphertext = RequiredHex(crypto, "ciphertext");
        if (ciphertext.Length != PrivateKeyLength) throw Malformed("The keystore ciphertext must be 32 bytes.");
        var expectedMac = RequiredHex(crypto, "mac");
        if (expectedMac.Length != 32) throw Malformed("The keystore mac must be 32 bytes.");
        var kdf = ReadKdf(crypto);

        var derivedKey = GC.AllocateArray<byte>(DerivedKeyLength, pinned: true);
        var plaintext = GC.AllocateArray<byte>(PrivateKeyLength, pinned: true);
        WalletKey? key = null;
        try
        {
            kdf.Derive(passwordUtf8, derivedKey, cancellationToken);
            var mac = ComputeMac(derivedKey, ciphertext);
            if (!CryptographicOperations.FixedTimeEquals(mac, expectedMac))
                throw new IExecException(ErrorIds.WrongKeystorePassword,
                    "Incorrect password: the keystore MAC does not match.")
                { RecommendedAction = "Check the wallet password." };
            AesCtr(derivedKey.AsSpan(0, 16), iv, ciphertext, plaintext);
            if (!Secp256k1.IsValidPrivateKey(plaintext)) throw Malformed("The keystore does not hold a valid secp256k1 private key.");
            key = WalletKey.FromPrivateKey(plaintext);
            if (declared is { } address && address != key.Address)
                throw Malformed($"The keystore address {address} does not match its private key.", target: address.ToString());
            var result = key;
            key = null;
            return result;
        }
        catch (Exception e) when (e is not IExecException and not OperationCanceledException)
        {
            // A KDF or cipher failure we did not foresee (BouncyCastle throws ArgumentException for some inputs):
            // still a bad file, never a raw exception. The message names only the exception type.
            throw Malformed($"The keystore could not be decrypted ({e.GetType().Name}).", e);
        }
        finally
        {
            key?.Dispose();
            CryptographicOperations.ZeroMemory(derivedKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The keystore's <c>address</c> field, or null when it has none (ethers and geth always write one; some tools do
    /// not). A present but malformed address throws <see cref="ErrorIds.InvalidKeystore"/>.
    /// </summary>
    public static EthAddress? DeclaredAddress(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return ReadDeclaredAddress(document.RootElement);
    }

    /// <summary>
    /// Encrypts <paramref name="key"/> into ethers v6's exact layout, indented by two spaces as the iexec CLI saves it:
    /// <c>address</c> (lower-case, no 0x), <c>id</c> (UUID v4), <c>version</c> 3, then <c>Crypto</c> with cipher,
    /// cipherparams, ciphertext, kdf (scrypt), kdfparams (salt, n, dklen, p, r) and mac.
    /// </summary>
    /// <remarks>
    /// The scrypt parameters must be within the bounds <see cref="Decrypt"/> accepts (else <see cref="ArgumentException"/>,
    /// before any work); the derivation honours <paramref name="cancellationToken"/>.
    /// </remarks>
    public static string Encrypt(WalletKey key, ReadOnlySpan<byte> passwordUtf8, KeystoreEncryptionOptions? options = null,
        CancellationToken cancellationToken = default)
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
            KeystoreKdf.Scrypt(passwordUtf8, salt, options.ScryptN, options.ScryptR, options.ScryptP, derivedKey, cancellationToken);
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
    public static EthAddress ReadAddress(string json) =>
        DeclaredAddress(json) ?? throw Malformed("The keystore has no 'address' field.");

    private static EthAddress? ReadDeclaredAddress(JsonElement root)
    {
        if (!TryGetProperty(root, "address", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = "0x" + text;
        // A malformed address is refused, not ignored: ignoring it would skip the address check below.
        if (!EthAddress.TryParse(text, out var address)) throw Malformed("The keystore 'address' field is not a 20-byte hex address.");
        return address;
    }

    // All of the kdf's parameters are read and bounded here, before any derivation work.
    private static KdfPlan ReadKdf(JsonElement crypto)
    {
        var kdf = RequiredString(crypto, "kdf").ToLowerInvariant();
        var parameters = RequiredObject(crypto, "kdfparams");
        var salt = RequiredHex(parameters, "salt");
        if (salt.Length > KeystoreKdf.MaxSaltBytes) throw Malformed($"The keystore salt is {salt.Length} bytes; the limit is {KeystoreKdf.MaxSaltBytes}.");
        var dklen = RequiredInt(parameters, "dklen");
        if (dklen != DerivedKeyLength) throw Malformed($"The keystore dklen is {dklen}; it must be 32.");
        switch (kdf)
        {
            case "scrypt":
                var n = RequiredInt(parameters, "n");
                var r = RequiredInt(parameters, "r");
                var p = RequiredInt(parameters, "p");
                if (KeystoreKdf.CheckScrypt(n, r, p) is { } scryptProblem) throw Malformed("Refused keystore: " + scryptProblem);
                return new KdfPlan((password, output, token) => KeystoreKdf.Scrypt(password, salt, (int)n, (int)r, (int)p, output, token));
            case "pbkdf2":
                var prf = RequiredString(parameters, "prf").ToLowerInvariant();
                var hash = prf switch
                {
                    "hmac-sha256" => HashAlgorithmName.SHA256,
                    "hmac-sha512" => HashAlgorithmName.SHA512,
                    _ => throw Malformed($"Unsupported pbkdf2 prf '{prf}'."),
                };
                var iterations = RequiredInt(parameters, "c");
                if (KeystoreKdf.CheckPbkdf2(iterations) is { } pbkdf2Problem) throw Malformed("Refused keystore: " + pbkdf2Problem);
                return new KdfPlan((password, output, token) => KeystoreKdf.Pbkdf2(password, salt, (int)iterations, hash, output, token));
            default:
                throw Malformed($"Unsupported keystore kdf '{kdf}'.");
        }
    }

    private delegate void Derivation(ReadOnlySpan<byte> password, Span<byte> output, CancellationToken cancellationToken);

    private sealed record KdfPlan(Derivation Derive);

    private static void ValidateScrypt(int n, int r, int p)
    {
        if (KeystoreKdf.CheckScrypt(n, r, p) is { } problem) throw new ArgumentException(problem, nameof(KeystoreEncryptionOptions.ScryptN));
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
        if (json.Length > MaxKeystoreChars) throw Malformed($"The keystore is {json.Length} characters long; the limit is {MaxKeystoreChars}.");
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

    // A long, so that n = 2^40 is reported as over the limit rather than as "not an integer".
    private static long RequiredInt(JsonElement parent, string name)
    {
        if (TryGetProperty(parent, name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out number)) return number;
            if (value.ValueKind == JsonValueKind.Number) throw Malformed($"The keystore number '{name}' is out of range.");
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

    private static IExecException Malformed(string message, Exception? inner = null, string? target = null) =>
        new(ErrorIds.InvalidKeystore, message, target: target, inner: inner);
}
