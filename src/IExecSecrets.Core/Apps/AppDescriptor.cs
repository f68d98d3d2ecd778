using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// An app ready for <c>AppRegistry.createApp</c>, validated and encoded as SDK 8.24's <c>appSchema</c> does:
/// checksummed owner, non-empty name, type exactly <c>DOCKER</c>, multiaddr bytes (<see cref="MultiaddrCodec"/>),
/// lower-case bytes32 checksum, and mrenclave bytes (compact JSON of the object in file key order, or the UTF-8 of a
/// JSON string, or empty). Invalid input throws <see cref="ErrorIds.InvalidAppDefinition"/> with the SDK's message.
/// </summary>
public sealed class AppDescriptor
{
    private static readonly HashSet<string> MrEnclaveKeys = ["framework", "version", "fingerprint", "entrypoint", "heapSize"];

    private AppDescriptor(EthAddress owner, string name, string type, string multiaddr, byte[] checksum, string mrEnclave)
    {
        Owner = owner;
        Name = name;
        Type = type;
        MultiaddrText = multiaddr;
        Checksum = checksum;
        MrEnclaveText = mrEnclave;
    }

    /// <summary>The app owner (receives the app NFT).</summary>
    public EthAddress Owner { get; }

    /// <summary>The app name.</summary>
    public string Name { get; }

    /// <summary>The app type; always <c>DOCKER</c>.</summary>
    public string Type { get; }

    /// <summary>The multiaddr as written (a docker image reference or an IPFS path).</summary>
    public string MultiaddrText { get; }

    /// <summary>The multiaddr bytes sent on chain.</summary>
    public byte[] Multiaddr => MultiaddrCodec.Encode(MultiaddrText);

    /// <summary>The 32-byte checksum (for docker, the image digest).</summary>
    public byte[] Checksum { get; }

    /// <summary>The mrenclave text (compact JSON, or empty for a non-TEE app).</summary>
    public string MrEnclaveText { get; }

    /// <summary>The mrenclave bytes sent on chain: the UTF-8 of <see cref="MrEnclaveText"/>.</summary>
    public byte[] MrEnclave => Encoding.UTF8.GetBytes(MrEnclaveText);

    /// <summary>The TEE framework the mrenclave declares, or null for a non-TEE app.</summary>
    public TeeFramework? Framework => AppReader.FrameworkOf(MrEnclaveText);

    /// <summary>The <c>createApp</c>/<c>predictApp</c> arguments for this app.</summary>
    public PoCo.AppDefinition ToDefinition() => new(Owner, Name, Type, Multiaddr, (byte[])Checksum.Clone(), MrEnclave);

    /// <summary>Validates and encodes an <c>iexec.json</c> <c>app</c> object.</summary>
    public static AppDescriptor FromJson(JsonObject app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var owner = RequiredText(app, "owner");
        var name = RequiredText(app, "name");
        var type = RequiredText(app, "type");
        var multiaddr = RequiredText(app, "multiaddr");
        var checksum = RequiredText(app, "checksum");
        var mrEnclave = app["mrenclave"] switch
        {
            null => "",
            JsonObject obj => ValidateMrEnclave(obj, ProjectJson.Compact(obj)),
            JsonValue value when value.TryGetValue<string>(out var text) => ValidateMrEnclaveText(text),
            _ => throw Invalid("mrenclave is not a valid mrenclave", "mrenclave"),
        };
        return Create(owner, name, type, multiaddr, checksum, mrEnclave);
    }

    /// <summary>
    /// Validates and encodes an app given field by field; <paramref name="mrEnclave"/> is the JSON text of the
    /// mrenclave object (or null/empty for a non-TEE app).
    /// </summary>
    public static AppDescriptor Create(string? owner, string? name, string? type, string? multiaddr, string? checksum, string? mrEnclave)
    {
        if (string.IsNullOrEmpty(owner)) throw Invalid("owner is a required field", "owner");
        if (!EthAddress.TryParse(owner, out var ownerAddress)) throw Invalid($"{owner} is not a valid ethereum address", owner);
        if (string.IsNullOrEmpty(name)) throw Invalid("name is a required field", "name");
        if (string.IsNullOrEmpty(type)) throw Invalid("type is a required field", "type");
        if (type != "DOCKER") throw Invalid($"{type} is not a valid type", type);
        if (string.IsNullOrEmpty(multiaddr)) throw Invalid("multiaddr is a required field", "multiaddr");
        if (string.IsNullOrEmpty(checksum)) throw Invalid("checksum is a required field", "checksum");
        if (!Hex.IsHex(checksum, 32)) throw Invalid($"{checksum} is not a bytes32 hexstring", checksum);
        var mrEnclaveText = string.IsNullOrEmpty(mrEnclave) ? "" : ValidateMrEnclaveText(mrEnclave);
        return new AppDescriptor(ownerAddress, name, type, multiaddr, Hex.Decode(checksum), mrEnclaveText);
    }

    private static string ValidateMrEnclaveText(string text)
    {
        if (text.Length == 0) return text;
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Invalid("mrenclave is not a valid mrenclave", "mrenclave");
        }
        if (parsed is not JsonObject obj) throw Invalid("mrenclave is not a valid mrenclave", "mrenclave");
        // a string is sent as written, so its exact bytes (spacing included) are what the chain stores
        return ValidateMrEnclave(obj, text);
    }

    private static string ValidateMrEnclave(JsonObject mrEnclave, string encoded)
    {
        var unknown = mrEnclave.Select(pair => pair.Key).Where(key => !MrEnclaveKeys.Contains(key)).ToArray();
        if (unknown.Length > 0) throw Invalid($"Unknown key \"{string.Join(", ", unknown)}\" in mrenclave", "mrenclave");

        var frameworkText = Scalar(mrEnclave, "framework") ?? throw Invalid("framework is a required field", "mrenclave");
        if (!TeeFrameworks.TryParse(frameworkText, out var framework)) throw Invalid("framework is not a valid TEE framework", frameworkText);
        if (string.IsNullOrEmpty(Scalar(mrEnclave, "version"))) throw Invalid("version is a required field", "mrenclave");
        if (string.IsNullOrEmpty(Scalar(mrEnclave, "fingerprint"))) throw Invalid("fingerprint is a required field", "mrenclave");

        if (framework == TeeFramework.Scone)
        {
            if (string.IsNullOrEmpty(Scalar(mrEnclave, "entrypoint"))) throw Invalid("entrypoint is a required field", "mrenclave");
            if (mrEnclave["heapSize"] is null) throw Invalid("heapSize is a required field", "mrenclave");
            var heapSize = Scalar(mrEnclave, "heapSize");
            if (!long.TryParse(heapSize, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw Invalid("heapSize must be an integer greater than or equal to 0", "mrenclave");
            }
        }
        else
        {
            foreach (var key in new[] { "entrypoint", "heapSize" }.Where(mrEnclave.ContainsKey))
            {
                throw Invalid($"Unknown key \"{key}\" in mrenclave", "mrenclave");
            }
        }
        return encoded;
    }

    private static string? Scalar(JsonObject obj, string key) => obj[key] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    private static string? RequiredText(JsonObject app, string key) => app[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => throw Invalid($"{other.ToJsonString()} is not a valid {key}", key),
    };

    private static IExecException Invalid(string message, string target) =>
        new(ErrorIds.InvalidAppDefinition, message, target);
}
