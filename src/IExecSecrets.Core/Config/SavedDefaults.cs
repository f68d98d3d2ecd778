using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Config;

/// <summary>Where a saved default lives: this process only, or the user's configuration file.</summary>
public enum DefaultsScope
{
    /// <summary>Until the process (the PowerShell session) ends.</summary>
    Process,

    /// <summary>In the user's configuration file, for every later session too.</summary>
    CurrentUser,
}

/// <summary>
/// The values a runbook would otherwise repeat on every command (<c>-Chain</c>, <c>-Workerpool</c>, <c>-Vault</c>,
/// <c>-TeeFramework</c>, <c>-MaxFeePerGas</c>), saved per process or per user, like Az's <c>Update-AzConfig</c>. A value given on the command
/// line always wins; then the process value; then the user's file; then whatever the command did before (chain.json's
/// <c>default</c>, the market's workerpools, no vault, the chain's <c>defaultTeeFramework</c>, the chain's fee cap).
/// </summary>
/// <remarks>
/// The user's file is <c>IExecSecrets/config.json</c> under the user's configuration folder
/// (<c>$XDG_CONFIG_HOME</c> or <c>~/.config</c> on Linux and macOS, <c>%APPDATA%</c> on Windows), a flat JSON object
/// with the keys <c>chain</c>, <c>workerpool</c>, <c>vault</c>, <c>teeFramework</c>, <c>maxFeePerGas</c> and <c>chainConfigPath</c>. It holds no secret, but it
/// steers where secrets go, so it is written atomically and readable by its owner only. It is re-read when it changes
/// (size or time), so a command costs one file status call.
/// </remarks>
public sealed partial class SavedDefaults
{
    /// <summary>The setting names, in display order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Chain", "Workerpool", "Vault", "TeeFramework", "MaxFeePerGas", "ChainConfigPath"];

    private static readonly Lazy<SavedDefaults> LazyShared = new(() => new SavedDefaults(DefaultUserFilePath()));

    private readonly object _lock = new();
    private readonly Dictionary<string, string> _process = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> _user = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<EthAddress, string> _processPins = new();
    private Dictionary<EthAddress, string> _userPins = new();

    /// <summary>The key of the pinned workerpool API URLs in the user's file (an object: address → URL).</summary>
    public const string WorkerpoolApiUrlsKey = "workerpoolApiUrls";
    private (long Length, DateTime WriteTime)? _userStamp;

    private readonly HostPlatform _platform;

    /// <summary>Saved defaults backed by <paramref name="userFilePath"/> (tests give a temporary path).</summary>
    public SavedDefaults(string userFilePath) : this(userFilePath, HostPlatform.Current)
    {
    }

    /// <summary>
    /// Saved defaults backed by <paramref name="userFilePath"/>, whose folder and file are made private as
    /// <paramref name="platform"/> does it (0700/0600 on Unix, an ACL for the current user alone on Windows).
    /// </summary>
    public SavedDefaults(string userFilePath, HostPlatform platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(userFilePath);
        ArgumentNullException.ThrowIfNull(platform);
        UserFilePath = userFilePath;
        _platform = platform;
    }

    /// <summary>The one instance the module uses: process values for this process, the user's file.</summary>
    public static SavedDefaults Shared => LazyShared.Value;

    /// <summary>The user's configuration file.</summary>
    public string UserFilePath { get; }

    /// <summary>The user's configuration file path on this platform.</summary>
    public static string DefaultUserFilePath() => DefaultUserFilePath(HostPlatform.Current);

    /// <summary>
    /// The user's configuration file on <paramref name="platform"/>: <c>IExecSecrets/config.json</c> in its
    /// application-data folder (<c>%APPDATA%</c> on Windows, <c>~/Library/Application Support</c> on macOS,
    /// <c>$XDG_CONFIG_HOME</c> or <c>~/.config</c> on Linux).
    /// </summary>
    public static string DefaultUserFilePath(HostPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return platform.Combine(platform.ApplicationDataDirectory, "IExecSecrets", "config.json");
    }

    /// <summary>The effective default chain, or null when none is saved.</summary>
    public string? Chain => Get("Chain").Value;

    /// <summary>The effective default workerpool (address or ENS name), or null.</summary>
    public string? Workerpool => Get("Workerpool").Value;

    /// <summary>The effective default vault, or null.</summary>
    public string? Vault => Get("Vault").Value;

    /// <summary>The effective default TEE framework, or null.</summary>
    public TeeFramework? TeeFramework => Get("TeeFramework").Value is { } text ? TeeFrameworks.Parse(text) : null;

    /// <summary>The effective default fee cap in wei per gas (see <see cref="IExecSecrets.Core.Chain.FeeCap"/>), or null.</summary>
    public string? MaxFeePerGas => Get("MaxFeePerGas").Value;

    /// <summary>
    /// Every effective value at once (the user's file read at most once), for a command to take when it begins and
    /// hand to Core explicitly. Throws <see cref="ErrorIds.InvalidConfiguration"/> when the user's file cannot be read.
    /// </summary>
    public SavedDefaultValues Snapshot()
    {
        lock (_lock)
        {
            var chain = Get("Chain");
            return new SavedDefaultValues(chain.Value, chain.Scope, Get("Workerpool").Value, Get("Vault").Value,
                Get("TeeFramework").Value is { } framework ? TeeFrameworks.Parse(framework) : null, Get("ChainConfigPath").Value);
        }
    }

