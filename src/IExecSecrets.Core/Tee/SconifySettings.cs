using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// The sconify settings, kept in one place: <c>enclave/sconify.json</c>. <see cref="Default"/> holds the same values
/// for app folders outside this repository (a test keeps the two equal). <see cref="ForContext"/> looks for the file
/// in the app folder and then its parent, so <c>enclave/js</c> and <c>enclave/python</c> share it.
/// </summary>
public sealed class SconifySettings
{
    /// <summary>The settings file name looked for next to and above an app folder.</summary>
    public const string FileName = "sconify.json";

    /// <summary>The settings of <c>enclave/sconify.json</c>: SCONE 5.9.2-v16, 1G heap, dlopen 1, mrenclave v5.9.</summary>
    public static SconifySettings Default { get; } = new(
        "registry.scontain.com/scone-production/iexec-sconify-image:5.9.2-v16",
        "5.9.2-v16",
        "v5.9",
        "1G",
        1,
        "/app",
        new[] { "/etc/hosts", "/etc/resolv.conf" },
        new Dictionary<string, SconifyLanguageSettings>
        {
            ["js"] = new("/usr/local/bin/node", "node --disable-wasm-trap-handler /app/app.js"),
            ["python"] = new("/usr/local/bin/python3", "python3 /app/app.py"),
        });

    /// <summary>Creates settings; <see cref="Load"/> and <see cref="Default"/> are the usual sources.</summary>
    public SconifySettings(string sconifyImage, string sconeVersion, string mrEnclaveVersion, string heap, int dlopen,
        string fsDir, IReadOnlyList<string> hostPaths, IReadOnlyDictionary<string, SconifyLanguageSettings> languages)
    {
        SconifyImage = sconifyImage;
        SconeVersion = sconeVersion;
        MrEnclaveVersion = mrEnclaveVersion;
        Heap = heap;
        HeapSizeBytes = ParseHeap(heap);
        Dlopen = dlopen;
        FsDir = fsDir;
        HostPaths = hostPaths;
        Languages = languages;
    }

    /// <summary>The sconify image reference (the real one is gated behind a SCONE registry account).</summary>
    public string SconifyImage { get; }

    /// <summary>The SCONE release of <see cref="SconifyImage"/>, for information.</summary>
    public string SconeVersion { get; }

    /// <summary><c>app.mrenclave.version</c>: selects the SMS's pre/post-compute services for this SCONE line.</summary>
    public string MrEnclaveVersion { get; }

    /// <summary>The <c>--heap</c> argument as written, e.g. <c>1G</c>.</summary>
    public string Heap { get; }

    /// <summary>The heap in bytes (<c>app.mrenclave.heapSize</c>): K, M and G are powers of 1024.</summary>
    public long HeapSizeBytes { get; }

    /// <summary>The <c>--dlopen</c> argument (1: only authenticated libraries may be loaded).</summary>
    public int Dlopen { get; }

    /// <summary>The <c>--fs-dir</c> argument: the folder whose files are protected in the enclave image.</summary>
    public string FsDir { get; }

    /// <summary>The <c>--host-path</c> arguments, in order: host files the enclave may read.</summary>
    public IReadOnlyList<string> HostPaths { get; }

    /// <summary>Per-language binary and entrypoint, keyed <c>js</c> and <c>python</c>.</summary>
    public IReadOnlyDictionary<string, SconifyLanguageSettings> Languages { get; }

    /// <summary>The binary and entrypoint of <paramref name="language"/>, or <see cref="ErrorIds.InvalidSconifySettings"/>.</summary>
    public SconifyLanguageSettings For(EnclaveLanguage language)
    {
        var key = EnclaveLanguages.SettingsKey(language);
        return Languages.TryGetValue(key, out var settings)
            ? settings
            : throw Invalid($"has no \"languages.{key}\" entry", FileName);
    }

    /// <summary>
    /// The settings for an app folder: <c>sconify.json</c> in <paramref name="contextFolder"/>, else in its parent,
    /// else <see cref="Default"/>.
    /// </summary>
    public static SconifySettings ForContext(string contextFolder)
    {
        var full = Path.GetFullPath(contextFolder);
        foreach (var folder in new[] { full, Path.GetDirectoryName(full) })
        {
            if (folder is null) continue;
            var candidate = Path.Combine(folder, FileName);
            if (File.Exists(candidate)) return Load(candidate);
        }
        return Default;
    }

    /// <summary>Reads a <c>sconify.json</c>; a missing or mistyped field fails with <see cref="ErrorIds.InvalidSconifySettings"/>.</summary>
    public static SconifySettings Load(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw Invalid("must hold a JSON object", path);
        }
        catch (JsonException ex)
        {
            throw Invalid($"is not valid JSON ({ex.Message})", path);
        }

        try
        {
            var languages = new Dictionary<string, SconifyLanguageSettings>(StringComparer.Ordinal);
            foreach (var (key, value) in Required<JsonObject>(root, "languages", path))
            {
                var entry = value as JsonObject ?? throw Invalid($"\"languages.{key}\" must be an object", path);
                languages[key] = new SconifyLanguageSettings(
                    Required<string>(entry, "binary", path), Required<string>(entry, "entrypoint", path));
            }
            var hostPaths = Required<JsonArray>(root, "hostPaths", path)
                .Select(p => p?.GetValue<string>() ?? throw Invalid("\"hostPaths\" must hold strings", path))
                .ToArray();
            return new SconifySettings(
                Required<string>(root, "sconifyImage", path),
                Required<string>(root, "sconeVersion", path),
                Required<string>(root, "mrenclaveVersion", path),
                Required<string>(root, "heap", path),
                Required<int>(root, "dlopen", path),
                Required<string>(root, "fsDir", path),
                hostPaths,
                languages);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw Invalid($"has a field of the wrong type ({ex.Message})", path);
        }
    }

    /// <summary>Converts a SCONE heap size (<c>512M</c>, <c>1G</c>, <c>65536</c>) to bytes.</summary>
    public static long ParseHeap(string heap)
    {
        if (string.IsNullOrEmpty(heap)) throw Invalid("has an empty \"heap\"", FileName);
        var multiplier = char.ToUpperInvariant(heap[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? heap : heap[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw Invalid($"has a \"heap\" of \"{heap}\", expected a size like 1G", FileName);
        }
        return checked(value * multiplier);
    }

    private static T Required<T>(JsonObject obj, string name, string path)
    {
        var node = obj[name] ?? throw Invalid($"has no \"{name}\"", path);
        return node is T typed ? typed : node.GetValue<T>();
    }

    private static IExecException Invalid(string problem, string path) =>
        new(ErrorIds.InvalidSconifySettings, $"\"{path}\" {problem}.", path);
}
