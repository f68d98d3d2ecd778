using System.IO.Compression;
using IExecSecrets.Core.Results;
using IExecSecrets.Core.Secrets;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// Encrypted results end to end on the devnet, the official iexec CLI 8.24.0 as the oracle: a key pair made by
/// New-IExecResultEncryptionKey (private key in the vault, public key pushed), a run with Invoke-IExecApp -EncryptResult
/// whose saved archive holds no clear result, Save-IExecTaskResult -Decrypt giving the right f(x), <c>iexec result
/// decrypt</c> opening the same archive with the key exported from the vault, and the module opening a result encrypted
/// for a key pair made and pushed by <c>iexec result generate-encryption-keypair</c> / <c>push-encryption-key</c>; the
/// preflight refusing a run whose beneficiary has no key; a gateway serving a changed archive.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class EncryptedResultInteropTests(DevNetFixture fixture)
{
    [Fact]
    public async Task ModuleKey_EncryptedRun_ArchiveHoldsNoClearResult_ModuleAndCliDecryptIt()
    {
        var net = fixture.Environment;
        var developer = net.Accounts[1];
        var requester = net.Accounts[7];
        using var harness = new SecretsHarness(net, "iexec-enc-module");
        var app = await harness.DeployAppAsync(developer, "2;0;0;1");
        harness.Connect(developer);
        harness.RunOk("Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 10 -Confirm:$false | Out-Null", new() { ["app"] = app.ToString() });
        harness.Connect(requester);

        var made = harness.Run("New-IExecResultEncryptionKey -Vault TestVault -VaultSecretName result-key -Push -Confirm:$false -Verbose");
        var run = harness.Run("Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{1=$x} -EncryptResult -Watch -PollIntervalSeconds 0.2 -Force | Save-IExecTaskResult -Path ./encrypted -Expand",
            new() { ["app"] = app.ToString(), ["x"] = HostedModule.Secure("5") });

        Assert.Empty(made.Errors);
        var key = Assert.IsType<IExecResultEncryptionKey>(Assert.Single(made.Output).BaseObject);
        Assert.True(key.IsPushed);
        Assert.Equal(requester.Address.ToString(), key.Owner);
        Assert.Equal(4096, key.KeySize);
        Assert.Equal(ResultEncryption.ToSmsValue(key.PublicKey), Encoding.UTF8.GetString((await net.Sms.GetWeb2SecretAsync(requester.Address, SecretRules.ResultEncryptionPublicKeyName))!));
        Assert.True(run.Errors.Count == 0, string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var saved = Assert.IsType<IExecTaskResult>(Assert.Single(run.Output).BaseObject);
        Assert.True(saved.IsEncrypted);
        Assert.False(saved.Decrypted);
        Assert.Null(saved.ExpandedPath);
        Assert.Contains(run.Warnings, w => w.Contains("is encrypted for its beneficiary", StringComparison.Ordinal));
        // The saved archive holds no clear result: only the two entries of iExec's encrypted form, none of the result's text.
        Assert.Equal(["aes-key.rsa", "iexec_out.zip.aes"], SecretsHarness.Entries(saved.Path));
        Assert.Equal(-1, File.ReadAllBytes(saved.Path).AsSpan().IndexOf("\"result\""u8));
        Assert.False(Directory.Exists(Path.Combine(harness.Work, "encrypted", saved.TaskId)));
        // What the worker published is that archive, and nothing else of the task (the plain output is gone).
        var report = net.Worker.GetReport(saved.TaskId)!;
        Assert.Equal(File.ReadAllBytes(saved.Path), await net.Ipfs.TryGetAsync(report.ResultLocation!.Split('/')[^1]));

        // The module opens it with the private key streamed from the vault.
        var decrypted = harness.Run("Save-IExecTaskResult $t -Path ./plain -Decrypt -Vault TestVault -VaultSecretName result-key -Expand", new() { ["t"] = saved.TaskId });
        Assert.Empty(decrypted.Errors);
        var plain = Assert.IsType<IExecTaskResult>(Assert.Single(decrypted.Output).BaseObject);
        Assert.True(plain.IsEncrypted);
        Assert.True(plain.Decrypted);
        Assert.Equal("{\"x\":5,\"result\":251}", File.ReadAllText(Path.Combine(plain.ExpandedPath!, "result.txt")));
        Assert.Contains("result.txt", SecretsHarness.Entries(plain.Path));

        // The official CLI opens the same archive with the key exported from the vault.
        using var wallet = WalletKey.FromHex(requester.PrivateKeyHex);
        var cli = SecretsHarness.CliFolder(net, wallet, "iexec-cli-decrypt");
        var pem = (string)harness.RunOk("Get-Secret -Vault TestVault -Name result-key -AsPlainText")[0].BaseObject;
        Directory.CreateDirectory(Path.Combine(cli, ".secrets", "beneficiary"));
        File.WriteAllText(Path.Combine(cli, ".secrets", "beneficiary", requester.Address + "_key"), pem);
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "result", "decrypt", saved.Path, "--force"), "iexec result decrypt");
        var cliPlain = Path.Combine(cli, "results.zip");
        Assert.Equal(File.ReadAllBytes(plain.Path), File.ReadAllBytes(cliPlain));
        using (var archive = ZipFile.OpenRead(cliPlain))
        using (var reader = new StreamReader(archive.GetEntry("result.txt")!.Open()))
        {
            Assert.Equal("{\"x\":5,\"result\":251}", reader.ReadToEnd());
        }

        // Nothing of the private key anywhere but the vault: not in a stream, not in the project folder.
        var keyLine = Encoding.ASCII.GetBytes(pem.Split('\n')[5]);
        Assert.Empty(SecretsHarness.FilesContaining(harness.Work, keyLine));
        var streams = string.Join("\n", made.Verbose.Concat(made.Warnings).Concat(run.Verbose).Concat(run.Warnings).Concat(decrypted.Verbose).Concat(decrypted.Warnings)
            .Concat(made.Output.Select(o => o.ToString())));
        Assert.DoesNotContain(pem.Split('\n')[5], streams);
    }

    [Fact]
    public async Task CliKey_GeneratedAndPushedByIExec_ModuleDecryptsTheResultEncryptedForIt()
    {
        var net = fixture.Environment;
        var requester = net.Accounts[5];
        using var beneficiary = WalletKey.Generate();
        using var harness = new SecretsHarness(net, "iexec-enc-cli");
        var app = await harness.DeployAppAsync(requester, "1;0;0;0");
        var cli = SecretsHarness.CliFolder(net, beneficiary, "iexec-cli-keys");
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "result", "generate-encryption-keypair"), "iexec result generate-encryption-keypair");
        SecretsHarness.Ok(await IExecCli.RunAsync(cli, "result", "push-encryption-key"), "iexec result push-encryption-key");
        harness.Connect(requester);

        // The requester runs for a beneficiary whose key pair the CLI made; the module opens the result with that key.
        var run = harness.Run("Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{1=$x} -Beneficiary $b -EncryptResult -Watch -PollIntervalSeconds 0.2 -Force | "
            + "Save-IExecTaskResult -Path ./out -Decrypt -DecryptionKey $key -Expand",
            new()
            {
                ["app"] = app.ToString(),
                ["b"] = beneficiary.Address.ToString(),
                ["x"] = HostedModule.Secure("7"),
                ["key"] = HostedModule.Secure(File.ReadAllText(Path.Combine(cli, ".secrets", "beneficiary", beneficiary.Address + "_key"))),
            });

        Assert.True(run.Errors.Count == 0, string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var saved = Assert.IsType<IExecTaskResult>(Assert.Single(run.Output).BaseObject);
        Assert.True(saved.Decrypted);
        Assert.Equal("{\"x\":7,\"result\":343}", File.ReadAllText(Path.Combine(saved.ExpandedPath!, "result.txt")));
    }

    [Fact]
    public async Task EncryptResult_BeneficiaryWithoutKey_PreflightSaysHowToPushIt_AndNothingIsSent()
    {
        var net = fixture.Environment;
        var requester = net.Accounts[6];
        using var harness = new SecretsHarness(net, "iexec-enc-nokey");
        var app = await harness.DeployAppAsync(requester, null);
        using var stranger = WalletKey.Generate();
        harness.Connect(requester);
        var nonce = await net.Rpc.GetTransactionCountAsync(requester.Address);

        var run = harness.Run("Invoke-IExecApp -App $app -Tag tee,scone -Beneficiary $b -EncryptResult -Force", new() { ["app"] = app.ToString(), ["b"] = stranger.Address.ToString() });

        var error = Assert.Single(run.Errors);
        Assert.Equal("ResultEncryptionKeyMissing,IExecSecrets.Commands.InvokeIExecAppCommand", error.FullyQualifiedErrorId);
        Assert.Contains(stranger.Address.ToString(), error.Exception.Message);
        Assert.Contains("New-IExecResultEncryptionKey -Vault <vault> -VaultSecretName <name> -Push", error.ErrorDetails.RecommendedAction);
        Assert.Equal(nonce, await net.Rpc.GetTransactionCountAsync(requester.Address));
    }

    [Fact]
    public async Task GatewayServingAChangedArchive_DecryptFails_ResultDecryptionFailed_AndNothingIsWritten()
    {
        var net = fixture.Environment;
        var requester = net.Accounts[8];
        using var harness = new SecretsHarness(net, "iexec-enc-tamper");
        var app = await harness.DeployAppAsync(requester, "1;1;1;1");
        harness.Connect(requester);
        harness.RunOk("New-IExecResultEncryptionKey -Vault TestVault -VaultSecretName k -Push -Confirm:$false | Out-Null");
        var deal = (IExecDeal)harness.RunOk("Invoke-IExecApp -App $app -Tag tee,scone -EncryptResult -Watch -PollIntervalSeconds 0.2 -Force", new() { ["app"] = app.ToString() })[0].BaseObject;
        var task = deal.Tasks[0];
        var honest = (await net.Ipfs.TryGetAsync(task.ResultLocation!.Split('/')[^1]))!;
        // The same archive with one byte of the encrypted payload flipped, re-zipped so it is still a valid zip.
        var tampered = Tamper(honest);
        using var gateway = new RawHttpServer { Respond = _ => Zip(tampered) };
        var chainJson = File.ReadAllText(Path.Combine(harness.Work, "chain.json")).Replace(net.Ipfs.Url.ToString().TrimEnd('/'), gateway.Url.ToString().TrimEnd('/'), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(harness.Work, "chain.json"), chainJson);

        var run = harness.Run("Save-IExecTaskResult $t -Path ./out -Decrypt -Vault TestVault -VaultSecretName k -Expand", new() { ["t"] = task.TaskId });

        var error = Assert.Single(run.Errors);
        Assert.Equal("ResultDecryptionFailed,IExecSecrets.Commands.SaveIExecTaskResultCommand", error.FullyQualifiedErrorId);
        Assert.Equal(task.TaskId, error.TargetObject);
        Assert.Contains("nothing was written", error.Exception.Message);
        Assert.NotEmpty(gateway.Requests);
        Assert.Empty(Directory.Exists(Path.Combine(harness.Work, "out")) ? Directory.GetFileSystemEntries(Path.Combine(harness.Work, "out")) : []);
    }

    private static byte[] Tamper(byte[] archive)
    {
        byte[] payload, key;
        using (var zip = new ZipArchive(new MemoryStream(archive)))
        {
            payload = Read(zip.GetEntry(ResultEncryption.PayloadEntryName)!);
            key = Read(zip.GetEntry(ResultEncryption.KeyEntryName)!);
        }
        payload[payload.Length / 2] ^= 0x04;
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry(ResultEncryption.PayloadEntryName).Open()) s.Write(payload);
            using (var s = zip.CreateEntry(ResultEncryption.KeyEntryName).Open()) s.Write(key);
        }
        return output.ToArray();
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Zip(byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. body];
    }
}
