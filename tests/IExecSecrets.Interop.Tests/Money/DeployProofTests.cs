using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using IExecSecrets.Core.Apps;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Money;

/// <summary>
/// Who owns a deployed app, and where deployed.json points, decided by the chain and the user, not by one RPC answer
/// or by the project folder: a node that rewrites the createApp receipt (or lies in predictApp) to another owner's app,
/// an iexec.json that names a foreign owner, and fee figures a lying node asks of the cmdlet. The real PoCo contracts on
/// anvil and the official iexec CLI 8.24 (<c>iexec app show</c>) are the oracles.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DeployProofTests(DevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task ReceiptRewrittenToAnotherOwnersApp_NothingIsWrittenToDeployedJson()
    {
        var victim = Net.Accounts[9];
        var foreign = await DeployHonestlyAsync(Net.Accounts[5]);
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var registry = await new PoCoHub(Net.Rpc, Net.Hub).AppRegistryAsync();
        proxy.Rewrite = HostileRpcProxy.ReceiptMintsInstead(registry, foreign);
        var chain = ChainResolver.FromDirectory(project).Resolve();
        using var rpc = new JsonRpcClient(proxy.Url);
        var app = Descriptor(victim.Address);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => new AppDeployer(rpc, chain).DeployAsync(app, victim, project));

        Assert.Equal(ErrorIds.AppDeploymentUnverified, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Contains($"names app {foreign}", error.Message);
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
        Assert.Null(ProjectFiles.ReadDeployedAddress(project, "app", chain.ChainId));
    }

    [Fact]
    public async Task PredictAppAnsweredWithAnotherOwnersApp_IsRefusedBeforeAnythingIsSent()
    {
        var victim = Net.Accounts[9];
        var foreign = await DeployHonestlyAsync(Net.Accounts[5]);
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = HostileRpcProxy.CallAnswers(AppRegistry.PredictAppSignature, foreign);
        var chain = ChainResolver.FromDirectory(project).Resolve();
        using var rpc = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAnyAsync<IExecException>(() => new AppDeployer(rpc, chain).DeployAsync(Descriptor(victim.Address), victim, project));

        Assert.Equal(ErrorIds.AppDeploymentUnverified, error.ErrorId);
        Assert.Contains($"predictApp answers {foreign}", error.Message);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
    }

    [Fact]
    public async Task DeployIExecApp_IExecJsonNamesAForeignOwner_IsRefusedBeforeAnyNetworkCall_AndDeploysForItOnlyWithOwner()
    {
        var wallet = Net.Accounts[9];
        var foreignOwner = Net.Accounts[5].Address;
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        DevNetProjects.PointChainAt(project, proxy.Url);
        var name = "foreign-" + Guid.NewGuid().ToString("N")[..10];
        File.WriteAllText(Path.Combine(project, "iexec.json"), new JsonObject
        {
            ["app"] = new JsonObject
            {
                ["owner"] = foreignOwner.ToString(), ["name"] = name, ["type"] = "DOCKER",
                ["multiaddr"] = "docker.io/example/foreign:1.0.0", ["checksum"] = Hex.Encode(Keccak256.HashUtf8(name)),
            },
        }.ToJsonString());
        using var session = new ModuleHost(location: project);

        var refused = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Deploy-IExecApp -Confirm:$false", new() { ["k"] = Secure(wallet) });
        var callsAfterRefusal = proxy.Calls.Count;
        var deployedJsonAfterRefusal = File.Exists(Path.Combine(project, "deployed.json"));
        var deployed = session.Run("Deploy-IExecApp -Owner $o -Confirm:$false", new() { ["o"] = foreignOwner.ToString() });
        var shown = await IExecCli.RunAsync(project, "app", "show", ((IExecApp)deployed.Output.Single().BaseObject).Address, "--chain", "devnet");

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("ForeignAppOwner,IExecSecrets.Commands.DeployIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains($"names owner {foreignOwner}, not the connected wallet {wallet.Address}", error.Exception.Message);
        Assert.Equal(0, callsAfterRefusal);
        Assert.False(deployedJsonAfterRefusal);
        Assert.True(deployed.AllErrors.Count == 0, string.Join(" | ", deployed.AllErrors));
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        Assert.Equal(foreignOwner.ToString(), JsonNode.Parse(shown.StdOut)!["app"]!["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeployIExecApp_NodeAsksTenToThe16WeiPerGas_FailsFeeAboveCap_AndSignsNothing()
    {
        var wallet = Net.Accounts[9];
        var project = Project();
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        // The node claims to be Arbitrum Sepolia, where gas is paid, and asks 10^16 wei per gas.
        proxy.Answer = call => call.Method switch
        {
            "eth_chainId" => call.Answer("0x66eee"),
            "eth_maxPriorityFeePerGas" => call.Answer(JsonRpcClient.ToQuantity(BigInteger.Pow(10, 16))),
            _ => null,
        };
        var chainJson = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chainJson["chains"]!["devnet"]!["id"] = "421614";
        chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
        chainJson["chains"]!["devnet"]!.AsObject().Remove("useGas");
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        using var session = new ModuleHost(location: project);
        var name = "fee-" + Guid.NewGuid().ToString("N")[..10];

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Deploy-IExecApp -Name $n -Multiaddr docker.io/example/fee:1.0.0 -Checksum $c -Confirm:$false",
            new() { ["k"] = Secure(wallet), ["n"] = name, ["c"] = Hex.Encode(Keccak256.HashUtf8(name)) });
        var lowered = session.Run("Deploy-IExecApp -Name $n -Multiaddr docker.io/example/fee:1.0.0 -Checksum $c -MaxFeePerGas '1 gwei' -Confirm:$false",
            new() { ["n"] = name, ["c"] = Hex.Encode(Keccak256.HashUtf8(name)) });

        // A saved default beats chain.json and the built-in cap; the command line beats it.
        var saved = session.Run("Set-IExecConfiguration -MaxFeePerGas '3 gwei' -Scope Process; try { Deploy-IExecApp -Name $n -Multiaddr docker.io/example/fee:1.0.0 -Checksum $c -Confirm:$false } finally { Clear-IExecConfiguration -Name MaxFeePerGas -Scope Process }",
            new() { ["n"] = name, ["c"] = Hex.Encode(Keccak256.HashUtf8(name)) });
        // The project folder raises the cap of a built-in chain id: said once, and still bounded.
        chainJson["chains"]!["devnet"]!["maxFeePerGas"] = "1000 gwei";
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        var raised = session.Run("Deploy-IExecApp -Name $n -Multiaddr docker.io/example/fee:1.0.0 -Checksum $c -Confirm:$false",
            new() { ["n"] = name, ["c"] = Hex.Encode(Keccak256.HashUtf8(name)) });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("FeeAboveCap,IExecSecrets.Commands.DeployIExecAppCommand", error.FullyQualifiedErrorId);
        // The devnet entry stands for a built-in chain by its id, so its override warning comes too; the fee-cap one is asked here.
        Assert.Contains("chain.json raises the fee cap of chain 421614 (arbitrum-sepolia-testnet) from 10 gwei to 1000 gwei per gas", Assert.Single(raised.Warning, w => w.Contains("raises the fee cap", StringComparison.Ordinal)));
        Assert.Contains("above the fee cap of 1000 gwei", Assert.Single(raised.AllErrors).Exception.Message);
        Assert.Contains("above the fee cap of 10 gwei (10000000000 wei) (the built-in cap of chain 421614)", error.Exception.Message);
        Assert.Contains("10000000 gwei (10000000000000000 wei)", error.Exception.Message);
        Assert.Contains("(-MaxFeePerGas)", Assert.Single(lowered.AllErrors).Exception.Message);
        Assert.Contains("above the fee cap of 3 gwei (3000000000 wei) (the saved default MaxFeePerGas)", Assert.Single(saved.AllErrors).Exception.Message);
        Assert.Equal(0, proxy.Count("eth_sendRawTransaction"));
        Assert.False(File.Exists(Path.Combine(project, "deployed.json")));
    }

    private async Task<EthAddress> DeployHonestlyAsync(DevNetAccount owner)
    {
        var registry = await AppRegistry.FromHubAsync(Net.Rpc, new PoCoHub(Net.Rpc, Net.Hub));
        return (await registry.CreateAppAsync(Net.CreateSender(owner), HostileNodeSendTests.NewApp(owner.Address))).Address;
    }

    private static AppDescriptor Descriptor(EthAddress owner)
    {
        var name = "proof-" + Guid.NewGuid().ToString("N")[..10];
        return AppDescriptor.Create(owner.ToString(), name, "DOCKER", "docker.io/example/proof:1.0.0", Hex.Encode(Keccak256.HashUtf8(name)), null);
    }

    private string Project() => Net.Project("iexec-money-deploy-");

    internal static SecureString Secure(DevNetAccount account) => ModuleHost.Secure(account.PrivateKeyHex);
}
