using System.Text.Json;
using IExecSecrets.Core.Chain;

namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// One compiled contract from the <c>@iexec/poco</c> package: its creation bytecode, the library placeholders to
/// patch (<c>linkReferences</c>), and the function selectors its ABI declares (a <c>fallback</c> maps to 0xffffffff
/// and <c>receive</c> to 0x00000000, the diamond's conventions).
/// </summary>
internal sealed class PoCoArtifact
{
    private readonly string _bytecodeHex;
    private readonly List<(string Library, int Start, int Length)> _links = [];

    private PoCoArtifact(string name, JsonElement root)
    {
        Name = name;
        _bytecodeHex = root.GetProperty("bytecode").GetString()!;
        var selectors = new List<byte[]>();
        foreach (var entry in root.GetProperty("abi").EnumerateArray())
        {
            switch (entry.GetProperty("type").GetString())
            {
                case "function":
                    selectors.Add(Abi.Selector(entry.GetProperty("name").GetString() + "(" + string.Join(",", entry.GetProperty("inputs").EnumerateArray().Select(CanonicalType)) + ")"));
                    break;
                case "fallback":
                    selectors.Add([0xff, 0xff, 0xff, 0xff]);
                    break;
                case "receive":
                    selectors.Add([0, 0, 0, 0]);
                    break;
            }
        }
        Selectors = selectors;
        if (root.TryGetProperty("linkReferences", out var references))
        {
            foreach (var file in references.EnumerateObject())
            {
                foreach (var library in file.Value.EnumerateObject())
                {
                    foreach (var place in library.Value.EnumerateArray())
                        _links.Add((library.Name, place.GetProperty("start").GetInt32(), place.GetProperty("length").GetInt32()));
                }
            }
        }
    }

    /// <summary>The contract name.</summary>
    public string Name { get; }

    /// <summary>The 4-byte selectors of the ABI's functions, fallback and receive.</summary>
    public IReadOnlyList<byte[]> Selectors { get; }

    /// <summary>The library names the bytecode must be linked against.</summary>
    public IEnumerable<string> Libraries => _links.Select(l => l.Library).Distinct();

    /// <summary>The creation bytecode with every library placeholder replaced by its deployed address.</summary>
    public byte[] LinkedBytecode(IReadOnlyDictionary<string, EthAddress> libraries)
    {
        // Placeholders like __$9d82…$__ are not hex, so patch the text (2 hex digits per byte after "0x") before decoding.
        var text = new System.Text.StringBuilder(_bytecodeHex);
        foreach (var (library, start, length) in _links)
        {
            if (!libraries.TryGetValue(library, out var address))
                throw new InvalidOperationException($"{Name} needs library {library}, which is not deployed.");
            if (length != 20) throw new InvalidOperationException($"{Name} has a {length}-byte link placeholder.");
            text.Remove(2 + start * 2, 40).Insert(2 + start * 2, Hex.Encode(address.Span, prefix: false));
        }
        return Hex.Decode(text.ToString());
    }

    /// <summary>Loads a Hardhat or hardhat-deploy JSON artifact.</summary>
    public static PoCoArtifact Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new PoCoArtifact(Path.GetFileNameWithoutExtension(path), document.RootElement);
    }

    private static string CanonicalType(JsonElement parameter)
    {
        var type = parameter.GetProperty("type").GetString()!;
        if (!type.StartsWith("tuple", StringComparison.Ordinal)) return type;
        return "(" + string.Join(",", parameter.GetProperty("components").EnumerateArray().Select(CanonicalType)) + ")" + type["tuple".Length..];
    }
}
