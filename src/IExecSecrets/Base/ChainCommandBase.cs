using IExecSecrets.Completers;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Market;

namespace IExecSecrets;

/// <summary>
/// Base of every cmdlet that talks to a chain: it owns <c>-Chain</c> and <c>-AllowInsecureHttp</c> (one declaration,
/// one help text), takes the saved defaults once when processing begins (<see cref="Saved"/>, handed to Core
/// explicitly), resolves the chain profile on first use (announcing a chain.json entry that overrides a built-in chain
/// once per command, <see cref="IExecCmdlet.AnnounceChainOverrides"/>), opens the RPC node and the market lazily and disposes them with the command.
/// </summary>
public abstract class ChainCommandBase : IExecCmdlet
{
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;
    private MarketClient? _market;
    private bool _marketOpened;

    /// <summary>
    /// The chain: a name from ./chain.json, or a built-in name or id (bellecour, arbitrum-sepolia-testnet,
    /// arbitrum-mainnet). Default: the chain saved with Set-IExecConfiguration -Chain, else the "default" chain of
    /// ./chain.json, else arbitrum-sepolia-testnet. Tab completion lists the known names. Commands that take tasks or
    /// deals from the pipeline (Get-IExecDeal, Get-IExecTask, Get-IExecTaskLog, Save-IExecTaskResult, Wait-IExecTask)
    /// also bind the Chain property of piped objects.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public virtual string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the endpoints this command calls (the chain's RPC node,
    /// market API, SMS, IPFS gateway, result proxy or workerpool API); without it such a URL fails with InsecureRpcUrl,
    /// InsecureMarketUrl, InsecureSmsUrl, InsecureGatewayUrl or InsecureWorkerpoolApiUrl before anything is sent, since
    /// requests and answers (values and signatures included) would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>
    /// The chain file (chain.json format) to read instead of ./chain.json, so a runbook reaches the same chains from any
    /// folder. A relative path is relative to the current location. Default: the IEXECSECRETS_CHAIN_CONFIG_PATH
    /// environment variable, else the path saved with Set-IExecConfiguration -ChainConfigPath, else ./chain.json (and
    /// the built-in chains without one). A named file that does not exist fails with ChainConfigNotFound.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChainConfigPath { get; set; }

    /// <summary>The saved defaults (Set-IExecConfiguration) in effect when the command began; values given on the command line win.</summary>
    protected SavedDefaultValues Saved { get; private set; } = SavedDefaultValues.None;

    /// <summary>The current file-system location: where ./chain.json and ./deployed.json are read.</summary>
    protected string CurrentDirectory
    {
        get
        {
            // PathInfo.ProviderPath resolves the path through the provider on every read (about 50 µs, a measurable part
            // of one short command in a foreach); the same drive, root and PowerShell path give the same provider path.
            var location = SessionState.Path.CurrentFileSystemLocation;
            var key = location.Drive?.Name + "|" + location.Drive?.Root + "|" + location.Path;
            if (s_lastLocation is { } last && string.Equals(last.Key, key, StringComparison.Ordinal)) return last.ProviderPath;
            var providerPath = location.ProviderPath;
            s_lastLocation = new LocationEntry(key, providerPath);
            return providerPath;
        }
    }

    private sealed record LocationEntry(string Key, string ProviderPath);

    private static LocationEntry? s_lastLocation;

    /// <summary>The chain -Chain names (the first item's, for piped items), resolved on first use and kept for the command.</summary>
    protected ChainProfile ChainProfile => ChainFor(Chain);

    /// <summary>The chain's RPC node, connected on first use under the transport rule and disposed with the command.</summary>
    protected JsonRpcClient Rpc => _rpc ??= ChainRpc.Connect(ChainProfile, AllowInsecureHttp);

    /// <summary>The chain's market API, opened on first use; null when the chain has none.</summary>
    protected MarketClient? MarketOrNull
    {
        get
        {
            if (!_marketOpened)
            {
                _market = RunCommandSupport.OpenMarket(ChainProfile, AllowInsecureHttp);
                _marketOpened = true;
            }

            return _market;
        }
    }

    /// <summary>The chain's market API; MissingMarketUrl when the chain has none.</summary>
    protected MarketClient Market => MarketOrNull ?? throw new IExecException(ErrorIds.MissingMarketUrl,
        $"Chain {ChainProfile.Name} has no market API (iexecGateway).", ChainProfile.Name)
    { RecommendedAction = "Set \"iexecGateway\" in the chain's chain.json entry." };

    /// <summary>
    /// The chain named <paramref name="name"/> (null or empty: the default), resolved once per command against
    /// chain.json of <paramref name="directory"/> (default: the current location) and the saved default chain; later
    /// calls return the first profile whatever they name, like the per-command RPC connection that goes with it.
    /// </summary>
    protected ChainProfile ChainFor(string? name, string? directory = null)
    {
        if (_chain is not null)
        {
            return _chain;
        }

        var resolver = ChainResolver.FromDirectory(directory ?? CurrentDirectory, Saved, ChainConfigLocation.Explicit(this, ChainConfigPath));
        var profile = resolver.Resolve(string.IsNullOrEmpty(name) ? null : name);
        AnnounceChainOverrides(profile, resolver.File.Path);
        return _chain = profile;
    }

    /// <summary>
    /// True for a command whose every piped item reads the same chain: the chain is resolved once in
    /// <see cref="BeginProcessing"/>, so a chain that cannot be resolved stops the command before the first item.
    /// </summary>
    protected virtual bool ResolvesChainFirst => false;

    /// <summary>
    /// Takes the saved defaults once (a broken configuration file stops the command with InvalidConfiguration), then lets
    /// the command fill the parameters the command line left out (<see cref="ApplySavedDefaults"/>), then resolves the
    /// chain when <see cref="ResolvesChainFirst"/>.
    /// </summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            Saved = SavedDefaults.Shared.Snapshot();
            ApplySavedDefaults(Saved);
            if (ResolvesChainFirst) _ = ChainProfile;
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>
    /// Fills parameters the command line left out from <paramref name="saved"/>; parameters bound from the pipeline are
    /// not filled here (their default changes per item), but read as <c>Parameter ?? Saved.X</c> where used.
    /// </summary>
    protected virtual void ApplySavedDefaults(SavedDefaultValues saved)
    {
    }

    /// <summary>Disposes the market and RPC clients this command opened.</summary>
    protected override void DisposeResources()
    {
        _market?.Dispose();
        _rpc?.Dispose();
        base.DisposeResources();
    }
}
