using IExecSecrets.Core.Secrets;
using IExecSecrets.Interop.Tests.Run;
using IExecSecrets.Interop.Tests.Sms;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// Token mode (issue 16 item 9): encrypted datasets and encrypted results on the token devnet (TDX SMS, tee,tdx
/// workerpool order) with the official iexec 9.0.1 CLI (the npm alias iexec9, chain.v9.json) as the oracle, for each
/// flow SDK 9.0.1 has: <c>dataset encrypt / deploy / push-secret / publish</c>, <c>result generate-encryption-keypair /
/// push-encryption-key / decrypt</c>, <c>dataset show / check-secret</c>, <c>result check-encryption-key</c> and
/// <c>app run --dataset --encrypt-result</c>. Each way round: what the CLI made, the module runs and opens; what the
/// module made, the CLI reads and opens. Keys and datasets go to the TDX SMS only, as the worker reads them for a
/// tee,tdx deal.
/// </summary>
public sealed class TdxSecretsInteropTests(TokenDevNetFixture fixture, ITestOutputHelper output) : IClassFixture<TokenDevNetFixture>
{
    private static readonly string AppScript = Path.Combine(IExecSecrets.TestSupport.RepoPaths.Root, "enclave", "js", "app.js");

    [Fact]
    public async Task Cli9Dataset_AndCli9ResultKey_RunTeeTdxWithEncryptResult_TheCliAndTheModuleBothOpenTheResult()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[4];
        var requester = net.Accounts[7];
        using var module = new SecretsHarness(net, "iexec-tdx-cli-made");
        var app = DeployTdxApp(module, owner);

        // The owner, with the 9.0.1 CLI: encrypt a dataset, deploy it from iexec.json, push its key, publish its order.
        using var ownerKey = WalletKey.FromHex(owner.PrivateKeyHex);
        var ownerCli = SecretsHarness.CliFolder(net, ownerKey, "iexec9-tdx-owner", v9: true);
        await Cli(ownerCli, "init", "--skip-wallet", "--force");
        File.Copy(net.ChainV9JsonPath, Path.Combine(ownerCli, "chain.json"), overwrite: true);
        await Cli(ownerCli, "dataset", "init", "--encrypted");
        File.WriteAllText(Path.Combine(ownerCli, "datasets", "original", "data.json"), "{\"coefficients\":\"2;0;0;1\",\"x\":\"3\"}");
        var file = JsonNode.Parse((await Cli(ownerCli, "dataset", "encrypt")).StdOut)!["encryptedFiles"]![0]!;
        var encryptedBytes = File.ReadAllBytes(file["encrypted"]!.GetValue<string>());
        using var host = new RawHttpServer { Respond = r => r.Path == "/data.json.enc" ? Served(encryptedBytes) : RawHttpServer.Answer(404, "Not Found", "") };
        var iexecJson = JsonNode.Parse(File.ReadAllText(Path.Combine(ownerCli, "iexec.json")))!;
        iexecJson["dataset"]!["name"] = "tdx-cli-dataset-" + Guid.NewGuid().ToString("N")[..8];
        iexecJson["dataset"]!["multiaddr"] = host.Url + "data.json.enc";
        iexecJson["dataset"]!["checksum"] = file["checksum"]!.GetValue<string>();
        File.WriteAllText(Path.Combine(ownerCli, "iexec.json"), iexecJson.ToJsonString());
        var dataset = EthAddress.Parse(JsonNode.Parse((await Cli(ownerCli, "dataset", "deploy")).StdOut)!["address"]!.GetValue<string>());
        await Cli(ownerCli, "dataset", "push-secret", dataset.ToString());
        Assert.NotNull(await net.TdxSms.GetWeb3SecretAsync(dataset));
        Assert.Null(await net.Sms.GetWeb3SecretAsync(dataset)); // the TDX SMS only, as the worker reads it for tee,tdx
        await Cli(ownerCli, "dataset", "publish", dataset.ToString(), "--tag", "tee,tdx", "--app-restrict", app, "--volume", "10", "--force");

