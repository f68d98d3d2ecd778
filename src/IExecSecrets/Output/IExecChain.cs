using System.Collections.Specialized;

namespace IExecSecrets.Output;

/// <summary>
/// One chain as the module will use it: the SDK 8.24 merge of built-in defaults and ./chain.json, with the SMS URL
/// of every TEE framework that has one. URLs are shown as scheme, host and port only: chain.json URLs may carry
/// credentials or API keys in their user info, path or query, and this object is printed.
/// </summary>
public sealed class IExecChain
{
    /// <summary>The name the chain is selected by with <c>-Chain</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The EIP-155 chain id.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>True when this is the chain used when no <c>-Chain</c> is given.</summary>
    public required bool IsDefault { get; init; }

    /// <summary>
    /// For the default chain, where that choice comes from: Process or CurrentUser (Set-IExecConfiguration -Chain),
    /// chain.json (its "default"), or Built-in (no chain.json here); null for other chains.
    /// </summary>
    public string? DefaultSource { get; init; }

    /// <summary>The workerpool Invoke-IExecApp uses when -Workerpool is not given (Set-IExecConfiguration), or null.</summary>
    public string? SavedWorkerpool { get; init; }

    /// <summary>Where <see cref="SavedWorkerpool"/> comes from: Process or CurrentUser, or null.</summary>
    public string? SavedWorkerpoolSource { get; init; }

    /// <summary>The vault the commands use when -Vault is not given (Set-IExecConfiguration), or null.</summary>
    public string? SavedVault { get; init; }

    /// <summary>Where <see cref="SavedVault"/> comes from: Process or CurrentUser, or null.</summary>
    public string? SavedVaultSource { get; init; }

    /// <summary>Where <see cref="DefaultTeeFramework"/> comes from: Process or CurrentUser, chain.json, or Built-in.</summary>
    public string? TeeFrameworkSource { get; init; }

    /// <summary>The JSON-RPC endpoint.</summary>
    public string? Host { get; init; }

    /// <summary>The iExec hub (PoCo proxy) address, EIP-55.</summary>
    public string? Hub { get; init; }

    /// <summary>SMS URL per TEE framework (<c>scone</c>, <c>gramine</c>, <c>tdx</c>); frameworks without an SMS are absent.</summary>
    public required OrderedDictionary Sms { get; init; }

    /// <summary>The framework used when a command names none: the saved default, else the chain's, else scone.</summary>
    public required string DefaultTeeFramework { get; init; }

    /// <summary>True when RLC is the native coin of the chain (bellecour).</summary>
    public required bool IsNative { get; init; }

    /// <summary>The gas price every transaction is forced to (0 on bellecour), or null when the node decides.</summary>
    public string? ForcedGasPrice { get; init; }

    /// <summary>The market API URL.</summary>
    public string? IExecGateway { get; init; }

    /// <summary>The IPFS gateway URL.</summary>
    public string? IpfsGateway { get; init; }

    /// <summary>The result proxy URL.</summary>
    public string? ResultProxy { get; init; }

    /// <summary>The PoCo subgraph URL.</summary>
    public string? PocoSubgraph { get; init; }

    /// <summary>The chain.json the profile was read from, or null when only built-in defaults were used.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>
    /// The built-in settings a chain.json entry named like a built-in chain replaces, each as
    /// "key (built-in -> configured)" with URLs shown as scheme://host:port; empty when it replaces none.
    /// </summary>
    public string[] OverriddenSettings { get; init; } = [];

    /// <summary>The chain name, so "$chain" can be passed to -Chain.</summary>
    public override string ToString() => Name;
}
