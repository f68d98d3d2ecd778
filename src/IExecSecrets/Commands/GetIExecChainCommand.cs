using System.Collections.Specialized;
using System.Globalization;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>
/// Lists the chains of ./chain.json, or the built-in chains, as the module resolves them, SMS URLs included.
/// </summary>
/// <remarks>
/// <para>Resolves each chain the way the iexec CLI 8.24 does: the chain id, then the built-in defaults for that id,
/// then the chain.json entry, merged key by key (a chain.json sms map replaces the whole default map, so frameworks it
/// does not name have no SMS).</para>
/// <para>Without a chain.json in the current location the built-in chains are listed as if the file written by iexec
/// init were present; the default chain is then arbitrum-sepolia-testnet.</para>
/// <para>An invalid chain.json stops the command with InvalidChainConfig; a chain that cannot be resolved (no RPC host,
/// unknown name) is reported with its own error and the others are still listed.</para>
/// <para>A chain.json entry that stands for a built-in chain (bellecour, arbitrum-mainnet, arbitrum-sepolia-testnet,
/// mainnet), by its name or by its chain id under any name (the SDK merges an entry over the built-in defaults of its
/// id, so "iexec": {"id": "134"} is bellecour), is compared key by key with that chain: id, RPC host, hub, SMS per
/// framework, market (iexecGateway), IPFS gateway and node, result proxy, ENS and voucher contracts, Compass, the
/// subgraphs, native, useGas, defaultTeeFramework and bridge. Each change is listed in OverriddenSettings
/// ("key (built-in -> configured)", URLs shown as scheme://host:port) and announced with a warning; every network
/// cmdlet writes the same warning once per command, since such an entry decides where secrets are pushed and what is
/// signed. The devnet's entry has bellecour's id 134, so it is announced too. Contract keys must be addresses, and a
/// name or value holding terminal control characters is refused (InvalidChainConfig).</para>
/// </remarks>
/// <example>
/// <code>Get-IExecChain</code>
/// <para>Lists every chain of ./chain.json with its resolved settings.</para>
/// </example>
/// <example>
/// <code>(Get-IExecChain bellecour).Sms</code>
/// <para>Shows the SMS URL per TEE framework of bellecour: scone https://sms.iex.ec and gramine
/// https://sms.gramine.v8-bellecour.iex.ec unless chain.json overrides them.</para>
/// </example>
/// <example>
/// <code>Get-IExecChain -Default -ChainConfigPath /etc/iexec/chain.json</code>
/// <para>Shows the default chain of that file, whatever the current folder; ConfigPath says which file was read.</para>
/// </example>
/// <example>
/// <code>Get-IExecChain -Default | Format-List</code>
/// <para>Shows the chain commands use when no -Chain is given.</para>
/// </example>
/// <input type="System.String">Chain names or ids.</input>
/// <output type="IExecSecrets.Output.IExecChain">
/// IExecSecrets.Output.IExecChain: name, chain id, RPC host, hub, SMS URL per TEE framework, default TEE framework,
/// native flag, service URLs and the built-in settings chain.json overrides (OverriddenSettings).
/// </output>
[Cmdlet(VerbsCommon.Get, "IExecChain", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecChain.md")]
[OutputType(typeof(IExecChain))]
public sealed class GetIExecChainCommand : IExecCmdlet
{
    /// <summary>
    /// Chain names, chain ids or wildcard patterns. Default: every chain of chain.json. A literal name that is not
    /// found fails with ChainNotFound. Also takes -Chain, the name every network command gives this parameter
    /// (without the alias, -Chain would bind to -ChainConfigPath by prefix).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Chain")]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Shows only the chain used when a command is given no -Chain.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    /// <summary>
    /// The chain file to read instead of ./chain.json, as the network commands take it. Default: the
    /// IEXECSECRETS_CHAIN_CONFIG_PATH environment variable, else the path saved with Set-IExecConfiguration
    /// -ChainConfigPath, else ./chain.json.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChainConfigPath { get; set; }

    private ChainResolver? _resolver;

    /// <summary>Reads ./chain.json once; an invalid file stops the command.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _resolver = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath, SavedDefaults.Shared.Snapshot(),
                ChainConfigLocation.Explicit(this, ChainConfigPath));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>Writes the chains matching each name; a literal name that matches nothing is a ChainNotFound error.</summary>
    protected override void ProcessRecord()
    {
        var resolver = _resolver!;
        if (Default)
        {
            Write(resolver, null);
            return;
        }
        if (Name is null)
        {
            foreach (var chain in resolver.ChainNames) Write(resolver, chain);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var chain in resolver.ChainNames.Where(pattern.IsMatch)) Write(resolver, chain);
            }
            else
            {
                Write(resolver, name);
            }
        }
    }

    // URLs in chain.json may carry credentials or API keys (user info, path, query): only scheme, host and port are shown.
    private static string? Shown(string? url) => url is null ? null : Core.Net.TransportPolicy.Display(url);

    private void Write(ChainResolver resolver, string? name)
    {
        try
        {
            var chain = resolver.Resolve(name);
            AnnounceChainOverrides(chain, resolver.File.Path);
            var sms = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (framework, url) in chain.Sms?.Expand() ?? new Dictionary<TeeFramework, string>())
            {
                sms[framework.ToWireName()] = Shown(url);
            }
            var saved = SavedDefaults.Shared;
            var isDefault = string.IsNullOrEmpty(name) || chain.Name == resolver.Resolve(null).Name;
            var (workerpool, workerpoolScope) = saved.Get("Workerpool");
            var (vault, vaultScope) = saved.Get("Vault");
            var (savedFramework, frameworkScope) = saved.Get("TeeFramework");
            WriteObject(new IExecChain
            {
                Name = chain.Name,
                ChainId = chain.ChainId,
                IsDefault = isDefault,
                DefaultSource = isDefault ? resolver.DefaultChainSource : null,
                SavedWorkerpool = workerpool,
                SavedWorkerpoolSource = workerpoolScope?.ToString(),
                SavedVault = vault,
                SavedVaultSource = vaultScope?.ToString(),
                TeeFrameworkSource = frameworkScope?.ToString() ?? (chain.DefaultTeeFramework is null ? "Built-in" : (resolver.File.Path is null ? "Built-in" : ChainConfigFile.FileName)),
                Host = Shown(chain.Host),
                Hub = chain.Hub?.ToString(),
                Sms = sms,
                DefaultTeeFramework = savedFramework ?? ChainResolver.ResolveTeeFramework(chain).ToWireName(),
                IsNative = chain.IsNative,
                ForcedGasPrice = chain.GasPriceOverride?.ToString(CultureInfo.InvariantCulture),
                IExecGateway = Shown(chain.IExecGateway),
                IpfsGateway = Shown(chain.IpfsGateway),
                ResultProxy = Shown(chain.ResultProxy),
                PocoSubgraph = Shown(chain.PocoSubgraph),
                ConfigPath = resolver.File.Path,
                OverriddenSettings = ChainOverride.Find(chain).Select(change => $"{change.Key} ({change.BuiltIn} -> {change.Configured})").ToArray(),
            });
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }
}
