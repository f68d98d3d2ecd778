using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Saves default values for -Chain, -ChainConfigPath, -Workerpool, -Vault, -TeeFramework and -MaxFeePerGas, and pins workerpool API URLs, for this session or for every session of the user.</summary>
/// <remarks>
/// <para>Runbooks stop repeating the same parameters on every line, as with Az's Update-AzConfig. A parameter given on a
/// command line always wins; then the Process value; then the CurrentUser value; then each command's own default
/// (chain.json's "default" chain, the market's workerpools, no vault, the chain's defaultTeeFramework, the chain's fee
/// cap from chain.json or the built-in one).</para>
/// <para>Values are checked before anything is saved: a workerpool must be an address (saved in EIP-55 form) or an ENS name,
/// a TEE framework scone, gramine or tdx, a fee cap an amount of wei (saved as a whole number of wei); a bad value fails with InvalidConfigurationValue and nothing is saved.
/// CurrentUser values live in IExecSecrets/config.json under the user's configuration folder ($XDG_CONFIG_HOME or
/// ~/.config on Linux, %APPDATA% on Windows), written atomically and readable by the user only. Get-IExecChain shows
/// which value each command will use and where it comes from.</para>
/// </remarks>
/// <example>
/// <code>Set-IExecConfiguration -Chain bellecour -Workerpool prod-v8-bellecour.main.pools.iexec.eth -Vault RunbookVault</code>
/// <para>Every later session runs on bellecour with that workerpool and reads secret values from RunbookVault.</para>
/// </example>
/// <example>
/// <code>Set-IExecConfiguration -WorkerpoolApiUrl @{ '0x0e7Bc972c99187c191A17f3CaE4A2711a4188c3F' = 'https://core.prod-v8-bellecour.iex.ec' }</code>
/// <para>Pins that workerpool's API: Get-IExecTaskLog signs its log-in challenge only for that host, and refuses with
/// WorkerpoolApiPinMismatch when iExec Compass names another one.</para>
/// </example>
/// <example>
/// <code>Set-IExecConfiguration -Chain devnet -Scope Process; Push-IExecRequesterSecret -Name x1 -Chain bellecour -Vault V</code>
/// <para>Uses devnet for the rest of this session only; the explicit -Chain bellecour still wins on the second command.</para>
/// </example>
/// <example>
/// <code>Set-IExecConfiguration -ChainConfigPath /etc/iexec/chain.json -Chain devnet</code>
/// <para>Every later command reads its chains from that file and runs on its devnet chain, from whatever folder the
/// runbook starts in (a CI job sets IEXECSECRETS_CHAIN_CONFIG_PATH instead).</para>
/// </example>
/// <example>
/// <code>Set-IExecConfiguration -MaxFeePerGas '0.5 gwei'</code>
/// <para>No transaction of any later session pays more than 0.5 gwei per gas unless its command says -MaxFeePerGas.</para>
/// </example>
/// <input type="None">This cmdlet takes no pipeline input.</input>
/// <output type="IExecSecrets.Output.IExecConfigurationEntry">With -PassThru, one entry per saved setting.</output>
[Cmdlet(VerbsCommon.Set, "IExecConfiguration", SupportsShouldProcess = true, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Set-IExecConfiguration.md")]
[OutputType(typeof(IExecConfigurationEntry))]
public sealed class SetIExecConfigurationCommand : IExecCmdlet
{
    /// <summary>
    /// The chain commands use when -Chain is not given; replaces chain.json's "default". It must resolve now (in the
    /// chain file in effect: -ChainConfigPath given here, else IEXECSECRETS_CHAIN_CONFIG_PATH, else the saved
    /// ChainConfigPath, else ./chain.json and the built-in chains), or nothing is saved (ChainNotFound).
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>
    /// The chain file (chain.json format) commands read instead of ./chain.json, so a runbook reaches the same chains from
    /// any folder; saved as a full path (a relative path is taken from the current location). The file must exist and
    /// be valid now (ChainConfigNotFound, InvalidChainConfig), or nothing is saved. The IEXECSECRETS_CHAIN_CONFIG_PATH
    /// environment variable and a command's -ChainConfigPath win over it.
    /// </summary>
    [Parameter]
    public string? ChainConfigPath { get; set; }

    /// <summary>The workerpool (address or ENS name) Invoke-IExecApp uses when -Workerpool is not given.</summary>
    [Parameter]
    public string? Workerpool { get; set; }

    /// <summary>
    /// The SecretManagement vault the Push-IExec*Secret cmdlets read values from when neither -Value nor -Vault is given,
    /// and that Invoke-IExecApp uses as its -Vault.
    /// </summary>
    [Parameter]
    public string? Vault { get; set; }

    /// <summary>
    /// The TEE framework (scone, gramine or tdx) whose SMS the secret cmdlets use when -TeeFramework is not given; an app
    /// secret still follows the app's own framework read on chain.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    public string? TeeFramework { get; set; }

    /// <summary>
    /// Pins the API URL of workerpools, as a hashtable of workerpool address to URL (https, or http to this machine).
    /// Get-IExecTaskLog then signs the log-in challenge only for that host: a pinned URL wins over iExec Compass, and a
    /// Compass answer that differs from it fails with WorkerpoolApiPinMismatch before anything is signed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public System.Collections.Hashtable? WorkerpoolApiUrl { get; set; }

    /// <summary>
    /// The fee cap per gas that commands sending transactions (Deploy-IExecApp, Invoke-IExecApp, Revoke-IExecOrder) use
    /// when -MaxFeePerGas is not given, on every chain: a number of wei, or a number with a unit (2 gwei, 0.5 gwei);
    /// it replaces chain.json's maxFeePerGas and the built-in cap of the chain.
    /// </summary>
    [Parameter]
    public string? MaxFeePerGas { get; set; }

    /// <summary>
    /// Process: until this PowerShell process ends. CurrentUser (default): in the user's configuration file, for every
    /// later session.
    /// </summary>
    [Parameter]
    public DefaultsScope Scope { get; set; } = DefaultsScope.CurrentUser;

    /// <summary>Writes the saved settings.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Refuses a chain file or a chain that later commands could not resolve, before anything is saved: the chain file
    /// named here (else the environment variable's, else the saved one, else ./chain.json) must load, and the chain named
    /// here must be found in it. Throws ChainConfigNotFound, InvalidChainConfig, ChainNotFound or MissingRpcHost.
    /// </summary>
    private void CheckChainResolves(IReadOnlyDictionary<string, string> normalized)
    {
        normalized.TryGetValue("Chain", out var chain);
        normalized.TryGetValue("ChainConfigPath", out var chainFile);
        if (chain is null && chainFile is null)
        {
            return;
        }

        var saved = SavedDefaults.Shared.Snapshot();
        var resolver = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath, saved,
            chainFile ?? ChainConfigLocation.Explicit(this, null));
        if (chain is not null)
        {
            resolver.Resolve(chain);
        }
    }

    /// <summary>Checks every value, then saves them together.</summary>
    protected override void EndProcessing()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in SavedDefaults.Names)
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
            {
                values[name] = value?.ToString() ?? "";
            }
        }

        if (values.TryGetValue("ChainConfigPath", out var chainFile) && !string.IsNullOrWhiteSpace(chainFile))
        {
            // saved as a full path: a relative one would mean another file in every folder a runbook runs from
            values["ChainConfigPath"] = SessionState.Path.GetUnresolvedProviderPathFromPSPath(chainFile.Trim());
        }

        try
        {
            if (values.Count == 0 && WorkerpoolApiUrl is null)
            {
                throw new IExecException(ErrorIds.InvalidConfigurationValue,
                    "Give at least one of -Chain, -ChainConfigPath, -Workerpool, -Vault, -TeeFramework, -MaxFeePerGas or -WorkerpoolApiUrl.", "Set-IExecConfiguration");
            }

            var normalized = values.ToDictionary(pair => pair.Key, pair => SavedDefaults.Validate(pair.Key, pair.Value), StringComparer.OrdinalIgnoreCase);
            CheckChainResolves(normalized);
            var pins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (System.Collections.DictionaryEntry pair in WorkerpoolApiUrl ?? [])
            {
                var (pool, url) = SavedDefaults.ValidateWorkerpoolApiPin(pair.Key?.ToString(), pair.Value?.ToString());
                pins[pool.ToString()] = url;
            }

            var store = SavedDefaults.Shared;
            var where = Scope == DefaultsScope.Process ? "this PowerShell process" : store.UserFilePath;
            var described = normalized.Select(pair => $"{pair.Key}={pair.Value}")
                .Concat(pins.Select(pair => $"{IExecConfigurationEntry.PinName(pair.Key)}={pair.Value}"));
            if (!ShouldProcess(where, $"Save default {string.Join(", ", described)}"))
            {
                return;
            }

            if (normalized.Count > 0) store.Set(Scope, normalized);
            if (pins.Count > 0) store.SetWorkerpoolApiPins(Scope, pins);
            WriteVerbose($"Saved {string.Join(", ", normalized.Keys.Concat(pins.Keys.Select(IExecConfigurationEntry.PinName)))} for {Scope} in {where}.");
            if (PassThru)
            {
                foreach (var (name, value) in normalized)
                {
                    WriteObject(new IExecConfigurationEntry { Name = name, Value = value, Scope = Scope.ToString(), Path = store.UserFilePath });
                }

                foreach (var (pool, url) in pins)
                {
                    WriteObject(new IExecConfigurationEntry { Name = IExecConfigurationEntry.PinName(pool), Value = url, Scope = Scope.ToString(), Path = store.UserFilePath });
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
