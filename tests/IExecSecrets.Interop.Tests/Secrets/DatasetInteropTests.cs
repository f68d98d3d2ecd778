using System.Net.Http.Headers;
using IExecSecrets.Core.Datasets;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// Encrypted datasets end to end on the devnet: one encrypted by Protect-IExecDataset (key in the vault) and one by the
/// official <c>iexec dataset encrypt</c> (8.24), each served over loopback http (and one through the devnet's IPFS
/// gateway), deployed with Deploy-IExecDataset, its key pushed, its order published by the owner, and run by another
/// requester with Invoke-IExecApp -Dataset: the app computes with the dataset's coefficients. A wrong on-chain checksum,
/// a gateway serving other bytes and a missing dataset key each fail the task with a readable reason and no key in the
/// worker's log; the preflight refuses a TEE run whose dataset key the SMS lacks. No clear dataset, key or canary
/// reaches a stream or a file outside the folders the test named.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DatasetInteropTests(DevNetFixture fixture)
{
    [Fact]
    public async Task ProtectedByTheModule_ServedOverLoopbackHttp_DeployedPushedPublished_RunByAnotherRequester()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[1];
        var requester = net.Accounts[7];
        var start = DateTime.UtcNow;
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var harness = new SecretsHarness(net, "iexec-dataset-module");
        var app = await harness.DeployAppAsync(owner, "9;9;9;9");
        var original = Path.Combine(harness.Work, "datasets", "original", "coefficients.json");
        Directory.CreateDirectory(Path.GetDirectoryName(original)!);
        File.WriteAllText(original, $"{{\"coefficients\":\"1;2;3;4\",\"x\":\"3\",\"note\":\"{canary}\"}}");
        harness.Connect(owner);

        var protectedRun = harness.Run("Protect-IExecDataset ./datasets/original/coefficients.json -Vault TestVault -VaultSecretName coefficients-key -Confirm:$false -Verbose");
        var encrypted = Assert.IsType<IExecProtectedDataset>(Assert.Single(protectedRun.Output).BaseObject);
        using var host = new RawHttpServer { Respond = r => r.Path == "/coefficients.json.enc" ? Served(System.IO.File.ReadAllBytes(encrypted.Path)) : RawHttpServer.Answer(404, "Not Found", "") };
        var name = "dataset-" + Guid.NewGuid().ToString("N")[..8];
        var deployRun = harness.Run("$p | Deploy-IExecDataset -Name $n -Multiaddr $u -Confirm:$false -Verbose",
            new() { ["p"] = encrypted, ["n"] = name, ["u"] = host.Url + "coefficients.json.enc" });
        var dataset = Assert.IsType<IExecDataset>(Assert.Single(deployRun.Output).BaseObject);
        var pushRun = harness.Run("Push-IExecDatasetSecret $d -Vault TestVault -VaultSecretName coefficients-key -Confirm:$false", new() { ["d"] = dataset.Address });
        var publishRun = harness.Run("Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 10 -Confirm:$false | Out-Null; "
            + "Publish-IExecDatasetOrder -Dataset $d -Tag tee,scone -AppRestrict $app -Volume 10 -Confirm:$false; Get-IExecDatasetOrder -Dataset $d -App $app; Get-IExecDataset $d",
            new() { ["d"] = dataset.Address, ["app"] = app.ToString() });
        harness.Connect(requester);
        var run = harness.Run("Invoke-IExecApp -App $app -Dataset $d -Tag tee,scone -Watch -PollIntervalSeconds 0.2 -Force -Verbose | Save-IExecTaskResult -Path ./results -Expand",
            new() { ["app"] = app.ToString(), ["d"] = dataset.Address });

        foreach (var step in new[] { protectedRun.Errors, deployRun.Errors, pushRun.Errors, publishRun.Errors, run.Errors })
        {
            Assert.True(step.Count == 0, string.Join(" | ", step.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
        // The file and its checksum are what iexec dataset encrypt would give: node's SHA-256 and decryption agree below.
        Assert.Equal(Path.Combine(harness.Work, "datasets", "encrypted", "coefficients.json.enc"), encrypted.Path);
        Assert.Equal(DatasetEncryption.ChecksumText(SHA256.HashData(File.ReadAllBytes(encrypted.Path))), encrypted.Checksum);
        Assert.Equal(encrypted.Checksum, dataset.Checksum);
        Assert.Equal(owner.Address.ToString(), dataset.Owner);
        var order = Assert.IsType<IExecOrder>(publishRun.Output[0].BaseObject);
        Assert.Equal(app.ToString(), order.AppRestrict);
        Assert.Contains(publishRun.Output.Skip(1), o => o.BaseObject is IExecOrder listed && listed.OrderHash == order.OrderHash && listed.Signer == owner.Address.ToString());
        var read = Assert.IsType<IExecDataset>(publishRun.Output[^1].BaseObject);
        Assert.Equal((host.Url + "coefficients.json.enc", encrypted.Checksum, name), (read.Multiaddr, read.Checksum, read.Name));
        var saved = Assert.IsType<IExecTaskResult>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("{\"x\":3,\"result\":58}", File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
        Assert.Contains(host.Requests, r => r.Path == "/coefficients.json.enc");
        // The key is in the vault and on the SMS, equal, and nowhere else.
        var key = (string)harness.RunOk("Get-Secret -Vault TestVault -Name coefficients-key -AsPlainText")[0].BaseObject;
        Assert.Equal(key, Encoding.UTF8.GetString((await net.Sms.GetWeb3SecretAsync(EthAddress.Parse(dataset.Address)))!));
        var streams = string.Join("\n", new[] { protectedRun, deployRun, pushRun, publishRun, run }
            .SelectMany(r => r.Verbose.Concat(r.Warnings).Concat(r.Output.Select(o => o.ToString() ?? ""))));
        Assert.DoesNotContain(key, streams);
        Assert.DoesNotContain(canary, streams);
        // No clear dataset or key on disk outside the folder the test named (the original), in the project or the devnet.
        Assert.Equal([original], SecretsHarness.FilesContaining(harness.Work, Encoding.UTF8.GetBytes(canary)));
        Assert.Empty(SecretsHarness.FilesContaining(net.Directory, Encoding.UTF8.GetBytes(canary), start));
        Assert.Empty(SecretsHarness.FilesContaining(harness.Work, Encoding.ASCII.GetBytes(key)));
        Assert.Empty(SecretsHarness.FilesContaining(net.Directory, Encoding.ASCII.GetBytes(key), start));
        var decrypted = Path.Combine(harness.Work, "node.json");
        var node = TestSupport.Oracles.EncryptionOracle.RunOne(new JsonObject { ["op"] = "decryptDataset", ["in"] = encrypted.Path, ["key"] = key, ["out"] = decrypted });
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(decrypted));
        _ = node;
    }

    [Fact]
    public async Task EncryptedByTheCli_DeployedFromIExecJson_KeyPushedByTheCli_RunsTheSameWay()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[1];
        var requester = net.Accounts[6];
        using var harness = new SecretsHarness(net, "iexec-dataset-cli");
        var app = await harness.DeployAppAsync(owner, "9;9;9;9");
        using var wallet = WalletKey.FromHex(owner.PrivateKeyHex);
        var cli = SecretsHarness.CliFolder(net, wallet, "iexec-cli-dataset");
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "init", "--skip-wallet", "--force"), "iexec init");
        File.Copy(net.ChainJsonPath, Path.Combine(cli, "chain.json"), overwrite: true);
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "dataset", "init", "--encrypted"), "iexec dataset init --encrypted");
        File.WriteAllText(Path.Combine(cli, "datasets", "original", "data.txt"), "1;0;1;0\n");
        var encrypt = SecretsHarness.Ok(await IExecCli.RunAsync(cli, "dataset", "encrypt"), "iexec dataset encrypt");
        var file = encrypt["encryptedFiles"]![0]!;
        var checksum = file["checksum"]!.GetValue<string>();
        var encryptedPath = file["encrypted"]!.GetValue<string>();
        using var host = new RawHttpServer { Respond = _ => Served(System.IO.File.ReadAllBytes(encryptedPath)) };
        // The dataset section the CLI wrote, completed as a user would: where the file is served and its checksum.
        var iexecJson = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(cli, "iexec.json")))!;
        iexecJson["dataset"]!["name"] = "cli-dataset-" + Guid.NewGuid().ToString("N")[..8];
        iexecJson["dataset"]!["multiaddr"] = host.Url + "data.txt.enc";
        iexecJson["dataset"]!["checksum"] = checksum;
        System.IO.File.WriteAllText(Path.Combine(cli, "iexec.json"), iexecJson.ToJsonString());
        harness.Connect(owner);

        var deployed = harness.Run("Deploy-IExecDataset -Path $p -Confirm:$false", new() { ["p"] = cli });
        var dataset = Assert.IsType<IExecDataset>(Assert.Single(deployed.Output).BaseObject);
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "dataset", "push-secret", dataset.Address), "iexec dataset push-secret");
        var checkedSecret = harness.RunOk("Test-IExecDatasetSecret $d", new() { ["d"] = dataset.Address });
        harness.RunOk("Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 10 -Confirm:$false | Out-Null; Publish-IExecDatasetOrder -Dataset $d -Tag tee,scone -Volume 10 -Confirm:$false | Out-Null",
            new() { ["d"] = dataset.Address, ["app"] = app.ToString() });
        harness.Connect(requester);
        var run = harness.Run("Invoke-IExecApp -App $app -Dataset $d -Tag tee,scone -SecretValue @{1=$x} -Watch -PollIntervalSeconds 0.2 -Force | Save-IExecTaskResult -Path ./results -Expand",
            new() { ["app"] = app.ToString(), ["d"] = dataset.Address, ["x"] = HostedModule.Secure("4") });

        Assert.Empty(deployed.Errors);
        Assert.Equal(checksum, dataset.Checksum);
        Assert.Equal(dataset.Address, JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(cli, "deployed.json")))!["dataset"]!["134"]!.GetValue<string>());
        Assert.True(((IExecSecretStatus)checkedSecret[0].BaseObject).IsSet);
        Assert.True(run.Errors.Count == 0, string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var saved = Assert.IsType<IExecTaskResult>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("{\"x\":4,\"result\":68}", System.IO.File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
    }

    [Fact]
    public async Task OwnDataset_ThroughTheDevNetIpfsGateway_RunsWithASelfSignedDatasetOrder()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[8];
        using var harness = new SecretsHarness(net, "iexec-dataset-ipfs");
        var app = await harness.DeployAppAsync(owner, null);
        var original = Path.Combine(harness.Work, "x.txt");
        System.IO.File.WriteAllText(original, "0;0;2;1");
        harness.Connect(owner);
        var encrypted = (IExecProtectedDataset)harness.RunOk("Protect-IExecDataset ./x.txt -Vault TestVault -VaultSecretName x-key -Destination ./enc -Confirm:$false")[0].BaseObject;
        var cid = await UploadAsync(net, System.IO.File.ReadAllBytes(encrypted.Path));

        var run = harness.Run("$d = Deploy-IExecDataset -Name $n -Multiaddr $u -Checksum $c -Confirm:$false; Push-IExecDatasetSecret $d.Address -Vault TestVault -VaultSecretName x-key -Confirm:$false | Out-Null; "
            + "Invoke-IExecApp -App $app -Dataset $d.Address -Tag tee,scone -SecretValue @{1=$x} -Watch -PollIntervalSeconds 0.2 -Force | Save-IExecTaskResult -Path ./out -Expand",
            new() { ["n"] = "ipfs-" + Guid.NewGuid().ToString("N")[..8], ["u"] = "/ipfs/" + cid, ["c"] = encrypted.Checksum, ["app"] = app.ToString(), ["x"] = HostedModule.Secure("10") });

        Assert.True(run.Errors.Count == 0, string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var saved = Assert.IsType<IExecTaskResult>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("{\"x\":10,\"result\":21}", System.IO.File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
    }

    public static TheoryData<string> TaskFailures => new() { "wrong checksum", "gateway serving other bytes", "missing dataset key" };

    [Theory]
    [MemberData(nameof(TaskFailures))]
    public async Task DatasetThatCannotBeProvisioned_FailsTheTask_WithAReadableReason_AndNoKeyInTheLog(string failure)
    {
        var net = fixture.Environment;
        var owner = net.Accounts[9];
        using var harness = new SecretsHarness(net, "iexec-dataset-fail");
        var app = await harness.DeployAppAsync(owner, null);
        System.IO.File.WriteAllText(Path.Combine(harness.Work, "d.txt"), "1;1;1;1");
        harness.Connect(owner);
        var encrypted = (IExecProtectedDataset)harness.RunOk("Protect-IExecDataset ./d.txt -Vault TestVault -VaultSecretName d-key -Confirm:$false")[0].BaseObject;
        var bytes = System.IO.File.ReadAllBytes(encrypted.Path);
        using var host = new RawHttpServer
        {
            Respond = _ => Served(failure == "gateway serving other bytes" ? [.. bytes[..^1], (byte)(bytes[^1] ^ 1)] : bytes),
        };
        var checksum = failure == "wrong checksum" ? DatasetEncryption.ChecksumText(SHA256.HashData("other bytes"u8)) : encrypted.Checksum;
        var dataset = (IExecDataset)harness.RunOk("Deploy-IExecDataset -Name $n -Multiaddr $u -Checksum $c -Confirm:$false",
            new() { ["n"] = "fail-" + Guid.NewGuid().ToString("N")[..8], ["u"] = host.Url + "d.txt.enc", ["c"] = checksum })[0].BaseObject;
        if (failure != "missing dataset key") harness.RunOk("Push-IExecDatasetSecret $d -Vault TestVault -VaultSecretName d-key -Confirm:$false | Out-Null", new() { ["d"] = dataset.Address });

        var run = harness.Run("Invoke-IExecApp -App $app -Dataset $d -Tag tee,scone -Watch -PollIntervalSeconds 0.2 -Force -SkipPreflightCheck",
            new() { ["app"] = app.ToString(), ["d"] = dataset.Address });

        var deal = Assert.IsType<IExecDeal>(Assert.Single(run.Output).BaseObject);
        Assert.Equal("FAILED", Assert.Single(deal.Tasks).StatusName);
        Assert.Equal("TaskRunFailed,IExecSecrets.Commands.InvokeIExecAppCommand", Assert.Single(run.Errors).FullyQualifiedErrorId);
        var reason = net.Worker.GetReport(deal.TaskIds[0])!.Reason!;
        Assert.Contains(failure == "missing dataset key" ? "PRE_COMPUTE_GET_DATASET_SECRET_FAILED" : "PRE_COMPUTE_INVALID_DATASET_CHECKSUM", reason);
        Assert.Contains(dataset.Address, reason);
        var key = (string)harness.RunOk("Get-Secret -Vault TestVault -Name d-key -AsPlainText")[0].BaseObject;
        Assert.DoesNotContain(key, reason);
        Assert.DoesNotContain(key, System.IO.File.ReadAllText(Path.Combine(net.Directory, "worker", "worker.log")));
    }

    [Fact]
    public async Task TeeRunWithADatasetWhoseKeyIsNotOnTheSms_PreflightFailsDatasetSecretMissing_AndNothingIsSent()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[9];
        using var harness = new SecretsHarness(net, "iexec-dataset-preflight");
        var app = await harness.DeployAppAsync(owner, null);
        harness.Connect(owner);
        var dataset = (IExecDataset)harness.RunOk("Deploy-IExecDataset -Name $n -Multiaddr https://example.com/d.enc -Checksum $c -Confirm:$false",
            new() { ["n"] = "nokey-" + Guid.NewGuid().ToString("N")[..8], ["c"] = "0x" + new string('1', 64) })[0].BaseObject;
        var nonce = await net.Rpc.GetTransactionCountAsync(owner.Address);

        var run = harness.Run("Invoke-IExecApp -App $app -Dataset $d -Tag tee,scone -Force", new() { ["app"] = app.ToString(), ["d"] = dataset.Address });
        var publish = harness.Run("Publish-IExecDatasetOrder -Dataset $d -Tag tee,scone -Confirm:$false", new() { ["d"] = dataset.Address });

        var error = Assert.Single(run.Errors);
        Assert.Equal("DatasetSecretMissing,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"Push-IExecDatasetSecret {dataset.Address}", error.ErrorDetails.RecommendedAction);
        Assert.Equal("DatasetSecretMissing,IExecSecrets.Commands.PublishIExecDatasetOrderCommand", Assert.Single(publish.Errors).FullyQualifiedErrorId);
        Assert.Equal(nonce, await net.Rpc.GetTransactionCountAsync(owner.Address));
    }

    private static async Task<string> UploadAsync(IExecSecrets.DevNet.DevNetEnvironment net, byte[] content)
    {
        using var http = new HttpClient();
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var answer = await http.PostAsync(new Uri(net.Ipfs.Url, "/ipfs"), body);
        answer.EnsureSuccessStatusCode();
        return JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["Hash"]!.GetValue<string>();
    }

    private static byte[] Served(byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. body];
    }
}
