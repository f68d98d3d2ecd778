namespace IExecSecrets.Output;

/// <summary>What <c>Initialize-IExecProject</c> wrote, like the CLI's <c>{configFile, chainConfigFile}</c>.</summary>
public sealed class IExecProjectInitResult
{
    /// <summary>The project folder.</summary>
    public required string Path { get; init; }

    /// <summary>The written <c>iexec.json</c>.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The written <c>chain.json</c>.</summary>
    public required string ChainConfigFile { get; init; }

    /// <summary>The TEE framework whose app template was added to iexec.json, or null when none was.</summary>
    public string? AppTemplate { get; init; }

    /// <summary>The owner written into the app template (the connected wallet, or the zero address).</summary>
    public string? Owner { get; init; }

    /// <summary>True when ChainConfigFile already existed and was kept as it was (Initialize-IExecProject never replaces a chain.json).</summary>
    public bool ChainConfigKept { get; init; }

    /// <summary>The project folder.</summary>
    public override string ToString() => Path;
}
