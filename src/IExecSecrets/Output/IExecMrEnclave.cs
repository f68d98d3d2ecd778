using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets.Output;

/// <summary>
/// An app's mrenclave, as <c>Get-IExecApp</c> and <c>Deploy-IExecApp</c> return it in <see cref="IExecApp.MrEnclave"/>:
/// the text the app contract holds (<see cref="Text"/>, what <c>"$($app.MrEnclave)"</c> prints and
/// <c>Deploy-IExecApp -MrEnclave</c> accepts back) and, when that text is the JSON object SCONE and Gramine apps
/// carry, its fields as properties, so <c>$app.MrEnclave.Fingerprint</c> works.
/// </summary>
/// <remarks>
/// A class rather than a dictionary on purpose: PowerShell prints a dictionary as <c>{[framework, SCONE], …}</c>
/// (cut after four pairs) wherever the object is shown as a list, while a plain object prints its
/// <see cref="ToString"/>, the whole text. The text comes from the chain and anyone may have written it: it is kept
/// as read, and a field is set only when the JSON holds it with the expected type.
/// </remarks>
public sealed class IExecMrEnclave
{
    /// <summary>The TEE framework the mrenclave names (<c>framework</c>: SCONE, GRAMINE), or null.</summary>
    public string? Framework { get; init; }

    /// <summary>The framework version (<c>version</c>, e.g. v5.9), or null.</summary>
    public string? Version { get; init; }

    /// <summary>The command the enclave starts (<c>entrypoint</c>), or null.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>The enclave heap size in bytes (<c>heapSize</c>), or null.</summary>
    public long? HeapSize { get; init; }

    /// <summary>The MRENCLAVE measurement (<c>fingerprint</c>), 64 hex characters, or null.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The mrenclave exactly as the app contract holds it (compact JSON for SCONE and Gramine apps).</summary>
    public required string Text { get; init; }

    /// <summary>The mrenclave of <paramref name="text"/>, the UTF-8 text of the app's mrenclave bytes; null when empty.</summary>
    internal static IExecMrEnclave? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject json) return new IExecMrEnclave { Text = text };
            return new IExecMrEnclave
            {
                Text = text,
                Framework = StringOf(json, "framework"),
                Version = StringOf(json, "version"),
                Entrypoint = StringOf(json, "entrypoint"),
                HeapSize = Field(json, "heapSize") is JsonValue size && size.TryGetValue<long>(out var bytes) ? bytes : null,
                Fingerprint = StringOf(json, "fingerprint"),
            };
        }
        // Not JSON, or a JSON object with a key twice (JsonObject refuses it when it is read): the text alone.
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return new IExecMrEnclave { Text = text };
        }
    }

    // Keys exactly as the SDK writes them, as the chain reader takes the framework (AppReader.FrameworkOf).
    private static JsonNode? Field(JsonObject json, string key) => json[key];

    private static string? StringOf(JsonObject json, string key) =>
        Field(json, key) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The mrenclave text as the chain holds it, whole, so a list view, a log line or "$mrenclave" shows it.</summary>
    public override string ToString() => Text;
}
