using System.Globalization;

namespace IExecSecrets.Core.Config;

/// <summary>
/// One setting of a built-in chain that a <c>chain.json</c> entry replaces, e.g. <c>sms.scone</c> of <c>bellecour</c>.
/// A <c>chain.json</c> in the current folder is trusted like the SDK trusts it, but it decides where secrets are
/// pushed, which contract orders are signed for and which market is asked; so an entry that re-points a chain the
/// user knows must be announced (see <see cref="Find"/>), whatever the entry is called: the SDK merges an entry over
/// the built-in defaults of its chain id, so <c>"iexec": {"id": "134", "sms": …}</c> or an entry named <c>"134"</c>
/// is bellecour with another SMS.
/// </summary>
/// <param name="Key">The <c>chain.json</c> key: <c>id</c>, <c>host</c>, <c>hub</c>, <c>sms.&lt;framework&gt;</c>,
/// <c>iexecGateway</c>, <c>ipfsGateway</c>, <c>resultProxy</c>, <c>ensRegistry</c>, <c>ensPublicResolver</c>,
/// <c>voucherHub</c>, <c>ipfsNode</c>, <c>compass</c>, <c>pocoSubgraph</c>, <c>voucherSubgraph</c>, <c>native</c>,
/// <c>useGas</c>, <c>defaultTeeFramework</c>, <c>bridge.bridgedChainName</c> or <c>bridge.contract</c>.</param>
/// <param name="BuiltIn">The built-in value, shown safely (see <see cref="Describe"/>), or <c>none</c>.</param>
/// <param name="Configured">The value the entry sets, shown the same way, or <c>none</c>.</param>
public sealed record ChainOverride(string Key, string BuiltIn, string Configured)
{
    /// <summary>
    /// The built-in chain <paramref name="profile"/> stands for: the built-in chain of the same name (or whose id is the
    /// name, as <c>"134"</c>), else the built-in chain with the profile's chain id; null for the user's own chains (an id
    /// no built-in chain has).
    /// </summary>
    public static ChainProfile? BuiltInFor(ChainProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return BuiltInChains.Find(profile.Name) ?? BuiltInChains.FindById(profile.ChainId);
    }

    /// <summary>
    /// Every setting in which <paramref name="profile"/> differs from the built-in chain it stands for
    /// (<see cref="BuiltInFor"/>), in a fixed order; empty when it stands for none or keeps every built-in value.
    /// Every key is compared, the off-chain services (<c>compass</c>, <c>ipfsNode</c>, the subgraphs) included.
    /// </summary>
    public static IReadOnlyList<ChainOverride> Find(ChainProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var builtIn = BuiltInFor(profile);
        if (builtIn is null) return [];
        var changes = new List<ChainOverride>();
        void Compare(string key, string? builtInValue, string? configured, bool isUrl)
        {
            if (string.Equals(builtInValue, configured, isUrl ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)) return;
            changes.Add(new ChainOverride(key, Describe(builtInValue, isUrl), Describe(configured, isUrl)));
        }

        static string Flag(bool value) => value ? "true" : "false";

        Compare("id", builtIn.ChainId.ToString(CultureInfo.InvariantCulture), profile.ChainId.ToString(CultureInfo.InvariantCulture), false);
        Compare("host", builtIn.Host, profile.Host, true);
        Compare("hub", builtIn.Hub?.ToString(), profile.Hub?.ToString(), false);
        foreach (var framework in Enum.GetValues<TeeFramework>())
        {
            Compare("sms." + framework.ToWireName(), builtIn.Sms?.UrlFor(framework), profile.Sms?.UrlFor(framework), true);
        }
        Compare("iexecGateway", builtIn.IExecGateway, profile.IExecGateway, true);
        Compare("ipfsGateway", builtIn.IpfsGateway, profile.IpfsGateway, true);
        Compare("resultProxy", builtIn.ResultProxy, profile.ResultProxy, true);
        Compare("ensRegistry", builtIn.EnsRegistry, profile.EnsRegistry, false);
        Compare("ensPublicResolver", builtIn.EnsPublicResolver, profile.EnsPublicResolver, false);
        Compare("voucherHub", builtIn.VoucherHub, profile.VoucherHub, false);
        Compare("ipfsNode", builtIn.IpfsNode, profile.IpfsNode, true);
        Compare("compass", builtIn.Compass, profile.Compass, true);
        Compare("pocoSubgraph", builtIn.PocoSubgraph, profile.PocoSubgraph, true);
        Compare("voucherSubgraph", builtIn.VoucherSubgraph, profile.VoucherSubgraph, true);
        Compare("native", Flag(builtIn.IsNative), Flag(profile.IsNative), false);
        Compare("useGas", Flag(builtIn.UseGas), Flag(profile.UseGas), false);
        Compare("defaultTeeFramework", builtIn.DefaultTeeFramework?.ToWireName(), profile.DefaultTeeFramework?.ToWireName(), false);
        Compare("bridge.bridgedChainName", builtIn.BridgedChainName, profile.BridgedChainName, false);
        Compare("bridge.contract", builtIn.BridgeContract?.ToString(), profile.BridgeContract?.ToString(), false);
        return changes;
    }

    /// <summary>
    /// One warning line naming every change, e.g. <c>The "bellecour" entry of ./chain.json overrides built-in settings
    /// of bellecour: sms.scone (https://sms.iex.ec -> http://127.0.0.1:5000)</c>; an entry with another name says which
    /// chain id makes it that chain. Null when there is no change.
    /// </summary>
    public static string? Warning(ChainProfile profile, string? configPath)
    {
        var changes = Find(profile);
        if (changes.Count == 0) return null;
        var builtIn = BuiltInFor(profile)!;
        var where = configPath ?? ChainConfigFile.FileName;
        var alias = profile.Name == builtIn.Name
            ? ""
            : $" (chain id {builtIn.ChainId.ToString(CultureInfo.InvariantCulture)}, so the SDK merges it over built-in {builtIn.Name})";
        return $"The \"{profile.Name}\" entry of {where}{alias} overrides built-in settings of {builtIn.Name}: "
            + string.Join("; ", changes.Select(change => $"{change.Key} ({change.BuiltIn} -> {change.Configured})"))
            + ". Secrets, signatures and orders for this chain go where that file says.";
    }

    /// <summary>
    /// A value as a warning may show it: a URL through <see cref="Net.TransportPolicy.Display(string)"/> (scheme, host
    /// and port only: a path or query may hold an API key, userinfo a password), anything else as it is, a missing value
    /// as <c>none</c>.
    /// </summary>
    public static string Describe(string? value, bool isUrl) =>
        string.IsNullOrEmpty(value) ? "none" : isUrl ? Net.TransportPolicy.Display(value) : value;
}
