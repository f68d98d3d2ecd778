using System.Text.Json;

namespace IExecSecrets.Core.Tests.Vectors;

/// <summary>The shared iexec test vectors, parsed once per test run.</summary>
internal static class TestVectors
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.VectorsFile)).RootElement);

    /// <summary>The root object.</summary>
    public static JsonElement Root => Document.Value;

    /// <summary>The string at a dotted path, e.g. <c>eip712.hashes.apporder</c>.</summary>
    public static string Text(string path) => Element(path).ValueKind == JsonValueKind.String
        ? Element(path).GetString()!
        : Element(path).GetRawText();

    /// <summary>The element at a dotted path; a missing step fails with the path in the message.</summary>
    public static JsonElement Element(string path)
    {
        var current = Root;
        foreach (var step in path.Split('.'))
        {
            if (!current.TryGetProperty(step, out current))
                throw new KeyNotFoundException($"The vector file has no '{path}' (stopped at '{step}').");
        }
        return current;
    }
}
