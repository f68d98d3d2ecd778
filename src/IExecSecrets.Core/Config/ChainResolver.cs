using System.Globalization;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Config;

/// <summary>
/// Turns a chain name (or id) into a <see cref="ChainProfile"/> the way the iExec CLI 8.24 does
/// (<c>cli/utils/chains.js loadChain</c>), and picks the SMS for a TEE framework
/// (<c>cli-helper getSmsUrlFromChain</c>).
/// </summary>
/// <remarks>
/// Without a <c>chain.json</c> the CLI refuses to run (<c>Missing "chain.json" file</c>); this module instead behaves as
/// if the file written by <c>iexec init</c> were present (<see cref="ChainConfigFile.Template"/>): the default chain is
/// <c>arbitrum-sepolia-testnet</c> and every built-in chain can be named.
/// </remarks>
public sealed class ChainResolver
{
    /// <summary>Resolves against <paramref name="file"/>, or against the <c>iexec init</c> template when null.</summary>
    public ChainResolver(ChainConfigFile? file = null)
    {
        File = file ?? ChainConfigFile.Template;
    }

    /// <summary>The configuration in use: the loaded <c>chain.json</c> or the template.</summary>
    public ChainConfigFile File { get; }

    /// <summary>The names that can be resolved, in file order (for listings and argument completion).</summary>
    public IReadOnlyList<string> ChainNames => File.Chains.Select(chain => chain.Name).ToArray();

    /// <summary>
    /// A resolver over <c>chain.json</c> in <paramref name="directory"/> when there is one (invalid files throw
    /// <see cref="ErrorIds.InvalidChainConfig"/>), else over the template. <paramref name="saved"/> is the caller's saved
    /// defaults (its chain replaces chain.json's <c>default</c>); Core never reads them from a global.
    /// </summary>
    /// <remarks>
    /// The chain file is the first of: <paramref name="chainConfigPath"/> (the command's <c>-ChainConfigPath</c>, or the
    /// <c>IEXECSECRETS_CHAIN_CONFIG_PATH</c> environment variable the caller read), the saved ChainConfigPath of
    /// <paramref name="saved"/>, and <c>chain.json</c> in <paramref name="directory"/>. A named file must exist
    /// (<see cref="ErrorIds.ChainConfigNotFound"/>).
    /// </remarks>
    public static ChainResolver FromDirectory(string directory, SavedDefaultValues? saved = null, string? chainConfigPath = null)
    {
        var path = chainConfigPath ?? saved?.ChainConfigPath;
        var file = path is null ? ChainConfigFile.Load(directory) : ChainConfigFile.LoadFile(path);
        return new(file) { SavedDefaultChain = saved?.Chain, SavedDefaultScope = saved?.ChainScope };
    }

    /// <summary>
    /// The chain saved with <c>Set-IExecConfiguration -Chain</c>, which replaces chain.json's <c>default</c> when no chain
    /// is named; null when none is saved.
    /// </summary>
    public string? SavedDefaultChain { get; init; }

    /// <summary>Where <see cref="SavedDefaultChain"/> comes from, or null.</summary>
    public DefaultsScope? SavedDefaultScope { get; init; }

    /// <summary>The name used when no chain is given: the saved default, else chain.json's <c>default</c>.</summary>
    public string? DefaultChainName => SavedDefaultChain ?? File.Default;

    /// <summary>
    /// Where <see cref="DefaultChainName"/> comes from: <c>Process</c> or <c>CurrentUser</c> (saved defaults),
    /// <c>chain.json</c>, or <c>Built-in</c> (no chain.json here: the <c>iexec init</c> template).
    /// </summary>
    public string DefaultChainSource => SavedDefaultScope?.ToString() ?? (File.Path is null ? "Built-in" : ChainConfigFile.FileName);

