namespace IExecSecrets.Module.Tests;

/// <summary>
/// Issue 13 item 2, keys stay keys: with the wallet connected from a vault, piping the whole vault into
/// Push-IExecRequesterSecret must not send the wallet's key (neither its own vault secret nor a copy under another
/// name), must go on with the rest of the batch, and must never print the key; SecretManagement metadata
/// (iexec.kind) marks which vault secrets are iExec secrets.
/// </summary>
public sealed class KeysStayKeysTests
{
    [Fact]
    public async Task PushWholeVault_TheWalletsKeySecretAndACopyOfTheKey_AreRefusedAndTheRestIsPushed()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        var raw = new byte[32];
        key.CopyPrivateKeyTo(raw);
        host.Run(
            "Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name iexec-wallet -Secret $hex -Vault V; "
            + "Set-Secret -Name key-copy -Secret $raw -Vault V; Set-Secret -Name key-upper -Secret (' ' + $hex.Substring(2).ToUpperInvariant() + ' ') -Vault V; "
            + "Set-Secret -Name x1 -Secret 'one' -Vault V; Set-Secret -Name x2 -Secret 'two' -Vault V; "
            + "Connect-IExecWallet -Vault V -VaultSecretName iexec-wallet | Out-Null",
            new Dictionary<string, object?> { ["hex"] = ModuleHost.TestPrivateKey, ["raw"] = raw }).ThrowIfFailed();

        var result = host.Run("Get-SecretInfo -Vault V | Push-IExecRequesterSecret -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        var refused = result.Errors.OrderBy(e => e.TargetObject?.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(["iexec-wallet", "key-copy", "key-upper"], refused.Select(e => e.TargetObject?.ToString()));
        Assert.All(refused, e =>
        {
            Assert.Equal("WalletKeyPushRefused,IExecSecrets.Commands.PushIExecRequesterSecretCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, e.CategoryInfo.Category);
        });
        Assert.Equal(["x1", "x2"], result.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).Order(StringComparer.Ordinal));
        foreach (var name in new[] { "iexec-wallet", "key-copy", "key-upper" })
        {
            Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, name));
        }
        Assert.Equal("one", System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(key.Address, "x1"))!));
        // Canary: the key appears in no stream, message or recommended action.
        var everything = string.Join("\n", result.Errors.Select(e => e + " " + e.ErrorDetails?.RecommendedAction).Concat(result.Verbose).Concat(result.Warning)
            .Concat(result.Output.Select(o => o.ToString())));
        Assert.DoesNotContain(ModuleHost.TestPrivateKey[2..], everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PushPiped_MarkedOnlyPushesOnlyRequesterMarkedSecrets_AndAnotherKindIsRefusedWithoutIt()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run(
            "Register-SecretVault -ModuleName StandIn -Name V; "
            + "Set-Secret -Name x1 -Secret 'one' -Vault V -Metadata @{ 'iexec.kind' = 'requester' }; "
            + "Set-Secret -Name dev -Secret '1;2' -Vault V -Metadata @{ 'iexec.kind' = 'app' }; "
            + "Set-Secret -Name db-password -Secret 'hunter2' -Vault V").ThrowIfFailed();

        var marked = host.Run("Get-SecretInfo -Vault V | Push-IExecRequesterSecret -SmsUrl $sms -MarkedOnly -Verbose", SecretCmdletTests.Variables(sms));
        var unfiltered = host.Run("Get-SecretInfo -Vault V -Name dev | Push-IExecRequesterSecret -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        Assert.Empty(marked.Errors);
        Assert.Equal("x1", ((IExecSecretPushResult)Assert.Single(marked.Output).BaseObject).Name);
        Assert.Contains(marked.Verbose, v => v.Contains("Skipped vault secret 'V/db-password'", StringComparison.Ordinal));
        Assert.Contains(marked.Verbose, v => v.Contains("Skipped vault secret 'V/dev'", StringComparison.Ordinal));
        var error = unfiltered.SingleError();
        Assert.Equal("SecretKindMismatch,IExecSecrets.Commands.PushIExecRequesterSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal("dev", error.TargetObject);
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, "dev"));
        Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, "db-password"));
    }
}