        // The requester, with the 9.0.1 CLI: a result key pair, its public key pushed, a tee,tdx run on the dataset
        // with an encrypted result, to COMPLETED.
        using var requesterKey = WalletKey.FromHex(requester.PrivateKeyHex);
        var requesterCli = SecretsHarness.CliFolder(net, requesterKey, "iexec9-tdx-requester", v9: true);
        await Cli(requesterCli, "result", "generate-encryption-keypair", "--force");
        await Cli(requesterCli, "result", "push-encryption-key");
        Assert.NotNull(await net.TdxSms.GetWeb2SecretAsync(requester.Address, SecretRules.ResultEncryptionPublicKeyName));
        var run = JsonNode.Parse((await Cli(requesterCli, "app", "run", app, "--dataset", dataset.ToString(), "--tag", "tee,tdx", "--encrypt-result", "--watch", "--force")).StdOut)!;
        var task = Assert.Single(run["tasks"]!.AsArray())!;
        Assert.Equal("COMPLETED", task["statusName"]!.GetValue<string>());
        var taskId = task["taskid"]!.GetValue<string>();

        // The module, as that requester: the dataset and its order as the CLI made them; the result saved as is is
        // iExec's encrypted archive; -DecryptionKey with the CLI's private key opens it, and so does the CLI.
        module.Connect(requester);
        var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(requesterCli, ".secrets", "beneficiary"), "*_key"));
        var read = module.Run(
            "Get-IExecDataset $d; Get-IExecDatasetOrder -Dataset $d -App $app -MinTag tee,tdx; Save-IExecTaskResult $t -Path ./encrypted; Save-IExecTaskResult $t -Path ./plain -Decrypt -DecryptionKey $k -Expand",
            new() { ["d"] = dataset.ToString(), ["app"] = app, ["t"] = taskId, ["k"] = HostedModule.Secure(File.ReadAllText(keyFile)) });

        Assert.True(read.Errors.Count == 0, string.Join(" | ", read.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var shown = Assert.IsType<IExecDataset>(read.Output[0].BaseObject);
        Assert.Equal((owner.Address.ToString(), file["checksum"]!.GetValue<string>(), host.Url + "data.json.enc"), (shown.Owner, shown.Checksum, shown.Multiaddr));
        var order = Assert.IsType<IExecOrder>(read.Output[1].BaseObject);
        Assert.Equal((owner.Address.ToString(), app), (order.Signer, order.AppRestrict));
        var encrypted = Assert.IsType<IExecTaskResult>(read.Output[2].BaseObject);
        Assert.True(encrypted.IsEncrypted);
        Assert.Equal(["aes-key.rsa", "iexec_out.zip.aes"], SecretsHarness.Entries(encrypted.Path));
        var plain = Assert.IsType<IExecTaskResult>(read.Output[3].BaseObject);
        Assert.True(plain.Decrypted);
        Assert.Equal("{\"x\":3,\"result\":55}", File.ReadAllText(Path.Combine(plain.ExpandedPath!, "result.txt")));
        Assert.Contains(host.Requests, r => r.Path == "/data.json.enc");
        await Cli(requesterCli, "result", "decrypt", encrypted.Path, "--force");
        Assert.Equal(File.ReadAllBytes(plain.Path), File.ReadAllBytes(Path.Combine(requesterCli, "results.zip")));
    }

    [Fact]
    public async Task ModuleDataset_AndModuleResultKey_RunTeeTdxWithEncryptResult_TheCli9ReadsThemAndOpensTheResult()
    {
        var net = fixture.Environment;
        var owner = net.Accounts[5];
        var requester = net.Accounts[8];
        using var module = new SecretsHarness(net, "iexec-tdx-module-made");
        var app = DeployTdxApp(module, owner);

        // The owner, in the module: Protect-IExecDataset (key in the vault), deployed, key pushed (to the chain's
        // default framework's SMS: tdx on the token devnet), order published for the app.
        Directory.CreateDirectory(Path.Combine(module.Work, "datasets", "original"));
        File.WriteAllText(Path.Combine(module.Work, "datasets", "original", "data.json"), "{\"coefficients\":\"1;1;0;0\",\"x\":\"4\"}");
        var protectedRun = module.Run("Protect-IExecDataset ./datasets/original/data.json -Vault TestVault -VaultSecretName tdx-dataset-key -Confirm:$false");
        var encryptedDataset = Assert.IsType<IExecProtectedDataset>(Assert.Single(protectedRun.Output).BaseObject);
        var bytes = File.ReadAllBytes(encryptedDataset.Path);
        using var host = new RawHttpServer { Respond = r => r.Path == "/data.json.enc" ? Served(bytes) : RawHttpServer.Answer(404, "Not Found", "") };
        var published = module.Run(
            "$ds = $p | Deploy-IExecDataset -Name $n -Multiaddr $u -Confirm:$false; $ds; Push-IExecDatasetSecret $ds.Address -Vault TestVault -VaultSecretName tdx-dataset-key -Confirm:$false; "
            + "$ds | Publish-IExecDatasetOrder -Tag tee,tdx -AppRestrict $app -Volume 10 -Confirm:$false",
            new() { ["p"] = encryptedDataset, ["n"] = "tdx-module-dataset-" + Guid.NewGuid().ToString("N")[..8], ["u"] = host.Url + "data.json.enc", ["app"] = app });
        Assert.True(published.Errors.Count == 0, string.Join(" | ", published.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var dataset = Assert.IsType<IExecDataset>(published.Output[0].BaseObject);
        var pushed = Assert.IsType<IExecSecretPushResult>(published.Output[1].BaseObject);
        Assert.Equal(net.TdxSmsUrl.ToString().TrimEnd('/'), pushed.SmsUrl.TrimEnd('/'));
        var datasetKey = (string)module.RunOk("Get-Secret -Vault TestVault -Name tdx-dataset-key -AsPlainText")[0].BaseObject;
        Assert.Equal(datasetKey, Encoding.UTF8.GetString((await net.TdxSms.GetWeb3SecretAsync(EthAddress.Parse(dataset.Address)))!));

        // The 9.0.1 CLI reads the dataset and sees its key on the SMS of chain.v9.json (the TDX one).
        using var ownerKey = WalletKey.FromHex(owner.PrivateKeyHex);
        var ownerCli = SecretsHarness.CliFolder(net, ownerKey, "iexec9-tdx-reader", v9: true);
        var cliDataset = JsonNode.Parse((await Cli(ownerCli, "dataset", "show", dataset.Address)).StdOut)!["dataset"]!;
        Assert.Equal(encryptedDataset.Checksum, cliDataset["datasetChecksum"]!.GetValue<string>());
        Assert.Equal(owner.Address.ToString(), cliDataset["owner"]!.GetValue<string>(), ignoreCase: true);
        Assert.True(JsonNode.Parse((await Cli(ownerCli, "dataset", "check-secret", dataset.Address)).StdOut)!["isSecretSet"]!.GetValue<bool>());

        // The requester, in the module: a key pair (private key in the vault, public key pushed), which the CLI sees; a
        // tee,tdx run on the dataset with -EncryptResult; the archive saved as is, opened by -Decrypt and by the CLI.
        module.Connect(requester);
        var made = module.Run("New-IExecResultEncryptionKey -Vault TestVault -VaultSecretName tdx-result-key -Push -Confirm:$false");
        Assert.True(made.Errors.Count == 0, string.Join(" | ", made.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.Equal(net.TdxSmsUrl.ToString().TrimEnd('/'), Assert.IsType<IExecResultEncryptionKey>(Assert.Single(made.Output).BaseObject).SmsUrl!.TrimEnd('/'));
        using var requesterKey = WalletKey.FromHex(requester.PrivateKeyHex);
        var requesterCli = SecretsHarness.CliFolder(net, requesterKey, "iexec9-tdx-decrypt", v9: true);
        Assert.True(JsonNode.Parse((await Cli(requesterCli, "result", "check-encryption-key", requester.Address.ToString())).StdOut)!["isEncryptionKeySet"]!.GetValue<bool>());
        var run = module.Run(
            "$r = Invoke-IExecApp -App $app -Dataset $d -Tag tee,tdx -EncryptResult -Watch -PollIntervalSeconds 0.2 -Force; $r | Save-IExecTaskResult -Path ./encrypted; "
            + "$r | Save-IExecTaskResult -Path ./plain -Decrypt -Vault TestVault -VaultSecretName tdx-result-key -Expand",
            new() { ["app"] = app, ["d"] = dataset.Address });

        Assert.True(run.Errors.Count == 0, string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var encrypted = Assert.IsType<IExecTaskResult>(run.Output[0].BaseObject);
        Assert.True(encrypted.IsEncrypted);
        Assert.Equal(["aes-key.rsa", "iexec_out.zip.aes"], SecretsHarness.Entries(encrypted.Path));
        Assert.Equal(-1, File.ReadAllBytes(encrypted.Path).AsSpan().IndexOf("\"result\""u8));
        var plain = Assert.IsType<IExecTaskResult>(run.Output[1].BaseObject);
        Assert.Equal("{\"x\":4,\"result\":80}", File.ReadAllText(Path.Combine(plain.ExpandedPath!, "result.txt")));
        var pem = (string)module.RunOk("Get-Secret -Vault TestVault -Name tdx-result-key -AsPlainText")[0].BaseObject;
        Directory.CreateDirectory(Path.Combine(requesterCli, ".secrets", "beneficiary"));
        File.WriteAllText(Path.Combine(requesterCli, ".secrets", "beneficiary", requester.Address + "_key"), pem);
        await Cli(requesterCli, "result", "decrypt", encrypted.Path, "--force");
        Assert.Equal(File.ReadAllBytes(plain.Path), File.ReadAllBytes(Path.Combine(requesterCli, "results.zip")));
        // The dataset's key and the result's private key reached no stream of the module.
        var streams = string.Join("\n", new[] { protectedRun, published, made, run }.SelectMany(r => r.Verbose.Concat(r.Warnings).Concat(r.Output.Select(o => o.ToString() ?? ""))));
        Assert.DoesNotContain(datasetKey, streams);
        Assert.DoesNotContain(pem.Split('\n')[3], streams);
    }

    /// <summary>The tutorial app as a TDX app (checksum, no mrenclave) deployed in the module by <paramref name="owner"/>, its coefficients pushed, its tee,tdx order published.</summary>
    private static string DeployTdxApp(SecretsHarness module, DevNetAccount owner)
    {
        module.Connect(owner);
        var checksum = "0x" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(AppScript))).ToLowerInvariant();
        var deployed = module.RunOk(
            "$a = Deploy-IExecApp -Name $n -Multiaddr $m -Checksum $c -Confirm:$false; Push-IExecAppSecret -App $a.Address -Value $v -Confirm:$false | Out-Null; "
            + "Publish-IExecAppOrder -App $a.Address -Tag tee,tdx -Volume 10 -Confirm:$false | Out-Null; $a",
            new() { ["n"] = "tdx-secrets-" + Guid.NewGuid().ToString("N")[..8], ["m"] = new Uri(AppScript).AbsoluteUri, ["c"] = checksum, ["v"] = HostedModule.Secure("9;9;9;9") });
        return Assert.IsType<IExecApp>(deployed[^1].BaseObject).Address;
    }

    private static byte[] Served(byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. body];
    }

    private async Task<CliResult> Cli(string work, params string[] arguments)
    {
        var result = await IExecCli.RunV9Async(work, arguments);
        output.WriteLine($"iexec9 {string.Join(' ', arguments.Take(2))}: exit {result.ExitCode} {result.StdOut.Trim()}");
        Assert.True(result.ExitCode == 0, $"iexec9 {string.Join(' ', arguments.Take(2))}: exit {result.ExitCode}: {result.StdErr}{result.StdOut}");
        return result;
    }
}
