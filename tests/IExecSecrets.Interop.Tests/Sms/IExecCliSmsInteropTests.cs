namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>
/// The official iexec 8.24.0 CLI and our client share one dev SMS: what one pushes the other sees, and both refuse a
/// second push. The CLI signs with its own code (ethers), so the dev SMS's signature check is exercised by a third party.
/// Each CLI call costs about 2 s, hence one test with four calls.
/// </summary>
public sealed class IExecCliSmsInteropTests
{
    [Fact]
    public async Task RequesterSecrets_PushedByEitherSide_AreSeenByTheOtherAndWriteOnceOnBoth()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri);
        var workDirectory = Directory.CreateTempSubdirectory("iexec-cli-sms-").FullName;
        try
        {
            WriteCliProject(workDirectory, sms.Uri, key);

            // CLI pushes, we see it.
            var cliPush = await IExecCli.RunAsync(workDirectory, "requester", "push-secret", "fromcli", "--secret-value", "cli-value-1");
            var seenByUs = await client.RequesterSecretExistsAsync(key.Address, "fromcli");
            var ourSecondPush = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "fromcli", "x"u8.ToArray()));

            // We push, the CLI sees it and refuses to push it again.
            await client.PushRequesterSecretAsync(key, "fromnet", "net-value-1"u8.ToArray());
            var cliCheck = await IExecCli.RunAsync(workDirectory, "requester", "check-secret", "fromnet");
            var cliCheckAbsent = await IExecCli.RunAsync(workDirectory, "requester", "check-secret", "absent");
            var cliSecondPush = await IExecCli.RunAsync(workDirectory, "requester", "push-secret", "fromnet", "--secret-value", "other");

            Assert.Equal((0, """{"ok":true,"isPushed":true,"name":"fromcli"}"""), (cliPush.ExitCode, cliPush.StdOut.Trim()));
            Assert.Equal("cli-value-1"u8.ToArray(), await sms.Server.GetRequesterSecretAsync(key.Address, "fromcli"));
            Assert.True(seenByUs);
            Assert.Equal(ErrorIds.SecretAlreadyExists, ourSecondPush.ErrorId);
            Assert.Equal((0, """{"ok":true,"isSet":true,"name":"fromnet"}"""), (cliCheck.ExitCode, cliCheck.StdOut.Trim()));
            Assert.Equal((0, """{"ok":true,"isSet":false,"name":"absent"}"""), (cliCheckAbsent.ExitCode, cliCheckAbsent.StdOut.Trim()));
            Assert.Equal(1, cliSecondPush.ExitCode);
            var error = JsonNode.Parse(cliSecondPush.StdErr.Trim())!;
            Assert.False(error["ok"]!.GetValue<bool>());
            Assert.Equal($"Secret \"fromnet\" already exists for {key.Address}", error["error"]!["message"]!.GetValue<string>());
            Assert.Equal("net-value-1"u8.ToArray(), await sms.Server.GetRequesterSecretAsync(key.Address, "fromnet"));
        }
        finally
        {
            // wallet.json holds a throwaway key; remove it with the rest.
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    private static void WriteCliProject(string directory, Uri smsUrl, WalletKey key)
    {
        var chain = new JsonObject
        {
            ["default"] = "dev",
            ["chains"] = new JsonObject
            {
                // The secret commands never call the RPC host; a dead port proves it.
                ["dev"] = new JsonObject
                {
                    ["id"] = "134",
                    ["host"] = "http://127.0.0.1:9",
                    ["sms"] = new JsonObject { ["scone"] = smsUrl.AbsoluteUri.TrimEnd('/') },
                },
            },
        };
        File.WriteAllText(Path.Combine(directory, "chain.json"), chain.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(directory, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
    }
}
