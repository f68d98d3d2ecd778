namespace IExecSecrets.Core.Config;

/// <summary>What <see cref="ProjectFiles.Initialize"/> wrote: the two file paths and, with a TEE framework, the app template.</summary>
/// <param name="IExecJsonPath">Full path of the written <c>iexec.json</c>.</param>
/// <param name="ChainJsonPath">Full path of the written <c>chain.json</c>.</param>
/// <param name="AppTemplate">The framework whose <c>app</c> template was added, or null when none was.</param>
public sealed record ProjectInitResult(string IExecJsonPath, string ChainJsonPath, TeeFramework? AppTemplate)
{
    /// <summary>True when chain.json existed and was kept as it was (only iexec.json was written).</summary>
    public bool ChainJsonKept { get; init; }
}
