using System.Buffers;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// The iexec CLI's plain-text <c>wallet.json</c> (<c>iexec wallet create --unencrypted</c>):
/// <c>{"privateKey":"0x…","publicKey":"0x04…","address":"0x…EIP-55"}</c>, indented by two spaces.
/// </summary>
/// <remarks>
/// This format is the private key in clear text by design; the string <see cref="ToJson"/> returns (and the one
/// <see cref="FromJson"/> reads) cannot be zeroed. Prefer <see cref="KeystoreV3"/>; this exists for compatibility.
/// </remarks>
public static class UnencryptedWallet
{
    /// <summary>The file name the CLI looks for in the current directory.</summary>
    public const string FileName = "wallet.json";

    /// <summary>Serialises <paramref name="key"/> in the CLI's layout and key order.</summary>
    public static string ToJson(WalletKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> privateKey = stackalloc byte[32];
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            key.CopyPrivateKeyTo(privateKey);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("privateKey", Hex.Encode(privateKey));
                writer.WriteString("publicKey", Hex.Encode(key.PublicKey));
                writer.WriteString("address", key.Address.ToString());
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan).ReplaceLineEndings("\n");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
            buffer.Clear();
        }
    }

    /// <summary>
    /// Reads the key of a <c>wallet.json</c>. Only <c>privateKey</c> is required (as in the CLI); when
    /// <c>address</c> is present it must match the key. Problems throw <see cref="ErrorIds.InvalidKeystore"/>.
    /// </summary>
    public static WalletKey FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid("The wallet file is not valid JSON.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("privateKey", out var privateKey)
                || privateKey.ValueKind != JsonValueKind.String)
                throw Invalid("The wallet file has no 'privateKey' string.");
            WalletKey key;
            try
            {
                key = WalletKey.FromHex(privateKey.GetString());
            }
            catch (IExecException e) when (e.ErrorId == ErrorIds.InvalidPrivateKey)
            {
                throw Invalid("The wallet file's 'privateKey' is not a valid private key.", e);
            }
            if (root.TryGetProperty("address", out var address)
                && (address.ValueKind != JsonValueKind.String
                    || !EthAddress.TryParse(address.GetString(), out var declared)
                    || declared != key.Address))
            {
                key.Dispose();
                throw Invalid("The wallet file's 'address' does not match its private key.");
            }
            return key;
        }
    }

    private static IExecException Invalid(string message, Exception? inner = null) =>
        new(ErrorIds.InvalidKeystore, message, inner: inner);
}
