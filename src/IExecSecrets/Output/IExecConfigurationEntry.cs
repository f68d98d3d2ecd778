namespace IExecSecrets.Output;

/// <summary>
/// One saved default as <c>Get-IExecConfiguration</c> shows it: the setting, the value commands use when the
/// parameter is not given, and where that value comes from.
/// </summary>
public sealed class IExecConfigurationEntry
{
    /// <summary>
    /// The setting: Chain, Workerpool, Vault, TeeFramework or MaxFeePerGas (the parameter it stands in for), or
    /// WorkerpoolApiUrl:&lt;address&gt; for a pinned workerpool API URL.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The saved value, or null when the setting is not saved in the scope shown.</summary>
    public string? Value { get; init; }

    /// <summary>Where the value comes from: Process, CurrentUser, or NotSet.</summary>
    public required string Scope { get; init; }

    /// <summary>The user's configuration file (where CurrentUser values live).</summary>
    public required string Path { get; init; }

    /// <summary>The prefix of a pinned workerpool API URL's setting name.</summary>
    public const string PinPrefix = "WorkerpoolApiUrl";

    /// <summary>The setting name of the API URL pinned for <paramref name="workerpool"/>: <c>WorkerpoolApiUrl:0x…</c>.</summary>
    public static string PinName(string workerpool) => $"{PinPrefix}:{workerpool}";

    /// <summary><c>Name=Value</c>, or <c>Name</c> alone when not set.</summary>
    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
