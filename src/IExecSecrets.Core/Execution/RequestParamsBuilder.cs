using System.Globalization;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Builds the request order's <c>params</c> string the way iexec SDK 8.24 does: the caller's JSON params (or a
/// non-JSON string taken as <c>iexec_args</c>), overlaid with args, input files, secrets, storage provider and
/// result encryption; unknown keys dropped; <c>iexec_result_storage_provider</c> defaulting to <c>ipfs</c> when
/// there is no callback. When validation changed nothing the caller's key order is kept, otherwise the SDK's fixed
/// order applies (<c>iexec_result_storage_proxy, iexec_secrets, iexec_result_storage_provider,
/// iexec_result_encryption, bulk_cid, iexec_input_files, iexec_args</c>). Bad values fail before any network call.
/// </summary>
public sealed class RequestParamsBuilder
{
    private static readonly string[] FixedOrder =
    [
        "iexec_result_storage_proxy", "iexec_secrets", "iexec_result_storage_provider", "iexec_result_encryption",
        "bulk_cid", "iexec_input_files", "iexec_args",
    ];

    /// <summary>A JSON object of params, or any other text, which then becomes <c>iexec_args</c>.</summary>
    public string? RawParams { get; init; }

    /// <summary>The app's command-line arguments (<c>iexec_args</c>).</summary>
    public string? Args { get; init; }

    /// <summary>http(s) URLs the worker downloads before the run (<c>iexec_input_files</c>).</summary>
    public IReadOnlyList<string>? InputFiles { get; init; }

    /// <summary>The validated requester secret mapping (<see cref="SecretMapping"/>); TEE runs only.</summary>
    public IReadOnlyList<KeyValuePair<int, string>>? Secrets { get; init; }

    /// <summary><c>ipfs</c> or <c>dropbox</c> (TEE only); null for the default.</summary>
    public string? StorageProvider { get; init; }

    /// <summary>True to encrypt the result with the beneficiary's key (<c>iexec_result_encryption</c>).</summary>
    public bool EncryptResult { get; init; }

    /// <summary>
    /// Validates and serialises. <paramref name="isTee"/> is the request tag's tee bit; <paramref name="hasCallback"/>
    /// suppresses the storage provider default.
    /// </summary>
    public RequestParams Build(bool isTee, bool hasCallback)
    {
        var entries = new List<KeyValuePair<string, object>>();
        void Set(string key, object value)
        {
            var index = entries.FindIndex(e => e.Key == key);
            if (index >= 0) entries[index] = new(key, value);
            else entries.Add(new(key, value));
        }

        foreach (var (key, value) in ReadRawParams()) Set(key, value);
        if (Args is not null) Set("iexec_args", Args);
        if (InputFiles is not null) Set("iexec_input_files", InputFiles.ToList());
        if (Secrets is not null && Secrets.Count > 0) Set("iexec_secrets", Secrets);
        if (StorageProvider is not null) Set("iexec_result_storage_provider", StorageProvider);
        if (EncryptResult) Set("iexec_result_encryption", true);

        var modified = false;
        var validated = new List<KeyValuePair<string, object>>();
        foreach (var (key, value) in entries)
        {
            if (!FixedOrder.Contains(key))
            {
                modified = true;
                continue;
            }
            var (cast, changed) = Validate(key, value, isTee, hasCallback);
            modified |= changed;
            validated.Add(new(key, cast));
        }
        if (!hasCallback && validated.All(e => e.Key != "iexec_result_storage_provider"))
        {
            validated.Add(new("iexec_result_storage_provider", "ipfs"));
            modified = true;
        }
        if (modified)
            validated = validated.OrderBy(e => Array.IndexOf(FixedOrder, e.Key)).ToList();

        var json = new StringBuilder("{");
        foreach (var (key, value) in validated)
        {
            if (json.Length > 1) json.Append(',');
            JsJson.WriteString(json, key);
            json.Append(':');
            WriteValue(json, value);
        }
        json.Append('}');

        var secrets = validated.FirstOrDefault(e => e.Key == "iexec_secrets").Value as IReadOnlyList<KeyValuePair<int, string>> ?? [];
        var provider = validated.FirstOrDefault(e => e.Key == "iexec_result_storage_provider").Value as string;
        var encrypt = validated.FirstOrDefault(e => e.Key == "iexec_result_encryption").Value is true;
        return new RequestParams(json.ToString(), secrets, provider, encrypt);
    }

    private IEnumerable<KeyValuePair<string, object>> ReadRawParams()
    {
        if (string.IsNullOrEmpty(RawParams)) yield break;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(RawParams);
        }
        catch (JsonException)
        {
            // The SDK takes a params string that is not JSON as the app's arguments.
        }
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document?.Dispose();
            yield return new("iexec_args", RawParams);
            yield break;
        }
        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject().ToArray())
                yield return new(property.Name, property.Value.Clone());
        }
    }

    private static (object Value, bool Changed) Validate(string key, object value, bool isTee, bool hasCallback)
    {
        switch (key)
        {
            case "iexec_args":
            case "bulk_cid":
            case "iexec_result_storage_proxy":
                return AsString(key, value);
            case "iexec_result_encryption":
                return AsBool(key, value);
            case "iexec_input_files":
                return (InputFileList(value), false);
            case "iexec_result_storage_provider":
                var (provider, changed) = AsString(key, value);
                var name = (string)provider;
                // With a callback the SDK takes any storage provider string unchecked (its schema is notRequired there).
                if (hasCallback) return (name, changed);
                if (name != "ipfs" && name != "dropbox")
                    throw Invalid(ErrorIds.InvalidStorageProvider, $"iexec_result_storage_provider \"{name}\" is not a valid storage provider, use one of the supported providers (ipfs, dropbox)", name);
                if (name == "dropbox" && !isTee)
                    throw Invalid(ErrorIds.InvalidStorageProvider, "iexec_result_storage_provider \"dropbox\" is not supported for non TEE tasks use supported storage provider ipfs", name);
                return (name, changed);
            default: // iexec_secrets
                if (!isTee)
                {
                    throw new IExecException(ErrorIds.SecretsRequireTeeTag,
                        "iexec_secrets is not supported for non TEE tasks", "iexec_secrets")
                    { RecommendedAction = "Add a TEE tag, e.g. -Tag tee,scone, or drop the secret mapping." };
                }
                return (value is JsonElement element ? SecretsFromJson(element) : value, false);
        }
    }

    private static (object, bool) AsString(string key, object value) => value switch
    {
        string text => (text, false),
        JsonElement { ValueKind: JsonValueKind.String } element => (element.GetString()!, false),
        JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } element => (element.GetRawText(), true),
        _ => throw Invalid(ErrorIds.InvalidRequestParams, $"{key} must be a `string` type", key),
    };

    private static (object, bool) AsBool(string key, object value) => value switch
    {
        bool flag => (flag, false),
        JsonElement { ValueKind: JsonValueKind.True } => (true, false),
        JsonElement { ValueKind: JsonValueKind.False } => (false, false),
        // yup's boolean cast: "true"/"1" and "false"/"0" in any case, and the numbers 1 and 0.
        JsonElement { ValueKind: JsonValueKind.String } e when e.GetString()!.ToLowerInvariant() is "true" or "1" => (true, true),
        JsonElement { ValueKind: JsonValueKind.String } e when e.GetString()!.ToLowerInvariant() is "false" or "0" => (false, true),
        JsonElement { ValueKind: JsonValueKind.Number } e when e.GetRawText() is "1" or "0" => (e.GetRawText() == "1", true),
        _ => throw Invalid(ErrorIds.InvalidRequestParams, $"{key} must be a `boolean` type", key),
    };

    private static List<string> InputFileList(object value)
    {
        List<string> urls;
        if (value is List<string> list) urls = list;
        else if (value is JsonElement { ValueKind: JsonValueKind.Array } array)
            urls = array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()).ToList();
        else throw Invalid(ErrorIds.InvalidInputFile, "iexec_input_files must be a `array` type", "iexec_input_files");
        for (var i = 0; i < urls.Count; i++)
        {
            if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw Invalid(ErrorIds.InvalidInputFile, $"[{i}] \"{urls[i]}\" is not a valid URL", urls[i]);
        }
        return urls;
    }

    private static IReadOnlyList<KeyValuePair<int, string>> SecretsFromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(ErrorIds.InvalidSecretMapping, "iexec_secrets must be an object mapping slots to requester secret names", "iexec_secrets");
        return SecretMapping.Parse(element.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name,
            p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()
                : throw Invalid(ErrorIds.InvalidSecretMapping, "iexec_secrets mapping names must be strings", p.Name))).ToList());
    }

    private static void WriteValue(StringBuilder json, object value)
    {
        switch (value)
        {
            case string text: JsJson.WriteString(json, text); break;
            case bool flag: json.Append(flag ? "true" : "false"); break;
            case List<string> list:
                json.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) json.Append(',');
                    JsJson.WriteString(json, list[i]);
                }
                json.Append(']');
                break;
            case IReadOnlyList<KeyValuePair<int, string>> secrets:
                json.Append('{');
                var first = true;
                foreach (var (slot, name) in secrets.OrderBy(s => s.Key))
                {
                    if (!first) json.Append(',');
                    first = false;
                    JsJson.WriteString(json, slot.ToString(CultureInfo.InvariantCulture));
                    json.Append(':');
                    JsJson.WriteString(json, name);
                }
                json.Append('}');
                break;
        }
    }

    private static IExecException Invalid(string errorId, string message, string? target) =>
        new(errorId, message, target);
}
