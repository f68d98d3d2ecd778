using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets.Core.Config;

/// <summary>
/// Writes JSON the way the iExec CLI does with <c>JSON.stringify</c>: 2-space indent (or compact), <c>\n</c> line
/// ends on every OS, no trailing newline, and no escaping of non-ASCII or HTML characters.
/// </summary>
internal static class ProjectJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The indented text of <paramref name="node"/>, byte-compatible with <c>JSON.stringify(x, null, 2)</c>.</summary>
    public static string Indented(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }
        // net8's writer uses Environment.NewLine; string values never hold a raw newline, so this only touches layout
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The compact text of <paramref name="node"/>, like <c>JSON.stringify(x)</c>, keeping key order.</summary>
    public static string Compact(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void Write(string path, string text) => File.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));
}
