using System.Globalization;
using System.Text.Json;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Config;

/// <summary>
/// A parsed and validated <c>chain.json</c> with SDK 8.24's strict schema: unknown keys anywhere are refused with
/// <c>Unknown key "&lt;k&gt;"</c>, wrong value types too. Stricter than the SDK: the contract keys (<c>hub</c>,
/// <c>ensRegistry</c>, <c>ensPublicResolver</c>, <c>voucherHub</c>, <c>bridge.contract</c>) must be addresses, and no
/// name or value may hold terminal control or invisible formatting characters. Every problem is an <see cref="IExecException"/>
/// <see cref="ErrorIds.InvalidChainConfig"/> (category InvalidData) whose target is the file path.
/// </summary>
public sealed class ChainConfigFile
{
    /// <summary>The file name the CLI and this module read from the working directory.</summary>
    public const string FileName = "chain.json";

    private static readonly HashSet<string> TopLevelKeys = ["default", "allowExperimentalNetworks", "chains", "providers"];
    private static readonly HashSet<string> ProviderKeys = ["alchemy", "etherscan", "infura", "quorum"];

    private ChainConfigFile(string? path, string? defaultChain, bool allowExperimentalNetworks, IReadOnlyList<ChainConfigEntry> chains)
    {
        Path = path;
        Default = defaultChain;
        AllowExperimentalNetworks = allowExperimentalNetworks;
        Chains = chains;
    }

    /// <summary>Where the file was read from, or null for the built-in template.</summary>
    public string? Path { get; }

    /// <summary>The <c>default</c> chain name, or null when the file sets none.</summary>
    public string? Default { get; }

    /// <summary>The <c>allowExperimentalNetworks</c> flag (SDK 8.24 has no experimental network, so it changes nothing).</summary>
    public bool AllowExperimentalNetworks { get; }

    /// <summary>The <c>chains</c> entries in file order.</summary>
    public IReadOnlyList<ChainConfigEntry> Chains { get; }

    /// <summary>
    /// What the CLI 8.24 <c>iexec init</c> writes: default <c>arbitrum-sepolia-testnet</c> and an empty entry for each
    /// built-in chain. Used when a directory has no <c>chain.json</c>, so built-in chains resolve by name.
    /// </summary>
    public static ChainConfigFile Template { get; } = new(
        null,
        BuiltInChains.DefaultChainName,
        false,
        BuiltInChains.All.Select(chain => new ChainConfigEntry { Name = chain.Name }).ToArray());

