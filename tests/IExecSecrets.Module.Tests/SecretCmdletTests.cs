using IExecSecrets.Core.Sms;

namespace IExecSecrets.Module.Tests;

public sealed class SecretCmdletTests
{
    private static readonly EthAddress TestAddress = Secp256k1Address();

    private static EthAddress Secp256k1Address()
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        return key.Address;
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { "Test-IExecRequesterSecret x1 -Requester 0x1234 -SmsUrl $sms", "InvalidAddress", "TestIExecRequesterSecretCommand" },
        { "Test-IExecRequesterSecret x1 -Requester 0xZZ23456789abcdef0123456789abcdef01234567 -SmsUrl $sms", "InvalidAddress", "TestIExecRequesterSecretCommand" },
        { "Push-IExecDatasetSecret 0x0123456789abcdef0123456789abcdef012345 -Value $v -SmsUrl $sms", "InvalidAddress", "PushIExecDatasetSecretCommand" },
        { "Push-IExecRequesterSecret 'bad name' -Value $v -SmsUrl $sms", "InvalidSecretName", "PushIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret ('x' * 65) -Value $v -SmsUrl $sms", "InvalidSecretName", "PushIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret big -Value $big -SmsUrl $sms", "SecretValueTooLarge", "PushIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret x1 -Value $v -TeeFramework sgx -SmsUrl $sms", "UnknownTeeFramework", "PushIExecRequesterSecretCommand" },
        { "Test-IExecRequesterSecret x1 -TeeFramework foo -SmsUrl $sms", "UnknownTeeFramework", "TestIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret x1 -Value $v -SmsUrl ($sms -replace '127.0.0.1', 'sms.example.com')", "InsecureSmsUrl", "PushIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret x1 -SmsUrl $sms", "MissingSecretValue", "PushIExecRequesterSecretCommand" },
        { "Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms -TimeoutSec 0", "ParameterArgumentValidationError", "PushIExecRequesterSecretCommand" },
        { "Test-IExecAppSecret 0x0123456789abcdef0123456789abcdef01234567 -SmsUrl $sms -TimeoutSec 3601", "ParameterArgumentValidationError", "TestIExecAppSecretCommand" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_FailsWithItsIdBeforeAnyRequest(string script, string errorId, string commandClass)
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();

        var result = host.Run(script, Variables(sms));

        var error = result.SingleError();
        Assert.Equal($"{errorId},IExecSecrets.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Push_WithoutValue_InteractiveHost_PromptsMaskedAndPushesTheTypedValue()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var host = new PromptingHost(() => ModuleHost.Secure("typed-at-the-prompt"));
        using var module = new ModuleHost(psHost: host);
        module.ConnectTestWallet();

        var result = module.Run("Push-IExecRequesterSecret x1 -SmsUrl $sms", Variables(sms)).ThrowIfFailed();

        Assert.True(((IExecSecretPushResult)Assert.Single(result.Output).BaseObject).IsPushed);
        Assert.Equal(1, host.SecurePrompts);
        Assert.StartsWith("Paste your secret", host.Written);
        Assert.Contains("x1", host.Written);
        Assert.Equal("typed-at-the-prompt"u8.ToArray(), await sms.Server.GetRequesterSecretAsync(TestAddress, "x1"));
    }

    [Fact]
    public async Task Push_WithoutValue_NonInteractiveHost_FailsMissingSecretValueBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var host = new PromptingHost(answer: null);
        using var module = new ModuleHost(psHost: host);
        module.ConnectTestWallet();

        var result = module.Run("Push-IExecRequesterSecret x1 -SmsUrl $sms", Variables(sms));

        Assert.Equal("MissingSecretValue,IExecSecrets.Commands.PushIExecRequesterSecretCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(1, host.SecurePrompts);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Push_WithoutWallet_FailsWalletNotConnectedBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();

        var result = host.Run("Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms", Variables(sms));

        Assert.Equal("WalletNotConnected,IExecSecrets.Commands.PushIExecRequesterSecretCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, result.SingleError().CategoryInfo.Category);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Push_WithMalformedChainJson_FailsInvalidChainConfigBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        var project = Directory.CreateTempSubdirectory("iexec-chainjson-").FullName;
        File.WriteAllText(Path.Combine(project, "chain.json"), "{ \"default\": \"dev\", \"chains\": { \"dev\": { \"sms\": ");
        using var host = new ModuleHost(location: project);
        host.ConnectTestWallet();

        var result = host.Run("Push-IExecRequesterSecret x1 -Value $v", Variables(sms));

        Assert.Equal("InvalidChainConfig,IExecSecrets.Commands.PushIExecRequesterSecretCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Push_ThenTest_StoresValueAndReportsIsSet()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();

        var push = host.Run("Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms -Confirm:$false", Variables(sms)).ThrowIfFailed();
        var test = host.Run("Test-IExecRequesterSecret x1 -SmsUrl $sms; Test-IExecRequesterSecret x2 -SmsUrl $sms -Quiet", Variables(sms)).ThrowIfFailed();

        var pushed = Assert.IsType<IExecSecretPushResult>(Assert.Single(push.Output).BaseObject);
        Assert.True(pushed.IsPushed);
        Assert.Equal(TestAddress.ToString(), pushed.Owner);
        Assert.Equal("value-1", System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(TestAddress, "x1"))!));
        Assert.True(Assert.IsType<IExecSecretStatus>(test.Output[0].BaseObject).IsSet);
        Assert.False((bool)test.Output[1].BaseObject);
    }

    [Fact]
    public async Task Push_Twice_SecondFailsSecretAlreadyExistsWithResourceExists_OrIsSkipped()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms", Variables(sms)).ThrowIfFailed();

        var again = host.Run("Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms", Variables(sms));
        var skipped = host.Run("Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms -SkipExisting", Variables(sms)).ThrowIfFailed();

        var error = again.SingleError();
        Assert.Equal("SecretAlreadyExists,IExecSecrets.Commands.PushIExecRequesterSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal("x1", error.TargetObject);
        var result = Assert.IsType<IExecSecretPushResult>(Assert.Single(skipped.Output).BaseObject);
        Assert.False(result.IsPushed);
        Assert.True(result.Skipped);
    }

    // Issue 17: the name said "signs nothing" but only the SMS requests were counted. The session's wallet is now the
    // test key behind a counting signer; the same pushes without -WhatIf then sign, so the count can move.
    [Fact]
    public async Task WhatIf_SignsAndSendsNothing()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        var signer = new CountingSigner(WalletKey.FromHex(ModuleHost.TestPrivateKey));
        var previous = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
        System.Management.Automation.Runspaces.Runspace.DefaultRunspace = host.Runspace; // WalletSession keys wallets by runspace
        try { WalletSession.Connect(new ConnectedWallet(signer, "PrivateKey", null, DateTimeOffset.Now)); }
        finally { System.Management.Automation.Runspaces.Runspace.DefaultRunspace = previous; }
        const string pushes = "Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms{0}; Push-IExecWeb2Secret w -Value $v -SmsUrl $sms{0}";

        var result = host.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, pushes, " -WhatIf"), Variables(sms)).ThrowIfFailed();

        Assert.Empty(result.Output);
        Assert.Equal(0, signer.Count);
        Assert.Equal(0, sms.Server.RequestCount);
        host.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, pushes, ""), Variables(sms)).ThrowIfFailed();
        Assert.True(signer.Count >= 2, $"the pushes signed {signer.Count} times");
        Assert.NotEqual(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Web2_Force_UpdatesExistingValue()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Push-IExecWeb2Secret token -Value $v -SmsUrl $sms", Variables(sms)).ThrowIfFailed();

        var plain = host.Run("Push-IExecWeb2Secret token -Value $v -SmsUrl $sms", Variables(sms));
        var forced = host.Run("Push-IExecWeb2Secret token -Value $v2 -SmsUrl $sms -Force", Variables(sms)).ThrowIfFailed();

        Assert.Equal("SecretAlreadyExists,IExecSecrets.Commands.PushIExecWeb2SecretCommand", plain.SingleError().FullyQualifiedErrorId);
        Assert.True(Assert.IsType<IExecSecretPushResult>(Assert.Single(forced.Output).BaseObject).Updated);
        Assert.Equal("value-2", System.Text.Encoding.UTF8.GetString((await sms.Server.GetWeb2SecretAsync(TestAddress, "token"))!));
    }

    [Fact]
    public async Task GetSecretInfo_PipedToPush_PushesEachVaultSecret()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name x1 -Secret 'one' -Vault V; Set-Secret -Name x2 -Secret 'two' -Vault V; Set-Secret -Name y -Secret 'no' -Vault V").ThrowIfFailed();

        var result = host.Run("Get-SecretInfo -Vault V -Name x* | Push-IExecRequesterSecret -SmsUrl $sms", Variables(sms)).ThrowIfFailed();

        Assert.Equal(new[] { "x1", "x2" }, result.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).OrderBy(n => n));
        Assert.Equal("one", System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(TestAddress, "x1"))!));
        Assert.Equal("two", System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(TestAddress, "x2"))!));
        Assert.Null(await sms.Server.GetRequesterSecretAsync(TestAddress, "y"));
    }

    internal static Dictionary<string, object?> Variables(DevSmsHost sms) => new()
    {
        ["sms"] = sms.Url,
        ["v"] = ModuleHost.Secure("value-1"),
        ["v2"] = ModuleHost.Secure("value-2"),
        ["big"] = ModuleHost.Secure(new string('é', 2049)),
    };
}