    /// <summary>
    /// The chain named <paramref name="nameOrId"/> or, when null or empty, the file's <c>default</c>. A name is looked up
    /// as a <c>chains</c> key first, then as a built-in name or id whose built-in name is a key (so <c>134</c> finds a
    /// <c>bellecour</c> entry). The result is <c>{id} ← built-in defaults for id ← entry</c>, merged shallowly.
    /// Throws <see cref="ErrorIds.ChainNotFound"/>, <see cref="ErrorIds.InvalidChainConfig"/> (no id can be found) or
    /// <see cref="ErrorIds.MissingRpcHost"/>.
    /// </summary>
    public ChainProfile Resolve(string? nameOrId = null)
    {
        var entry = string.IsNullOrEmpty(nameOrId) ? FindDefault() : FindEntry(nameOrId);
        var chainId = entry.ChainId ?? BuiltInChains.Find(entry.Name)?.ChainId
            ?? throw new IExecException(
                ErrorIds.InvalidChainConfig,
                $"Missing \"id\" for chain \"{entry.Name}\" in \"{ChainConfigFile.FileName}\"",
                File.Path ?? ChainConfigFile.FileName)
            { RecommendedAction = $"Add \"id\": \"<chain id>\" to the \"{entry.Name}\" entry of chain.json." };

        var defaults = BuiltInChains.FindById(chainId) ?? new ChainProfile { Name = entry.Name, ChainId = chainId };
        var profile = entry.ApplyTo(defaults with { ChainId = chainId });
        if (string.IsNullOrEmpty(profile.Host))
        {
            throw new IExecException(
                ErrorIds.MissingRpcHost,
                $"Missing RPC host, no \"host\" key in \"{ChainConfigFile.FileName}\" and no default value for chain {chainId}",
                entry.Name)
            { RecommendedAction = $"Add \"host\": \"<rpc url>\" to the \"{entry.Name}\" entry of chain.json." };
        }
        return profile;
    }

    /// <summary>
    /// The framework a command uses: <paramref name="explicitFramework"/> when given, else the chain's
    /// <c>defaultTeeFramework</c>, else <see cref="TeeFramework.Scone"/>.
    /// </summary>
    public static TeeFramework ResolveTeeFramework(ChainProfile chain, TeeFramework? explicitFramework = null) =>
        explicitFramework ?? chain.DefaultTeeFramework ?? TeeFramework.Scone;

    /// <summary>
    /// The SMS URL for the framework chosen by <see cref="ResolveTeeFramework"/>: a string <c>sms</c> serves every
    /// framework, a map serves the frameworks it names. Throws <see cref="ErrorIds.MissingSmsUrl"/> otherwise.
    /// </summary>
    public static string ResolveSmsUrl(ChainProfile chain, TeeFramework? explicitFramework = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var framework = ResolveTeeFramework(chain, explicitFramework);
        return chain.Sms?.UrlFor(framework) ?? throw new IExecException(
            ErrorIds.MissingSmsUrl,
            $"Missing sms for tee framework {framework.ToWireName()} in \"{ChainConfigFile.FileName}\" for chain {chain.ChainId.ToString(CultureInfo.InvariantCulture)}",
            chain.Name)
        { RecommendedAction = $"Add an \"sms\" URL for {framework.ToWireName()} to the \"{chain.Name}\" entry of chain.json, or choose another TEE framework." };
    }

    private ChainConfigEntry FindDefault()
    {
        if (SavedDefaultChain is { } saved)
        {
            return FindEntry(saved, $" (the default saved with Set-IExecConfiguration -Scope {SavedDefaultScope})");
        }

        if (File.Default is null)
        {
            throw new IExecException(
                ErrorIds.ChainNotFound,
                $"Missing chain parameter. Check your \"{ChainConfigFile.FileName}\" file",
                File.Path ?? ChainConfigFile.FileName)
            { RecommendedAction = "Name a chain, or set \"default\" in chain.json." };
        }
        return File.Find(File.Default) ?? throw NotFound(File.Default);
    }

    private ChainConfigEntry FindEntry(string nameOrId, string origin = "")
    {
        var entry = File.Find(nameOrId);
        if (entry is not null) return entry;
        var alias = BuiltInChains.Find(nameOrId)?.Name;
        return (alias is null ? null : File.Find(alias)) ?? throw NotFound(nameOrId, origin);
    }

    private IExecException NotFound(string name, string origin = "") => new(
        ErrorIds.ChainNotFound,
        $"Missing \"{name}\" chain{origin} in \"{ChainConfigFile.FileName}\"",
        name)
    { RecommendedAction = $"Use one of: {string.Join(", ", ChainNames)}; or add \"{name}\" to chain.json." };
}
