using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Saves default values for -Chain, -Workerpool, -Vault and -TeeFramework, for this session or for every session of the user.</para>
/// </summary>
/// <remarks>
/// A parameter given on a command line always wins over a saved default; a Process value wins over a CurrentUser
/// value. Values are checked before anything is saved (a workerpool must be an address or an ENS name, a framework
/// scone, gramine or tdx), and nothing is saved when one is bad.
/// </remarks>
[Cmdlet(VerbsCommon.Set, "IExecConfiguration", SupportsShouldProcess = true)]
[OutputType(typeof(IExecConfigurationEntry))]
public sealed class SetIExecConfigurationCommand : IExecCmdlet
{
    /// <summary>The chain commands use when -Chain is not given; replaces chain.json's "default".</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    /// <summary>The workerpool (address or ENS name) Invoke-IExecApp uses when -Workerpool is not given.</summary>
    [Parameter]
    public string? Workerpool { get; set; }

    /// <summary>
    /// The SecretManagement vault the secret cmdlets read values from when neither -Value nor -Vault is given, and that
    /// Invoke-IExecApp and Invoke-IExecEnclaveApp use as their -Vault.
    /// </summary>
    [Parameter]
    public string? Vault { get; set; }

    /// <summary>The TEE framework (scone, gramine or tdx) whose SMS the secret cmdlets use when -TeeFramework is not given.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    public string? TeeFramework { get; set; }

    /// <summary>Process: until this PowerShell process ends. CurrentUser (default): in the user's configuration file, for every later session.</summary>
    [Parameter]
    public DefaultsScope Scope { get; set; } = DefaultsScope.CurrentUser;

    /// <summary>Writes the saved settings.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

        try
        {
            if (values.Count == 0)
            {
                throw new IExecException(ErrorIds.InvalidConfigurationValue, IExecErrorCategory.InvalidArgument,
                    "Give at least one of -Chain, -Workerpool, -Vault or -TeeFramework.", "Set-IExecConfiguration");
            }

            var normalized = values.ToDictionary(pair => pair.Key, pair => SavedDefaults.Validate(pair.Key, pair.Value), StringComparer.OrdinalIgnoreCase);
            var store = SavedDefaults.Shared;
            var where = Scope == DefaultsScope.Process ? "this PowerShell process" : store.UserFilePath;
            if (!ShouldProcess(where, $"Save default {string.Join(", ", normalized.Select(pair => $"{pair.Key}={pair.Value}"))}"))
            {
                return;
            }

            store.Set(Scope, normalized);
            WriteVerbose($"Saved {string.Join(", ", normalized.Keys)} for {Scope} in {where}.");
            if (PassThru)
            {
                foreach (var (name, value) in normalized)
                {
                    WriteObject(new IExecConfigurationEntry { Name = name, Value = value, Scope = Scope.ToString(), Path = store.UserFilePath });
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
