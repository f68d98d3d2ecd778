using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// What Build-IExecTeeImage writes into iexec.json is deployable by both clients on the devnet: the official iexec
/// 8.24.0 CLI deploys it (`iexec app deploy`), and the module's Deploy-IExecApp, reading the same file, predicts the
/// very same address and refuses it as already deployed — so both parse and encode the app section identically.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class BuiltProjectDeployTests(DockerFixture docker)
{
    [Fact]
    public async Task BuiltProject_IsDeployedByTheCli_AndDeployIExecAppComputesTheSameAddress()
    {
        var project = TeeImageBuildTests.NewProject();
        using var owner = WalletKey.Generate();
        await using var devnet = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = Path.Combine(project, ".devnet") });
        using var host = new ModuleHost();

        var built = host.Run(
            "Build-IExecTeeImage -Path $app -Tag iexecsecrets-test/deploy-js:1 -SconifyImage $sconify -BuildArg @{ BASE_IMAGE = $base } -UpdateProject -ProjectPath $project -DockerHost $dockerHost -Confirm:$false",
            new Dictionary<string, object?> { ["app"] = RepoPaths.JsApp, ["project"] = project, ["sconify"] = DockerFixture.Sconify, ["base"] = DockerFixture.NodeBase, ["dockerHost"] = docker.DockerHost });
        Assert.Empty(built.AllErrors);
        // The project's owner becomes a fresh devnet key (gas is free there); chain.json becomes the devnet's, written
        // after init as the CLI requires.
        var iexecJson = ProjectFiles.ReadIExecJson(project);
        iexecJson["app"]!["owner"] = owner.Address.ToString();
        File.WriteAllText(Path.Combine(project, "iexec.json"), iexecJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        File.Copy(devnet.ChainJsonPath, Path.Combine(project, "chain.json"), overwrite: true);
        File.WriteAllText(Path.Combine(project, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(owner));

        var cli = await RunCliAsync(project, "app", "deploy");
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        var cliAddress = EthAddress.Parse(JsonNode.Parse(cli.StdOut)!["address"]!.GetValue<string>());

        var key = new byte[32];
        owner.CopyPrivateKeyTo(key);
        var secure = new System.Security.SecureString();
        foreach (var c in Hex.Encode(key)) secure.AppendChar(c);
        Array.Clear(key);
        var module = host.Run(
            "Connect-IExecWallet -PrivateKey $k | Out-Null; $ExecutionContext.SessionState.Path.SetLocation($project) | Out-Null; Deploy-IExecApp -Confirm:$false",
            new Dictionary<string, object?> { ["k"] = secure, ["project"] = project });

        var refused = Assert.Single(module.AllErrors);
        Assert.StartsWith("AppAlreadyDeployed,", refused.FullyQualifiedErrorId);
        Assert.Equal($"App already deployed at address {cliAddress}", refused.Exception.Message);
        var shown = await RunCliAsync(project, "app", "show", cliAddress.ToString());
        Assert.Equal(((JsonObject)iexecJson["app"]!)["mrenclave"]!.ToJsonString(), JsonNode.Parse(shown.StdOut)!["app"]!["appMREnclave"]!.GetValue<string>());
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunCliAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "tools", "node", "node_modules", ".bin", "iexec"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--raw");
        start.ArgumentList.Add("--quiet");
        start.Environment["HOME"] = directory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }
}
