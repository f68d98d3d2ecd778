using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Text;
using IExecSecrets.Core.Crypto;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Chain;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// Image apps end to end on a token devnet whose worker pulls from the loopback registry with its login and runs the
/// image in the real Docker engine: a TDX app built and pushed by Build-IExecTeeImage -TeeFramework tdx runs to the
/// right result; an image moved in the registry after deployment (a lying registry) and an app that fails (and
/// prints its secret) both end FAILED with their reason, the secret redacted from the reason and the worker log.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ImageAppRunTests(DockerFixture docker, RegistryFixture registry) : IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private const string Repository = "iexecsecrets-test/image-app";
    private readonly string _directory = RepoPaths.NewTempFolder("image-devnet");
    private DevNetEnvironment? _net;

    private DevNetEnvironment Net => _net!;

    public async Task InitializeAsync() => _net = await registry.StartDevNetAsync(_directory, docker, DevNetMode.Token);

    public async Task DisposeAsync()
    {
        if (_net is not null) await _net.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TdxImage_BuiltPushedAndDeployed_IsPulledByTheWorkerAndRunsTeeTdxToTheRightResult()
    {
        var owner = Net.Accounts[5];
        var project = NewProject(owner.Address);
        var tag = "tdx-" + Guid.NewGuid().ToString("N")[..10];
        var reference = $"{registry.Address}/{Repository}:{tag}";
        using var host = new ModuleHost();

        var run = host.Run(
            "$ExecutionContext.SessionState.Path.SetLocation($project) | Out-Null; Connect-IExecWallet -PrivateKey $k | Out-Null; " +
            "$image = Build-IExecTeeImage -Path $app -Tag $ref -TeeFramework tdx -BuildArg @{ BASE_IMAGE = $base } -Push -RegistryCredential $cred -UpdateProject -DockerHost $dockerHost -Confirm:$false; $image; " +
            "$deployed = Deploy-IExecApp -Confirm:$false; $deployed; " +
            "Push-IExecAppSecret -App $deployed.Address -Value $coefficients -Confirm:$false | Out-Null; Push-IExecRequesterSecret -Name x1 -Value $x -Confirm:$false | Out-Null; " +
            "$d = Invoke-IExecApp -App $deployed.Address -Tag tee,tdx -Secret @{ 1 = 'x1' } -Watch -PollIntervalSeconds 0.2 -Force; $d; $d.TaskIds | Save-IExecTaskResult -Expand",
            new Dictionary<string, object?>
            {
                ["project"] = project, ["k"] = Secure(owner.PrivateKeyHex), ["app"] = RepoPaths.JsApp, ["ref"] = reference, ["base"] = DockerFixture.NodeBase,
                ["cred"] = new PSCredential(registry.UserName, Secure(registry.Password)), ["dockerHost"] = docker.DockerHost,
                ["coefficients"] = Secure("2;-1;0;3"), ["x"] = Secure("4"),
            });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var image = Assert.IsType<IExecTeeImage>(run.Output[0].BaseObject);
        Assert.Equal(("tdx", reference, reference, null, null), (image.TeeFramework, image.Image, image.SconifiedImage, image.Fingerprint, image.MrEnclave));
        var digest = await registry.ManifestDigestAsync(Repository, tag);
        Assert.Equal("0x" + digest["sha256:".Length..], image.Checksum);
        var app = (JsonObject)ProjectFiles.ReadIExecJson(project)["app"]!;
        Assert.False(app.ContainsKey("mrenclave"));
        Assert.Equal((reference, image.Checksum), ((string?)app["multiaddr"], (string?)app["checksum"]));
        var deal = Assert.IsType<IExecDeal>(run.Output[2].BaseObject);
        Assert.True(deal.Succeeded, string.Join(", ", deal.Tasks.Select(t => t.StatusName)));
        Assert.Equal("tee,tdx", deal.Tag);
        var result = Assert.IsType<IExecTaskResult>(run.Output[3].BaseObject);
        Assert.Equal("{\"x\":4,\"result\":115}", File.ReadAllText(Path.Combine(result.ExpandedPath!, "result.txt")));
        var log = File.ReadAllText(Path.Combine(_directory, "worker", "worker.log"));
        Assert.Contains($"image {reference}: pulled from {registry.Address}, digest {digest} = the app checksum", log);
        Directory.Delete(project, recursive: true);
    }

    [Fact]
    public async Task ImageMovedInTheRegistryAfterDeployment_TaskEndsFailedWithTheDigestMismatch()
    {
        var owner = Net.Accounts[6];
        var tag = "moved-" + Guid.NewGuid().ToString("N")[..10];
        var reference = $"{registry.Address}/{Repository}:{tag}";
        var deployedDigest = await BuildAndPushAsync(reference, "ENTRYPOINT [\"node\", \"-e\", \"require('fs').writeFileSync(process.env.IEXEC_OUT + '/computed.json', '{}')\"]");
        var app = await DeployAsync(owner, reference, deployedDigest);
        // The registry now serves another image under the deployed tag.
        var movedDigest = await BuildAndPushAsync(reference, "LABEL moved=true\nENTRYPOINT [\"node\", \"-e\", \"process.exit(0)\"]");
        Assert.NotEqual(deployedDigest, movedDigest);

        var report = await RunAndWaitAsync(owner, app);

        Assert.Equal(WorkerTaskReport.Failed, report.State);
        Assert.Contains($"is not the app's checksum 0x{deployedDigest["sha256:".Length..]}", report.Reason);
        Assert.Contains(movedDigest, report.Reason);
    }

    [Fact]
    public async Task FailingContainer_EndsFailedWithItsReason_AndItsSecretRedactedFromReasonAndLog()
    {
        var owner = Net.Accounts[7];
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var tag = "failing-" + Guid.NewGuid().ToString("N")[..10];
        var reference = $"{registry.Address}/{Repository}:{tag}";
        var digest = await BuildAndPushAsync(reference,
            "ENTRYPOINT [\"node\", \"-e\", \"console.error('bad coefficients: ' + process.env.IEXEC_APP_DEVELOPER_SECRET); process.exit(3)\"]");
        var app = await DeployAsync(owner, reference, digest);
        using (var sms = new Core.Sms.SmsClient(Net.TdxSmsUrl))
        using (var key = Core.Wallet.WalletKey.FromHex(owner.PrivateKeyHex))
        {
            await sms.PushAppSecretAsync(key, app, Encoding.UTF8.GetBytes(canary));
        }

        var report = await RunAndWaitAsync(owner, app);

        Assert.Equal(WorkerTaskReport.Failed, report.State);
        Assert.Equal(3, report.ExitCode);
        Assert.Equal("the app exited with code 3: bad coefficients: ***", report.Reason);
        Assert.DoesNotContain(canary, File.ReadAllText(Path.Combine(_directory, "worker", "worker.log")), StringComparison.Ordinal);
    }

    private string NewProject(EthAddress owner)
    {
        var folder = RepoPaths.NewTempFolder("tdx-project");
        ProjectFiles.Initialize(folder, force: false, TeeFramework.Scone, owner);
        var iexec = ProjectFiles.ReadIExecJson(folder);
        iexec["app"]!["name"] = "tdx-image-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(Path.Combine(folder, ProjectFiles.IExecFileName), iexec.ToJsonString());
        File.Copy(Net.ChainJsonPath, Path.Combine(folder, "chain.json"), overwrite: true);
        return folder;
    }

    // Builds FROM the node base with the given Dockerfile tail, pushes it, and returns the registry digest.
    private async Task<string> BuildAndPushAsync(string reference, string dockerfileTail)
    {
        var folder = RepoPaths.NewTempFolder("image-app");
        try
        {
            File.WriteAllText(Path.Combine(folder, "Dockerfile"), $"FROM {DockerFixture.NodeBase}\n{dockerfileTail}\n");
            using var engine = await DockerEngine.ConnectAsync(docker.DockerHost, default);
            using (var context = BuildContextArchive.Create(folder))
            {
                await engine.BuildImageAsync(context, reference, null, null, default);
            }
            using var credential = new RegistryCredential(registry.UserName, Encoding.UTF8.GetBytes(registry.Password));
            return await engine.PushAsync(reference, credential, null, default);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<EthAddress> DeployAsync(DevNetAccount owner, string reference, string digest)
    {
        var registryContract = await Core.PoCo.AppRegistry.FromHubAsync(Net.Rpc, new Core.PoCo.PoCoHub(Net.Rpc, Net.Hub));
        var definition = new Core.PoCo.AppDefinition(owner.Address, "image-" + Guid.NewGuid().ToString("N")[..10], "DOCKER",
            Encoding.UTF8.GetBytes(reference), Hex.Decode("0x" + digest["sha256:".Length..]), []);
        return (await registryContract.CreateAppAsync(Net.CreateSender(owner), definition)).Address;
    }

    // Runs the app as its owner with tee,tdx (the worker's only way in) and waits for the worker's final report.
    private async Task<WorkerTaskReport> RunAndWaitAsync(DevNetAccount owner, EthAddress app)
    {
        var project = RepoPaths.NewTempFolder("image-run");
        File.Copy(Net.ChainJsonPath, Path.Combine(project, "chain.json"));
        using var host = new ModuleHost();
        var run = host.Run("$ExecutionContext.SessionState.Path.SetLocation($project) | Out-Null; Connect-IExecWallet -PrivateKey $k | Out-Null; (Invoke-IExecApp -App $app -Tag tee,tdx -Workerpool $pool -Force).TaskIds",
            new Dictionary<string, object?> { ["project"] = project, ["k"] = Secure(owner.PrivateKeyHex), ["app"] = app.ToString(), ["pool"] = Net.Workerpool.ToString() });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var taskId = Assert.Single(run.Output).BaseObject.ToString()!;
        try
        {
            for (var i = 0; i < 600; i++)
            {
                if (Net.Worker.GetReport(taskId) is { State: not WorkerTaskReport.Running } report && report.FinishedAt is not null) return report;
                await Task.Delay(200);
            }
            throw new TimeoutException($"the worker did not finish task {taskId} within 2 minutes");
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
