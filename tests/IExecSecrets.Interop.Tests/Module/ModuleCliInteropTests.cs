using System.Management.Automation;

namespace IExecSecrets.Interop.Tests.Module;

/// <summary>
/// The module's cmdlets and the official iexec 8.24.0 CLI side by side on the devnet: one dev SMS, one chain, one
/// <c>chain.json</c> in the current directory that both resolve the same way (no SMS URL is passed to either).
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class ModuleCliInteropTests(DevNetFixture fixture)
{
    private const string MrEnclave =
        """{"framework":"SCONE","version":"v5.9","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"5e1b8d1f06a3ad0e4ca2b14f6e1c5b4d8f0bc7d1a9e2f3c4b5a69788796a5b4c"}""";

    [Fact]
    public async Task RequesterSecrets_PushedByCliOrModule_AreSeenByTheOther_AndASecondPushIsRefusedOnBothSides()
    {
        var work = NewProject(out var key);
        try
        {
            using var module = Connect(work, key);
            var fromCli = "cli" + Guid.NewGuid().ToString("N")[..8];
            var fromModule = "mod" + Guid.NewGuid().ToString("N")[..8];

            var cliPush = await IExecCli.RunAsync(work, "requester", "push-secret", fromCli, "--secret-value", "throwaway-1");
            var moduleSees = module.Run("Test-IExecRequesterSecret -Name $n", new Dictionary<string, object?> { ["n"] = fromCli });
            var modulePush = module.Run("Push-IExecRequesterSecret -Name $n -Value $v -Confirm:$false",
                new Dictionary<string, object?> { ["n"] = fromModule, ["v"] = ModuleHost.Secure("throwaway-2") });
            var cliSees = await IExecCli.RunAsync(work, "requester", "check-secret", fromModule);
            var cliSecondPush = await IExecCli.RunAsync(work, "requester", "push-secret", fromModule, "--secret-value", "other");
            var moduleSecondPush = module.Run("Push-IExecRequesterSecret -Name $n -Value $v -Confirm:$false",
                new Dictionary<string, object?> { ["n"] = fromCli, ["v"] = ModuleHost.Secure("other") });

            Assert.True(cliPush.ExitCode == 0, cliPush.StdErr);
            Assert.Empty(moduleSees.AllErrors);
            Assert.True((bool)Property(moduleSees.Output.Single(), "IsSet")!);
            Assert.Empty(modulePush.AllErrors);
            Assert.True((bool)Property(modulePush.Output.Single(), "IsPushed")!);
            Assert.Equal($$"""{"ok":true,"isSet":true,"name":"{{fromModule}}"}""", cliSees.StdOut.Trim());
            Assert.Equal(1, cliSecondPush.ExitCode);
            Assert.Equal($"Secret \"{fromModule}\" already exists for {key.Address}",
                JsonNode.Parse(cliSecondPush.StdErr.Trim())!["error"]!["message"]!.GetValue<string>());
            var refused = Assert.Single(moduleSecondPush.AllErrors);
            Assert.StartsWith("SecretAlreadyExists,", refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, refused.CategoryInfo.Category);
        }
        finally
        {
            key.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task AppSecret_PushedByTheOwnerThroughTheModule_IsSeenByTheCli_AndANonOwnerIsRefused()
    {
        var work = NewProject(out var owner);
        using var stranger = WalletKey.Generate();
        try
        {
            using var module = Connect(work, owner);
            var name = "interop-app-" + Guid.NewGuid().ToString("N")[..8];
            var deployed = module.Run(
                "Deploy-IExecApp -Name $n -Multiaddr 'docker.io/iexecsecrets/poly:1.0.0' -Checksum ('0x' + 'ab' * 32) -MrEnclave $m -Confirm:$false",
                new Dictionary<string, object?> { ["n"] = name, ["m"] = MrEnclave });
            Assert.Empty(deployed.AllErrors);
            var app = (string)Property(deployed.Output.Single(), "Address")!.ToString()!;

            // A stranger first, while the app has no secret: the push reaches the SMS, which refuses the non-owner.
            using var strangerModule = Connect(work, stranger);
            var strangerPush = strangerModule.Run("Push-IExecAppSecret -App $a -Value $v -Confirm:$false",
                new Dictionary<string, object?> { ["a"] = app, ["v"] = ModuleHost.Secure("9;9;9;9") });
            var push = module.Run("Push-IExecAppSecret -App $a -Value $v -Confirm:$false",
                new Dictionary<string, object?> { ["a"] = app, ["v"] = ModuleHost.Secure("1;2;3;4") });
            var cliCheck = await IExecCli.RunAsync(work, "app", "check-secret", app);
            var cliShow = await IExecCli.RunAsync(work, "app", "show", app);
            // Once it exists, the existence check before any write stops a second push (anyone's) before the POST.
            var strangerAgain = strangerModule.Run("Push-IExecAppSecret -App $a -Value $v -Confirm:$false",
                new Dictionary<string, object?> { ["a"] = app, ["v"] = ModuleHost.Secure("9;9;9;9") });

            Assert.Empty(push.AllErrors);
            Assert.True((bool)Property(push.Output.Single(), "IsPushed")!);
            Assert.Equal("""{"ok":true,"isSecretSet":true}""", cliCheck.StdOut.Trim());
            Assert.True(cliShow.ExitCode == 0, cliShow.StdErr);
            var shown = JsonNode.Parse(cliShow.StdOut)!["app"]!;
            Assert.Equal(MrEnclave, shown["appMREnclave"]!.GetValue<string>());
            Assert.Equal(owner.Address.ToString(), shown["owner"]!.GetValue<string>());
            var refused = Assert.Single(strangerPush.AllErrors);
            Assert.StartsWith("SmsNotAuthorized,", refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, refused.CategoryInfo.Category);
            Assert.Equal($"Wallet {stranger.Address} is not allowed to set secret for {EthAddress.Parse(app)}", refused.Exception.Message);
            Assert.StartsWith("SecretAlreadyExists,", Assert.Single(strangerAgain.AllErrors).FullyQualifiedErrorId);
            Assert.Equal("1;2;3;4"u8.ToArray(), await fixture.Environment.Sms.GetAppSecretAsync(EthAddress.Parse(app)));
        }
        finally
        {
            owner.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    // A project folder holding the devnet's chain.json (default chain "devnet") and, for the CLI, the same fresh key
    // as an unencrypted wallet.json. Gas is free on the devnet, so a fresh key can deploy.
    private string NewProject(out WalletKey key)
    {
        var work = Directory.CreateTempSubdirectory("iexec-module-cli-").FullName;
        File.Copy(fixture.Environment.ChainJsonPath, Path.Combine(work, "chain.json"));
        key = WalletKey.Generate();
        File.WriteAllText(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
        return work;
    }

    private static ModuleHost Connect(string work, WalletKey key)
    {
        var module = new ModuleHost(location: work);
        var buffer = new byte[32];
        key.CopyPrivateKeyTo(buffer);
        var connected = module.Run("Connect-IExecWallet -PrivateKey $k", new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(Hex.Encode(buffer)) });
        Array.Clear(buffer);
        Assert.Empty(connected.AllErrors);
        return module;
    }

    private static object? Property(PSObject item, string name) => item.Properties[name]?.Value;
}