    /// <summary>
    /// Reads <c>chain.json</c> from <paramref name="directory"/>; returns null when the file does not exist and throws
    /// <see cref="ErrorIds.InvalidChainConfig"/> when it is not valid JSON or breaks the schema.
    /// </summary>
    /// <remarks>
    /// Every command resolves its chain, so the parsed file is kept per path and reused while the file's text is the
    /// same (a small read and a string comparison instead of a parse and validation per command). The text, not the
    /// write time, decides: two edits within one timestamp tick are still told apart. An invalid file is never kept,
    /// so it fails every time until it is fixed.
    /// </remarks>
    public static ChainConfigFile? Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        return LoadExisting(path);
    }

    /// <summary>
    /// Reads the chain file at <paramref name="path"/>, named explicitly (<c>-ChainConfigPath</c>, the saved
    /// ChainConfigPath, <c>IEXECSECRETS_CHAIN_CONFIG_PATH</c>) so that the current folder does not matter; a file that
    /// is not there fails with <see cref="ErrorIds.ChainConfigNotFound"/> rather than quietly falling back to the
    /// built-in chains (a runbook would otherwise target the public default). Invalid files throw
    /// <see cref="ErrorIds.InvalidChainConfig"/>.
    /// </summary>
    public static ChainConfigFile LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new IExecException(ErrorIds.ChainConfigNotFound,
                $"The chain file \"{path}\" does not exist.", path)
            { RecommendedAction = "Give the full path of an existing chain.json (-ChainConfigPath, Set-IExecConfiguration -ChainConfigPath or IEXECSECRETS_CHAIN_CONFIG_PATH)." };
        }

        return LoadExisting(path);
    }

    private static ChainConfigFile LoadExisting(string path)
    {
        var text = File.ReadAllText(path);
        if (LoadedFiles.TryGetValue(path, out var loaded) && string.Equals(loaded.Text, text, StringComparison.Ordinal)) return loaded.File;
        var file = Parse(text, path);
        if (LoadedFiles.Count >= 64) LoadedFiles.Clear();
        LoadedFiles[path] = (text, file);
        return file;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Text, ChainConfigFile File)> LoadedFiles =
        new(StringComparer.Ordinal);

    /// <summary>Parses and validates <c>chain.json</c> text; <paramref name="path"/> is only used in errors.</summary>
    public static ChainConfigFile Parse(string json, string? path = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Invalid($"\"{path ?? FileName}\" is not valid JSON: {ex.Message}", path, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid($"\"{FileName}\" must hold a JSON object", path);
            RejectUnknownKeys(root, TopLevelKeys, "", path);

            var defaultChain = OptionalString(root, "default", "default", path);
            var allowExperimental = OptionalBool(root, "allowExperimentalNetworks", "allowExperimentalNetworks", path) ?? false;
            if (root.TryGetProperty("providers", out var providers)) ValidateProviders(providers, path);

            if (!root.TryGetProperty("chains", out var chainsElement)) throw Invalid("chains is a required field", path);
            if (chainsElement.ValueKind != JsonValueKind.Object) throw Invalid("chains must be an object", path);
            var chains = chainsElement.EnumerateObject().Select(chain => ParseEntry(chain.Name, chain.Value, path)).ToArray();
            return new ChainConfigFile(path, defaultChain, allowExperimental, chains);
        }
    }

    /// <summary>The entry named exactly <paramref name="name"/>, or null.</summary>
    public ChainConfigEntry? Find(string name) => Chains.FirstOrDefault(chain => chain.Name == name);

    private static ChainConfigEntry ParseEntry(string name, JsonElement entry, string? path)
    {
        // A name is shown in warnings, errors and Get-IExecChain: one that holds terminal control characters (an escape
        // sequence hiding the override warning, a bidi override) is refused, and the message does not quote it.
        if (name.Length == 0 || !ForeignText.IsClean(name)) throw Invalid("A chain name under chains is empty or holds control or invisible formatting characters", path);
        if (entry.ValueKind != JsonValueKind.Object) throw Invalid($"chains.{name} must be an object", path);
        var where = $"chains.{name}";
        foreach (var property in entry.EnumerateObject())
        {
            if (!EntryKeys.Contains(property.Name))
            {
                throw Invalid($"Unknown key \"{property.Name}\" in {where}", path);
            }
        }

        var bridge = OptionalBridge(entry, where, path);
        return new ChainConfigEntry
        {
            Name = name,
            ChainId = OptionalChainId(entry, where, path),
            Host = OptionalString(entry, "host", where, path),
            Hub = OptionalAddress(entry, "hub", where, path),
            EnsRegistry = OptionalAddress(entry, "ensRegistry", where, path)?.ToString(),
            EnsPublicResolver = OptionalAddress(entry, "ensPublicResolver", where, path)?.ToString(),
            VoucherHub = OptionalAddress(entry, "voucherHub", where, path)?.ToString(),
            Sms = OptionalSms(entry, where, path),
            ResultProxy = OptionalString(entry, "resultProxy", where, path),
            IpfsGateway = OptionalString(entry, "ipfsGateway", where, path),
            IExecGateway = OptionalString(entry, "iexecGateway", where, path),
            Compass = OptionalString(entry, "compass", where, path),
            PocoSubgraph = OptionalString(entry, "pocoSubgraph", where, path),
            VoucherSubgraph = OptionalString(entry, "voucherSubgraph", where, path),
            Native = OptionalBool(entry, "native", where, path),
            UseGas = OptionalBool(entry, "useGas", where, path),
            MaxFeePerGas = OptionalFeeCap(entry, where, path),
            DefaultTeeFramework = OptionalTeeFramework(entry, where, path),
            BridgedChainName = bridge.Name,
            BridgeContract = bridge.Contract,
        };
    }

    private static readonly HashSet<string> EntryKeys =
    [
        "id", "host", "hub", "ensRegistry", "ensPublicResolver", "voucherHub", "sms", "resultProxy", "ipfsGateway",
        "iexecGateway", "compass", "pocoSubgraph", "voucherSubgraph", "native", "useGas", "defaultTeeFramework", "bridge",
        "maxFeePerGas",
    ];

    private static ulong? OptionalChainId(JsonElement entry, string where, string? path)
    {
        if (!entry.TryGetProperty("id", out var id)) return null;
        // SDK 8.24 wants a decimal string ("134"); a JSON number is accepted too, as every other tool writes it so
        var text = id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        };
        if (text is not null && text.Length > 0 && text.All(char.IsAsciiDigit)
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId))
        {
            return chainId;
        }
        throw Invalid($"{id.GetRawText()} is not a valid chainId in {where}", path);
    }

    private static ChainSms? OptionalSms(JsonElement entry, string where, string? path)
    {
        if (!entry.TryGetProperty("sms", out var sms)) return null;
        if (sms.ValueKind == JsonValueKind.String) return ChainSms.Single(RequireUrl(Printable(sms.GetString()!, $"{where}.sms", path), $"{where}.sms", path));
        if (sms.ValueKind != JsonValueKind.Object) throw Invalid($"{where}.sms must be a URL or a map of TEE framework to URL", path);
        var urls = new List<KeyValuePair<TeeFramework, string>>();
        foreach (var property in sms.EnumerateObject())
        {
            // the SDK's map keys are exact lower-case framework names
            if (!TeeFrameworks.Names.Contains(property.Name) || !TeeFrameworks.TryParse(property.Name, out var framework))
            {
                throw Invalid($"Unknown key \"{property.Name}\" in {where}.sms", path);
            }
            if (property.Value.ValueKind != JsonValueKind.String) throw Invalid($"{where}.sms.{property.Name} must be a URL", path);
            urls.Add(new(framework, RequireUrl(Printable(property.Value.GetString()!, $"{where}.sms.{property.Name}", path), $"{where}.sms.{property.Name}", path)));
        }
        return ChainSms.Map(urls);
    }

    // "maxFeePerGas": "2 gwei" (or a decimal number of wei, as a string or a JSON number); see Chain.FeeCap.ParseWei.
    private static System.Numerics.BigInteger? OptionalFeeCap(JsonElement entry, string where, string? path)
    {
        if (!entry.TryGetProperty("maxFeePerGas", out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (text is not null && Chain.FeeCap.TryParseWei(text, out var wei)) return wei;
        throw Invalid($"{where}.maxFeePerGas must be an amount of wei such as \"2 gwei\" or \"2000000000\"", path);
    }

    private static TeeFramework? OptionalTeeFramework(JsonElement entry, string where, string? path)
    {
        var text = OptionalString(entry, "defaultTeeFramework", where, path);
        if (text is null) return null;
        if (TeeFrameworks.TryParse(text, out var framework)) return framework;
        throw Invalid($"{where}.defaultTeeFramework is not a valid TEE framework ({string.Join(", ", TeeFrameworks.Names)})", path);
    }

    private static (string? Name, EthAddress? Contract) OptionalBridge(JsonElement entry, string where, string? path)
    {
        if (!entry.TryGetProperty("bridge", out var bridge)) return (null, null);
        if (bridge.ValueKind != JsonValueKind.Object) throw Invalid($"{where}.bridge must be an object", path);
        var name = OptionalString(bridge, "bridgedChainName", $"{where}.bridge", path)
            ?? throw Invalid($"{where}.bridge.bridgedChainName is a required field", path);
        var contract = OptionalAddress(bridge, "contract", $"{where}.bridge", path)
            ?? throw Invalid($"{where}.bridge.contract is a required field", path);
        return (name, contract);
    }

    private static void ValidateProviders(JsonElement providers, string? path)
    {
        if (providers.ValueKind != JsonValueKind.Object) throw Invalid("providers must be an object", path);
        foreach (var property in providers.EnumerateObject())
        {
            if (!ProviderKeys.Contains(property.Name)) throw Invalid($"Unknown key \"{property.Name}\" in providers", path);
        }
    }

    private static void RejectUnknownKeys(JsonElement element, HashSet<string> allowed, string where, string? path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw Invalid(where.Length == 0 ? $"Unknown key \"{property.Name}\"" : $"Unknown key \"{property.Name}\" in {where}", path);
            }
        }
    }

    private static string? OptionalString(JsonElement element, string key, string where, string? path)
    {
        if (!element.TryGetProperty(key, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw Invalid($"{Qualify(where, key)} must be a string", path);
        return Printable(value.GetString()!, Qualify(where, key), path);
    }

    // Every chain.json value may reach a warning, an error or an output object (the override warning quotes them):
    // a value holding terminal control or invisible formatting characters is refused, never printed.
    private static string Printable(string value, string where, string? path) =>
        ForeignText.IsClean(value) ? value : throw Invalid($"{where} holds control or invisible formatting characters", path);

    private static bool? OptionalBool(JsonElement element, string key, string where, string? path)
    {
        if (!element.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{Qualify(where, key)} must be a boolean", path),
        };
    }

    private static EthAddress? OptionalAddress(JsonElement element, string key, string where, string? path)
    {
        var text = OptionalString(element, key, where, path);
        if (text is null) return null;
        if (EthAddress.TryParse(text, out var address)) return address;
        throw Invalid($"{Qualify(where, key)}: {text} is not a valid ethereum address", path);
    }

    private static string RequireUrl(string text, string where, string? path)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return text;
        }
        // Shown without user info, path or query: a mistyped URL can still hold a password or an API key.
        throw Invalid($"{where}: {Net.TransportPolicy.Display(text)} is not a valid URL", path);
    }

    private static string Qualify(string where, string key) => where == key ? key : $"{where}.{key}";

    private static IExecException Invalid(string message, string? path, Exception? inner = null) =>
        new(ErrorIds.InvalidChainConfig, path is null ? message : $"{message} in \"{path}\"", path ?? FileName, inner);
}
