namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// Where the devnet finds its tools: the repository root (the folder holding IExecSecrets.sln), the anvil binary
/// and the PoCo package that <c>eng/setup.sh</c> installs under <c>tools/node</c>.
/// </summary>
public sealed record RepositoryLayout(string Root)
{
    /// <summary>The anvil binary from the npm package <c>@foundry-rs/anvil-linux-amd64</c>.</summary>
    public string AnvilPath => Path.Combine(Root, "tools", "node", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    /// <summary>The unpacked <c>@iexec/poco</c> npm package.</summary>
    public string PoCoPackage => Path.Combine(Root, "tools", "node", "poco", "package");

    /// <summary>
    /// The truffle artifact (ABI and creation bytecode) of the RLC ERC-20 from the npm package
    /// <c>rlc-faucet-contract@1.0.10</c>, which token mode deploys.
    /// </summary>
    public string RlcArtifact => Path.Combine(Root, "tools", "node", "node_modules", "rlc-faucet-contract", "build", "contracts", "RLC.json");

    /// <summary>The deployment state cache folder; by default the git-ignored <c>.devnet-cache</c> under the root.</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Root, ".devnet-cache");

    /// <summary>
    /// Finds the repository by walking up from <paramref name="start"/>, then from the app's base directory, then
    /// from the current directory; throws <see cref="DirectoryNotFoundException"/> when none holds IExecSecrets.sln.
    /// </summary>
    public static RepositoryLayout Locate(string? start = null)
    {
        foreach (var origin in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = origin is null ? null : new DirectoryInfo(origin); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "IExecSecrets.sln"))) return new RepositoryLayout(directory.FullName);
            }
        }
        throw new DirectoryNotFoundException("IExecSecrets.sln was not found above the application or current directory; pass the repository root.");
    }
}
