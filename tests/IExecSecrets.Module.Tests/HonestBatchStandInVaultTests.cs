namespace IExecSecrets.Module.Tests;

/// <summary>
/// Batches tell the truth: under -ErrorAction Stop every secret stored on the SMS is in the output, and the vault's
/// raw errors (missing vault, locked store, NoClobber) become one error of this module per item instead of aborting the
/// batch. The vault here is the SecretManagement stand-in (tests/SecretManagementStandIn), whose errors are modelled on
/// the real SecretManagement and SecretStore modules: these tests prove the module's handling of those errors, not the
/// real modules' behaviour.
/// </summary>
public sealed class HonestBatchStandInVaultTests
{
    private static readonly EthAddress TestAddress = Address();

    private static EthAddress Address()
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        return key.Address;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(11)]
    public async Task PipedBatch_ErrorActionStop_EveryStoredSecretIsInTheOutput(int existingIndex)
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var names = Enumerable.Range(0, 24).Select(i => $"batch-{i:00}").ToArray();
        host.Run($"Push-IExecRequesterSecret {names[existingIndex]} -Value $v -SmsUrl $sms", SecretCmdletTests.Variables(sms)).ThrowIfFailed();

        var variables = SecretCmdletTests.Variables(sms);
        variables["names"] = names;
        var result = host.Run("$names | Push-IExecRequesterSecret -Value $v -SmsUrl $sms -ErrorAction Stop", variables);

        // The run stops at the existing secret; what it stored before stopping is exactly what it reported.
        Assert.NotNull(result.Terminating);
        Assert.StartsWith("SecretAlreadyExists,", result.AllErrors.First().FullyQualifiedErrorId);
        var reported = result.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).OrderBy(n => n).ToArray();
        var stored = new List<string>();
        foreach (var name in names.Where((_, i) => i != existingIndex))
        {
            if (await sms.Server.GetRequesterSecretAsync(TestAddress, name) is not null)
            {
                stored.Add(name);
            }
        }

        Assert.Equal(stored.OrderBy(n => n).ToArray(), reported);
    }

    [Theory]
    [InlineData("$names | Push-IExecRequesterSecret -Value $v -SmsUrl $sms -ErrorAction Stop")]
    [InlineData("$ErrorActionPreference = 'Stop'; $names | Push-IExecRequesterSecret -Value $v -SmsUrl $sms")]
    public async Task PipedBatch_ErrorActionStop_InvalidNameStopsAfterReportingWhatWasStored(string script)
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var variables = SecretCmdletTests.Variables(sms);
        variables["names"] = new[] { "ok-1", "ok-2", "ok-3", "bad name", "ok-4" };

        var result = host.Run(script, variables);

        Assert.StartsWith("InvalidSecretName,", result.AllErrors.First().FullyQualifiedErrorId);
        Assert.Equal(new[] { "ok-1", "ok-2", "ok-3" }, result.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).OrderBy(n => n));
        Assert.Null(await sms.Server.GetRequesterSecretAsync(TestAddress, "ok-4"));
    }

    [Fact]
    public async Task PipedBatch_MissingVaultAndLockedVault_PushesTheOthersAndReportsTwoErrors()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run(
            "Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name a -Secret 'one' -Vault V; Set-Secret -Name b -Secret 'two' -Vault V; "
            + "Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Locked -VaultParameters @{ Password = $pw }",
            new Dictionary<string, object?> { ["pw"] = ModuleHost.Secure("store-password") }).ThrowIfFailed();
        var items = "@([pscustomobject]@{Name='a';VaultName='V'}, [pscustomobject]@{Name='c';VaultName='NoSuchVault'}, [pscustomobject]@{Name='d';VaultName='Locked'}, [pscustomobject]@{Name='b';VaultName='V'})";

        var result = host.Run(items + " | Push-IExecRequesterSecret -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "a", "b" }, result.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).OrderBy(n => n));
        Assert.Equal(2, result.Errors.Count);
        var missing = result.Errors.Single(e => (string)e.TargetObject == "c");
        var locked = result.Errors.Single(e => (string)e.TargetObject == "d");
        Assert.Equal("VaultNotFound,IExecSecrets.Commands.PushIExecRequesterSecretCommand", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Equal("VaultLocked,IExecSecrets.Commands.PushIExecRequesterSecretCommand", locked.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, locked.CategoryInfo.Category);
        Assert.Contains("Unlock-SecretVault -Name Locked", locked.ErrorDetails.RecommendedAction);
        Assert.Null(await sms.Server.GetRequesterSecretAsync(TestAddress, "c"));
        Assert.Null(await sms.Server.GetRequesterSecretAsync(TestAddress, "d"));
    }

    [Fact]
    public async Task AppSecretAndConnect_FromLockedStore_FailVaultLockedBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Store -VaultParameters @{ Password = $pw; LockedBehaviour = 'Terminating' }",
            new Dictionary<string, object?> { ["pw"] = ModuleHost.Secure("store-password") }).ThrowIfFailed();

        var result = host.Run("Push-IExecAppSecret -App 0x0123456789abcdef0123456789abcdef01234567 -VaultSecretName k -Vault Store -SmsUrl $sms; "
            + "Connect-IExecWallet -Vault Store -VaultSecretName wallet", SecretCmdletTests.Variables(sms));

        Assert.Equal(
            new[] { "VaultLocked,IExecSecrets.Commands.PushIExecAppSecretCommand", "VaultLocked,IExecSecrets.Commands.ConnectIExecWalletCommand" },
            result.AllErrors.Select(e => e.FullyQualifiedErrorId));
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public void NewWallet_ExistingName_MissingVault_LockedVault_GiveTheModulesIds()
    {
        using var host = new ModuleHost();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name taken -Secret 'x' -Vault V; "
            + "Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Locked -VaultParameters @{ Password = $pw }",
            new Dictionary<string, object?> { ["pw"] = ModuleHost.Secure("store-password") }).ThrowIfFailed();

        var taken = host.Run("New-IExecWallet -Vault V -VaultSecretName taken");
        var missing = host.Run("New-IExecWallet -Vault NoSuch -SecretName w");
        var locked = host.Run("New-IExecWallet -Vault Locked -VaultSecretName w");
        var after = host.Run("Get-Secret -Name taken -Vault V -AsPlainText").ThrowIfFailed();

        Assert.Equal("WalletAlreadyExists,IExecSecrets.Commands.NewIExecWalletCommand", taken.SingleError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, taken.SingleError().CategoryInfo.Category);
        Assert.Equal("VaultNotFound,IExecSecrets.Commands.NewIExecWalletCommand", missing.SingleError().FullyQualifiedErrorId);
        Assert.Equal("VaultLocked,IExecSecrets.Commands.NewIExecWalletCommand", locked.SingleError().FullyQualifiedErrorId);
        Assert.Contains("Unlock-SecretVault -Name Locked", locked.SingleError().ErrorDetails.RecommendedAction);
        Assert.Equal("x", Assert.Single(after.Output).BaseObject);
    }

    [Fact]
    public async Task Push_EmptyValue_FailsEmptySecretValueBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var host = new PromptingHost(() => new System.Security.SecureString());
        using var module = new ModuleHost(psHost: host);
        module.ConnectTestWallet();
        // Typed at the prompt before any vault is registered: a registered default vault would stand in for -Vault.
        var typed = module.Run("Push-IExecRequesterSecret x1 -SmsUrl $sms", SecretCmdletTests.Variables(sms));
        module.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name e -Secret ([byte[]]@()) -Vault V").ThrowIfFailed();
        var given = module.Run("Push-IExecRequesterSecret x1 -Value ([securestring]::new()) -SmsUrl $sms", SecretCmdletTests.Variables(sms));
        var vault = module.Run("Push-IExecRequesterSecret x1 -Vault V -VaultSecretName e -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        foreach (var result in new[] { typed, given, vault })
        {
            var error = result.SingleError();
            Assert.Equal("EmptySecretValue,IExecSecrets.Commands.PushIExecRequesterSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("x1", error.TargetObject);
        }

        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task PipedBatch_StoppedWhileUpstreamWaits_EveryStoredSecretIsInTheOutputOrNamedOnTheHost()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var promptingHost = new PromptingHost(answer: null);
        using var host = new ModuleHost(psHost: promptingHost);
        host.ConnectTestWallet();
        using var powershell = PowerShell.Create();
        powershell.Runspace = host.Runspace;
        // Two names, then an upstream that keeps the pipeline busy (a loop Ctrl+C can stop) while their pushes end.
        powershell.AddScript("& { 'stop-a'; 'stop-b'; foreach ($i in 1..2000000000) { } } | Push-IExecRequesterSecret -Value $v -SmsUrl $sms");
        host.Runspace.SessionStateProxy.SetVariable("v", ModuleHost.Secure("value"));
        host.Runspace.SessionStateProxy.SetVariable("sms", sms.Url);
        var output = new PSDataCollection<PSObject>();
        var invocation = powershell.BeginInvoke(new PSDataCollection<PSObject>(), output);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await sms.Server.GetRequesterSecretAsync(TestAddress, "stop-a") is null || await sms.Server.GetRequesterSecretAsync(TestAddress, "stop-b") is null))
        {
            await Task.Delay(50);
        }

        // Stopped as soon as both are stored: what is claimed holds at any moment of the stop, no delay needed.
        await Task.Factory.FromAsync(powershell.BeginStop(null, null), powershell.EndStop).WaitAsync(TimeSpan.FromSeconds(30));
        _ = invocation;

        Assert.Equal(PSInvocationState.Stopped, powershell.InvocationStateInfo.State);
        var written = output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).ToHashSet();
        // "stop-b" was stored after its record was processed and the upstream never sent another item: without the
        // host warning it would be stored and reported nowhere.
        foreach (var name in new[] { "stop-a", "stop-b" })
        {
            Assert.True(written.Contains(name) || promptingHost.Written.Contains(name, StringComparison.Ordinal), $"{name} was stored but neither written nor named; host: {promptingHost.Written}");
        }

        Assert.Contains("Stopped:", promptingHost.Written);
    }
}
