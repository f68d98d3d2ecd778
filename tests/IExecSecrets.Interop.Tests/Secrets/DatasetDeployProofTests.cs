using System.Management.Automation;
using IExecSecrets.Core.Datasets;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// Dataset deploys proven on chain exactly as app deploys are (the same Core steps): a node that rewrites the
/// createDataset receipt to another owner's dataset, or lies in predictDataset, and an iexec.json that names a foreign
/// owner, record nothing; an honest deploy is what the official iexec CLI 8.24 reads back (<c>iexec dataset show</c>)
/// and at the address the CLI predicts for the same fields.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DatasetDeployProofTests(DevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task ReceiptRewrittenToAnotherOwnersDataset_DatasetDeploymentUnverified_AndNothingIsRecorded()
    {
        var victim = Net.Accounts[9];
        var foreign = await DeployHonestlyAsync(Net.Accounts[5]);
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var registry = (await DatasetRegistry.FromHubAsync(Net.Rpc, new PoCoHub(Net.Rpc, Net.Hub))).Address;
        proxy.Rewrite = HostileRpcProxy.ReceiptMintsInstead(registry, foreign);
        var chain = ChainResolver.FromDirectory(project).Resolve();
        using var rpc = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => new DatasetDeployer(rpc, chain).DeployAsync(Descriptor(victim.Address), victim, project));

        Assert.Equal(ErrorIds.DatasetDeploymentUnverified, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains($"names dataset {foreign}", error.Message);
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
    }

    [Fact]
    public async Task PredictDatasetAnsweredWithAnotherOwnersDataset_IsRefusedBeforeAnythingIsSent()
    {
        var victim = Net.Accounts[9];
        var foreign = await DeployHonestlyAsync(Net.Accounts[5]);
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = HostileRpcProxy.CallAnswers(DatasetRegistry.PredictDatasetSignature, foreign);
        var chain = ChainResolver.FromDirectory(project).Resolve();
        using var rpc = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => new DatasetDeployer(rpc, chain).DeployAsync(Descriptor(victim.Address), victim, project));

        Assert.Equal(ErrorIds.DatasetDeploymentUnverified, error.ErrorId);
        Assert.Contains($"predictDataset answers {foreign}", error.Message);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
    }

    [Fact]
    public async Task DeployIExecDataset_IExecJsonNamesAForeignOwner_IsRefusedBeforeAnyNetworkCall_AndTheCliReadsWhatItDeploysWithOwner()
    {
        var wallet = Net.Accounts[9];
        var foreignOwner = Net.Accounts[5].Address;
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        DevNetProjects.PointChainAt(project, proxy.Url);
        var name = "foreign-dataset-" + Guid.NewGuid().ToString("N")[..8];
        var checksum = Hex.Encode(Keccak256.HashUtf8(name));
        File.WriteAllText(Path.Combine(project, "iexec.json"), new JsonObject
        {
            ["dataset"] = new JsonObject { ["owner"] = foreignOwner.ToString(), ["name"] = name, ["multiaddr"] = "https://example.com/" + name, ["checksum"] = checksum },
        }.ToJsonString());
        using var session = new ModuleHost(location: project);

        var refused = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Deploy-IExecDataset -Confirm:$false", new() { ["k"] = DeployProofTests.Secure(wallet) });
        var callsAfterRefusal = proxy.Calls.Count;
        var deployed = session.Run("Deploy-IExecDataset -Owner $o -Confirm:$false", new() { ["o"] = foreignOwner.ToString() });
        var dataset = Assert.IsType<IExecDataset>(Assert.Single(deployed.Output).BaseObject);
        var shown = await IExecCli.RunAsync(project, "dataset", "show", dataset.Address, "--chain", "devnet");
        // The CLI, asked to deploy the same iexec.json, predicts the same address and finds it taken.
        File.WriteAllText(Path.Combine(project, "chain.json"), File.ReadAllText(Net.ChainJsonPath));
        using (var key = Core.Wallet.WalletKey.FromHex(Net.Accounts[5].PrivateKeyHex))
        {
            File.WriteAllText(Path.Combine(project, Core.Wallet.UnencryptedWallet.FileName), Core.Wallet.UnencryptedWallet.ToJson(key));
        }
        var again = await IExecCli.RunAsync(project, "dataset", "deploy", "--chain", "devnet");

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("ForeignDatasetOwner,IExecSecrets.Commands.DeployIExecDatasetCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains($"names owner {foreignOwner}, not the connected wallet {wallet.Address}", error.Exception.Message);
        Assert.Equal(0, callsAfterRefusal);
        Assert.True(deployed.AllErrors.Count == 0, string.Join(" | ", deployed.AllErrors));
        Assert.Equal(dataset.Address, JsonNode.Parse(File.ReadAllText(Path.Combine(project, "deployed.json")))!["dataset"]!["134"]!.GetValue<string>());
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        var cli = JsonNode.Parse(shown.StdOut)!["dataset"]!;
        Assert.Equal(foreignOwner.ToString(), cli["owner"]!.GetValue<string>());
        Assert.Equal(name, cli["datasetName"]!.GetValue<string>());
        Assert.Equal("https://example.com/" + name, cli["datasetMultiaddr"]!.GetValue<string>());
        Assert.Equal(checksum, cli["datasetChecksum"]!.GetValue<string>());
        Assert.Contains($"Dataset already deployed at address {dataset.Address}", again.StdErr);
    }

    private async Task<EthAddress> DeployHonestlyAsync(DevNetAccount owner)
    {
        var registry = await DatasetRegistry.FromHubAsync(Net.Rpc, new PoCoHub(Net.Rpc, Net.Hub));
        return (await registry.CreateDatasetAsync(Net.CreateSender(owner), Descriptor(owner.Address).ToDefinition())).Address;
    }

    private static DatasetDescriptor Descriptor(EthAddress owner)
    {
        var name = "proof-" + Guid.NewGuid().ToString("N")[..10];
        return DatasetDescriptor.Create(owner.ToString(), name, "https://example.com/" + name + ".enc", Hex.Encode(Keccak256.HashUtf8(name)));
    }

    private string Project() => Net.Project("iexec-dataset-deploy-");
}
