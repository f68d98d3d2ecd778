using IExecSecrets.Core.Apps;

namespace IExecSecrets.Interop.Tests.Apps;

/// <summary>
/// Our deployer against the real PoCo contracts on anvil, checked by the official iexec 8.24.0 CLI
/// (<c>iexec app show</c>) reading the same chain through its own ABI and decoding.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class AppDeployInteropTests(DevNetFixture fixture)
{
    private const string SconeMrEnclave =
        """{"framework":"SCONE","version":"v5.9","entrypoint":"python /app/app.py","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}""";

    [Fact]
    public async Task DeployApp_IsShownIdenticallyByTheCli_AndASecondDeployIsRefusedBeforeAnyTransaction()
    {
        var net = fixture.Environment;
        var developer = net.Accounts[1];
        var project = net.Project("iexec-app-deploy-");
        var name = "interop-" + Guid.NewGuid().ToString("N")[..10];
        var checksum = Hex.Encode(Keccak256.HashUtf8(name));
        var app = AppDescriptor.Create(developer.Address.ToLowerHex(), name, "DOCKER", "docker.io/iexechub/python-hello-world:8.0.0-sconify-5.9.1-v15-production", checksum, SconeMrEnclave);
        var chain = ChainResolver.FromDirectory(project).Resolve();
        using var rpc = ChainRpc.Connect(chain);
        var deployer = new AppDeployer(rpc, chain);

        var plan = await deployer.PlanAsync(app);
        var deployment = await deployer.DeployAsync(app, developer, project);
        var nonceAfterDeploy = await rpc.GetTransactionCountAsync(developer.Address);
        var again = await Assert.ThrowsAsync<IExecException>(() => deployer.DeployAsync(app, developer, project));
        var nonceAfterRefusal = await rpc.GetTransactionCountAsync(developer.Address);
        var readBack = await new AppReader(rpc, chain).ReadAsync(deployment.Address);
        var cli = await IExecCli.RunAsync(fixture.Directory, "app", "show", deployment.Address.ToString(), "--chain", "devnet");

        Assert.Equal(plan.PredictedAddress, deployment.Address);
        Assert.Matches("^0x[0-9a-f]{64}$", deployment.TransactionHash);
        Assert.Equal(deployment.Address, ProjectFiles.ReadDeployedAddress(project, "app", chain.ChainId));
        Assert.Equal(ErrorIds.AppAlreadyDeployed, again.ErrorId);
        Assert.Equal(IExecErrorCategory.ResourceExists, again.Category);
        Assert.Equal($"App already deployed at address {deployment.Address}", again.Message);
        Assert.Equal(nonceAfterDeploy, nonceAfterRefusal);

        Assert.True(cli.ExitCode == 0, cli.StdErr);
        var shown = JsonNode.Parse(cli.StdOut)!["app"]!;
        Assert.Equal(developer.Address.ToString(), shown["owner"]!.GetValue<string>());
        Assert.Equal(name, shown["appName"]!.GetValue<string>());
        Assert.Equal("DOCKER", shown["appType"]!.GetValue<string>());
        Assert.Equal(app.MultiaddrText, shown["appMultiaddr"]!.GetValue<string>());
        Assert.Equal(checksum, shown["appChecksum"]!.GetValue<string>());
        Assert.Equal(SconeMrEnclave, shown["appMREnclave"]!.GetValue<string>());

        Assert.Equal((developer.Address, name, "DOCKER", app.MultiaddrText, checksum, SconeMrEnclave, (TeeFramework?)TeeFramework.Scone),
            (readBack.Owner, readBack.Name, readBack.Type, readBack.Multiaddr, readBack.Checksum, readBack.MrEnclave, readBack.Framework));
    }

    [Fact]
    public async Task ReadApp_UnknownAddress_ThrowsAppNotDeployed()
    {
        var net = fixture.Environment;
        var chain = ChainResolver.FromDirectory(net.Directory).Resolve();
        using var rpc = ChainRpc.Connect(chain);

        var error = await Assert.ThrowsAsync<IExecException>(() => new AppReader(rpc, chain).ReadAsync(net.Accounts[5].Address));

        Assert.Equal(ErrorIds.AppNotDeployed, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ObjectNotFound, error.Category);
    }
}