    /// <summary>
    /// The effective value of <paramref name="name"/> and the scope it comes from (null value and scope when unset).
    /// Throws <see cref="ErrorIds.InvalidConfiguration"/> when the user's file cannot be read as a configuration.
    /// </summary>
    public (string? Value, DefaultsScope? Scope) Get(string name)
    {
        var key = CanonicalName(name);
        lock (_lock)
        {
            if (_process.TryGetValue(key, out var value)) return (value, DefaultsScope.Process);
            RefreshUser();
            return _user.TryGetValue(key, out value) ? (value, DefaultsScope.CurrentUser) : (null, null);
        }
    }

    /// <summary>The values saved in <paramref name="scope"/> only.</summary>
    public IReadOnlyDictionary<string, string> Read(DefaultsScope scope)
    {
        lock (_lock)
        {
            if (scope == DefaultsScope.Process) return new Dictionary<string, string>(_process, StringComparer.OrdinalIgnoreCase);
            RefreshUser();
            return new Dictionary<string, string>(_user, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// Saves <paramref name="values"/> (name → value) in <paramref name="scope"/>, replacing those names only. Each value is
    /// checked first (<see cref="Validate"/>); nothing is saved when one is bad.
    /// </summary>
    public void Set(DefaultsScope scope, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var normalized = values.ToDictionary(pair => CanonicalName(pair.Key), pair => Validate(pair.Key, pair.Value), StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            if (scope == DefaultsScope.Process)
            {
                foreach (var (name, value) in normalized) _process[name] = value;
                return;
            }

            RefreshUser();
            var next = new Dictionary<string, string>(_user, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in normalized) next[name] = value;
            WriteUser(next);
        }
    }

    /// <summary>Forgets <paramref name="names"/> (all when null) in <paramref name="scope"/>; returns the names that were set.</summary>
    public IReadOnlyList<string> Clear(DefaultsScope scope, IEnumerable<string>? names = null)
    {
        var keys = (names ?? Names).Select(CanonicalName).ToArray();
        lock (_lock)
        {
            if (scope == DefaultsScope.Process)
            {
                return keys.Where(_process.Remove).ToArray();
            }

            RefreshUser();
            var next = new Dictionary<string, string>(_user, StringComparer.OrdinalIgnoreCase);
            var removed = keys.Where(next.Remove).ToArray();
            if (removed.Length > 0) WriteUser(next);
            return removed;
        }
    }

    /// <summary>
    /// The canonical spelling of a setting name; anything else fails with <see cref="ErrorIds.InvalidConfigurationValue"/>.
    /// </summary>
    public static string CanonicalName(string name) =>
        Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new IExecException(ErrorIds.InvalidConfigurationValue,
            $"'{name}' is not a setting; the settings are {string.Join(", ", Names)}.", name);

    /// <summary>
    /// Checks a value before it is saved, so a typo fails now and not in a later runbook: a chain name or id, a
    /// workerpool address (EIP-55 normalised) or ENS name, a vault name, a TEE framework (scone, gramine, tdx).
    /// </summary>
    public static string Validate(string name, string? value)
    {
        var key = CanonicalName(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new IExecException(ErrorIds.InvalidConfigurationValue,
                $"The {key} setting cannot be empty; use Clear-IExecConfiguration -Name {key} to forget it.", key);
        }

        value = value.Trim();
        switch (key)
        {
            case "Workerpool":
                if (value.EndsWith(".eth", StringComparison.OrdinalIgnoreCase)) return value.ToLowerInvariant();
                if (EthAddress.TryParse(value, out var address)) return address.ToString();
                throw new IExecException(ErrorIds.InvalidConfigurationValue,
                    $"'{value}' is neither a workerpool address nor an ENS name (name.eth).", key);
            case "TeeFramework":
                return TeeFrameworks.Parse(value).ToWireName();
            case "MaxFeePerGas":
                // saved as a whole number of wei, so the file says exactly what the cap is
                return IExecSecrets.Core.Chain.FeeCap.TryParseWei(value, out var wei)
                    ? wei.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : throw new IExecException(ErrorIds.InvalidConfigurationValue,
                        $"'{value}' is not an amount of wei: give a whole number of wei (2000000000) or a number with a unit (2 gwei, 0.5 gwei).", key);
            case "ChainConfigPath":
                // a full path, so the saved value means the same file from whatever folder a runbook runs in
                if (value.Any(char.IsControl) || !Path.IsPathFullyQualified(value))
                {
                    throw new IExecException(ErrorIds.InvalidConfigurationValue,
                        $"The ChainConfigPath setting must be the full path of a chain file, not '{value}'.", key);
                }

                return Path.GetFullPath(value);
            default:
                if (value.Length > 256 || value.Any(char.IsControl))
                {
                    throw new IExecException(ErrorIds.InvalidConfigurationValue,
                        $"The {key} setting must be a name of at most 256 printable characters.", key);
                }

                return value;
        }
    }

    private void RefreshUser()
    {
        FileInfo file = new(UserFilePath);
        if (!file.Exists)
        {
            _user = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            _userPins = new Dictionary<EthAddress, string>();
            _userStamp = null;
            return;
        }

        var stamp = (file.Length, file.LastWriteTimeUtc);
        if (_userStamp == stamp) return;
        Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);
        Dictionary<EthAddress, string> pins = new();
        try
        {
            if (file.Length > 64 * 1024) throw new JsonException("the file is larger than 64 KiB");
            var root = JsonNode.Parse(File.ReadAllText(UserFilePath)) as JsonObject ?? throw new JsonException("the file is not a JSON object");
            foreach (var (jsonName, node) in root)
            {
                if (jsonName == WorkerpoolApiUrlsKey)
                {
                    if (node is not JsonObject map) throw new JsonException($"\"{WorkerpoolApiUrlsKey}\" is not an object");
                    foreach (var (pool, url) in map)
                    {
                        if (url is not JsonValue u || !u.TryGetValue<string>(out var pinText)) throw new JsonException($"the pinned API of {pool} is not a string");
                        var (address, checkedUrl) = ValidateWorkerpoolApiPin(pool, pinText);
                        pins[address] = checkedUrl;
                    }

                    continue;
                }

                var name = Names.FirstOrDefault(n => string.Equals(n, jsonName, StringComparison.OrdinalIgnoreCase));
                if (name is null) continue; // a newer module's setting: kept in the file, ignored here
                if (node is not JsonValue v || !v.TryGetValue<string>(out var text)) throw new JsonException($"\"{jsonName}\" is not a string");
                values[name] = Validate(name, text);
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or IExecException)
        {
            throw new IExecException(ErrorIds.InvalidConfiguration,
                $"The saved defaults in {UserFilePath} cannot be read: {e.Message}", UserFilePath, e)
            { RecommendedAction = "Fix or delete the file, or run Clear-IExecConfiguration -Scope CurrentUser." };
        }

        _user = values;
        _userPins = pins;
        _userStamp = stamp;
    }

    private void WriteUser(Dictionary<string, string> values, Dictionary<EthAddress, string>? pins = null)
    {
        var directory = Path.GetDirectoryName(UserFilePath)!;
        // The folder is the module's own (IExecSecrets under the settings folder): private whether new or not.
        if (Directory.Exists(directory)) _platform.RestrictDirectory(directory);
        else _platform.CreatePrivateDirectory(directory);

        // Keep the settings a newer module wrote; rewrite only the ones this module knows.
        JsonObject root = [];
        if (File.Exists(UserFilePath))
        {
            try
            {
                if (JsonNode.Parse(File.ReadAllText(UserFilePath)) is JsonObject existing)
                {
                    foreach (var (name, node) in existing)
                    {
                        if (name != WorkerpoolApiUrlsKey && !Names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))) root[name] = node?.DeepClone();
                    }
                }
            }
            catch (JsonException)
            {
                // An unreadable file is replaced whole: the user asked to save new values.
            }
        }

        foreach (var name in Names)
        {
            if (values.TryGetValue(name, out var value)) root[char.ToLowerInvariant(name[0]) + name[1..]] = value;
        }

        if ((pins ?? _userPins).Count > 0)
        {
            var map = new JsonObject();
            foreach (var (pool, url) in (pins ?? _userPins).OrderBy(pair => pair.Key.ToString(), StringComparer.Ordinal)) map[pool.ToString()] = url;
            root[WorkerpoolApiUrlsKey] = map;
        }

        var temporary = Path.Combine(directory, $".config.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = _platform.CreatePrivateFile(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, root, new JsonSerializerOptions { WriteIndented = true });
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, UserFilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new IExecException(ErrorIds.ConfigurationWriteFailed,
                $"The saved defaults could not be written to {UserFilePath}: {e.Message}", UserFilePath, e);
        }

        _user = values;
        if (pins is not null) _userPins = pins;
        var file = new FileInfo(UserFilePath);
        _userStamp = (file.Length, file.LastWriteTimeUtc);
    }
}

/// <summary>The saved defaults in effect when a command began (<see cref="SavedDefaults.Snapshot"/>); null where none is saved.</summary>
/// <param name="Chain">The default chain, replacing chain.json's <c>default</c>.</param>
/// <param name="ChainScope">Where <paramref name="Chain"/> is saved.</param>
/// <param name="Workerpool">The default workerpool (address or ENS name).</param>
/// <param name="Vault">The default SecretManagement vault.</param>
/// <param name="TeeFramework">The default TEE framework, below an app's own.</param>
/// <param name="ChainConfigPath">The chain file to read instead of ./chain.json (full path).</param>
public sealed record SavedDefaultValues(string? Chain, DefaultsScope? ChainScope, string? Workerpool, string? Vault, TeeFramework? TeeFramework, string? ChainConfigPath = null)
{
    /// <summary>No saved default at all.</summary>
    public static SavedDefaultValues None { get; } = new(null, null, null, null, null);
}
