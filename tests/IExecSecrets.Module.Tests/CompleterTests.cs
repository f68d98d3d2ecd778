namespace IExecSecrets.Module.Tests;

public sealed class CompleterTests
{
    [Fact]
    public void TeeFramework_CompletesTheSdkFrameworksByPrefix()
    {
        using var host = new ModuleHost(withSecretManagement: false);

        var all = Complete(host, "TeeFramework", "");
        var t = Complete(host, "TeeFramework", "T");

        Assert.Equal(new[] { "scone", "gramine", "tdx" }, all);
        Assert.Equal(new[] { "tdx" }, t);
    }

    [Fact]
    public void Chain_CompletesTheChainsOfTheLocationsChainJson_OrTheBuiltIns()
    {
        var project = Directory.CreateTempSubdirectory("iexec-module-completion-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "chain.json"), "{\"default\":\"dev-a\",\"chains\":{\"dev-a\":{\"id\":\"65535\",\"host\":\"http://127.0.0.1:8545\"},\"dev-b\":{\"id\":\"65536\",\"host\":\"http://127.0.0.1:8546\"},\"bellecour\":{}}}");
            using var inProject = new ModuleHost(withSecretManagement: false, location: project);
            using var elsewhere = new ModuleHost(withSecretManagement: false, location: Path.GetTempPath());

            var fromFile = Complete(inProject, "ChainName", "");
            var dev = Complete(inProject, "ChainName", "'DEV");
            var builtIns = Complete(elsewhere, "ChainName", "arb");

            Assert.Equal(new[] { "dev-a", "dev-b", "bellecour" }, fromFile);
            Assert.Equal(new[] { "dev-a", "dev-b" }, dev);
            Assert.Equal(new[] { "arbitrum-mainnet", "arbitrum-sepolia-testnet" }, builtIns.Order());
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    // Called from a script in the runspace, as PowerShell calls completers: on the pipeline thread of a busy runspace.
    private static string[] Complete(ModuleHost host, string completer, string word) =>
        host.Run($"[IExecSecrets.Completers.{completer}Completer]::new().CompleteArgument('cmd', 'param', $w, $null, $null) | ForEach-Object CompletionText", new Dictionary<string, object?> { ["w"] = word })
            .ThrowIfFailed().Output.Select(o => o.BaseObject.ToString()!).ToArray();
}
