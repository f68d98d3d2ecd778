using System.Globalization;

namespace IExecSecrets.Core.Config;

/// <summary>
/// One setting of a built-in chain that a <c>chain.json</c> entry of the same name replaces, e.g. <c>sms.scone</c>
/// of <c>bellecour</c>. A <c>chain.json</c> in the current folder is trusted like the SDK trusts it, but it decides
/// where secrets are pushed, which contract orders are signed for and which market is asked; so an entry that
/// silently re-points a name the user knows (<c>bellecour</c>) must be announced (see <see cref="Find"/>).
/// </summary>
/// <param name="Key">The <c>chain.json</c> key: <c>id</c>, <c>host</c>, <c>hub</c>, <c>sms.&lt;framework&gt;</c>,
/// <c>iexecGateway</c>, <c>ipfsGateway</c>, <c>resultProxy</c>, <c>ensRegistry</c>, <c>ensPublicResolver</c> or <c>voucherHub</c>.</param>
/// <param name="BuiltIn">The built-in value, shown safely (see <see cref="Describe"/>), or <c>none</c>.</param>
/// <param name="Configured">The value the entry sets, shown the same way, or <c>none</c>.</param>
public sealed record ChainOverride(string Key, string BuiltIn, string Configured)
{
    /// <summary>
    /// The trust-relevant settings in which <paramref name="profile"/> differs from the built-in chain of the same
    /// name, in a fixed order; empty when <paramref name="profile"/> is not named like a built-in chain or keeps every
    /// built-in value. Entries with other names (such as the devnet's) are the user's own chains and are not compared.
    /// </summary>
    public static IReadOnlyList<ChainOverride> Find(ChainProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var builtIn = BuiltInChains.All.FirstOrDefault(chain => chain.Name == profile.Name);
        if (builtIn is null) return [];
        var changes = new List<ChainOverride>();
        void Compare(string key, string? builtInValue, string? configured, bool isUrl)
        {
            if (string.Equals(builtInValue, configured, isUrl ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)) return;
            changes.Add(new ChainOverride(key, Describe(builtInValue, isUrl), Describe(configured, isUrl)));
        }

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
        return changes;
    }

    /// <summary>
    /// One warning line naming every change, e.g. <c>chain.json entry "bellecour" overrides built-in settings of
    /// bellecour: sms.scone (https://sms.iex.ec -> http://127.0.0.1:5000)</c>; null when there is none.
    /// </summary>
    public static string? Warning(ChainProfile profile, string? configPath)
    {
        var changes = Find(profile);
        if (changes.Count == 0) return null;
        var where = configPath ?? ChainConfigFile.FileName;
        return $"The \"{profile.Name}\" entry of {where} overrides built-in settings of {profile.Name}: "
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
