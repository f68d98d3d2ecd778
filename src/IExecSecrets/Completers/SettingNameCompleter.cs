using System.Collections;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Completers;

/// <summary>Completes the setting names of the saved defaults: Chain, Workerpool, Vault, TeeFramework and MaxFeePerGas.</summary>
public sealed class SettingNameCompleter : NameCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => SavedDefaults.Names;
}
