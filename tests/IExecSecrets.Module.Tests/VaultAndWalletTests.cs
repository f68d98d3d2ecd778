using System.Reflection;

namespace IExecSecrets.Module.Tests;

public sealed class VaultAndWalletTests
{
    public static TheoryData<string, string> VaultValues() => new()
    {
        { "Set-Secret -Name s -Vault V -Secret 'text-value'", "text-value" },
        { "Set-Secret -Name s -Vault V -SecureStringSecret $secure", "secure-value" },
        { "Set-Secret -Name s -Vault V -Secret ([byte[]](98, 121, 116, 101, 115))", "bytes" },
        { "Set-Secret -Name s -Vault V -Secret ([pscredential]::new('user', $secure))", "secure-value" },
        { "Set-Secret -Name s -Vault V -Secret @{ Secret = 'from-hashtable' }", "from-hashtable" },
        { "Set-Secret -Name s -Vault V -Secret @{ Value = $secure }", "secure-value" },
    };

    [Theory]
    [MemberData(nameof(VaultValues))]
    public async Task Push_FromVault_SendsEachSecretTypeAsDocumented(string store, string expected)
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; " + store, new Dictionary<string, object?> { ["secure"] = ModuleHost.Secure("secure-value") }).ThrowIfFailed();

        host.Run("Push-IExecRequesterSecret x1 -Vault V -VaultSecretName s -SmsUrl $sms", SecretCmdletTests.Variables(sms)).ThrowIfFailed();

        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(key.Address, "x1"))!));
    }

    [Fact]
    public async Task Push_FromMissingVaultSecret_FailsVaultSecretNotFoundBeforeAnyRequest()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V").ThrowIfFailed();

        var result = host.Run("Push-IExecRequesterSecret x1 -Vault V -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        var error = result.SingleError();
        Assert.Equal("VaultSecretNotFound,IExecSecrets.Commands.PushIExecRequesterSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task Push_FromVaultWithoutSecretManagement_FailsNotInstalledWithInstallHint()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost(withSecretManagement: false);
        host.ConnectTestWallet();

        var result = host.Run("Push-IExecRequesterSecret x1 -Vault V -SmsUrl $sms", SecretCmdletTests.Variables(sms));

        var error = result.SingleError();
        Assert.Equal("SecretManagementNotInstalled,IExecSecrets.Commands.PushIExecRequesterSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotInstalled, error.CategoryInfo.Category);
        Assert.Contains("Install-PSResource Microsoft.PowerShell.SecretManagement", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    public static TheoryData<string> VaultWallets() => new()
    {
        "Set-Secret -Name w -Vault V -SecureStringSecret $key",
        "Set-Secret -Name w -Vault V -Secret ([pscredential]::new('me', $key))",
        "Set-Secret -Name w -Vault V -Secret @{ PrivateKey = $key }",
        "Set-Secret -Name w -Vault V -Secret @{ Keystore = $keystore; Password = 'pw' }",
    };

    [Theory]
    [MemberData(nameof(VaultWallets))]
    public void ConnectWallet_FromVault_AcceptsEachDocumentedShape(string store)
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        var keystore = KeystoreV3.Encrypt(key, "pw"u8, new KeystoreEncryptionOptions { ScryptN = 1024 });
        using var host = new ModuleHost();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; " + store, new Dictionary<string, object?> { ["key"] = ModuleHost.Secure(ModuleHost.TestPrivateKey), ["keystore"] = keystore }).ThrowIfFailed();

        var result = host.Run("Connect-IExecWallet -Vault V -SecretName w").ThrowIfFailed();

        var wallet = Assert.IsType<IExecWallet>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(key.Address.ToString(), wallet.Address);
        Assert.Equal("Vault", wallet.Source);
    }

    [Fact]
    public void ConnectWallet_WrongKeystorePassword_FailsWrongKeystorePassword()
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        var directory = Directory.CreateTempSubdirectory("iexec-keystore-").FullName;
        var path = Path.Combine(directory, $"UTC--2026-11-23T23-09-04.352000000Z--{key.Address.ToString()[2..]}");
        File.WriteAllText(path, KeystoreV3.Encrypt(key, "right"u8, new KeystoreEncryptionOptions { ScryptN = 1024 }));
        using var host = new ModuleHost();

        var wrong = host.Run("Connect-IExecWallet -Path $p -Password $pw", new Dictionary<string, object?> { ["p"] = path, ["pw"] = ModuleHost.Secure("wrong") });
        var right = host.Run("Connect-IExecWallet -Address $a -KeystoreDirectory $d -Password $pw", new Dictionary<string, object?> { ["a"] = key.Address.ToLowerHex(), ["d"] = directory, ["pw"] = ModuleHost.Secure("right") }).ThrowIfFailed();
        var readOnly = host.Run("Get-IExecWallet -Path $p", new Dictionary<string, object?> { ["p"] = path }).ThrowIfFailed();

        Assert.Equal("WrongKeystorePassword,IExecSecrets.Commands.ConnectIExecWalletCommand", wrong.SingleError().FullyQualifiedErrorId);
        Assert.Equal(path, ((IExecWallet)Assert.Single(right.Output).BaseObject).KeystorePath);
        Assert.Equal(key.Address.ToString(), ((IExecWallet)Assert.Single(readOnly.Output).BaseObject).Address);
    }

    [Fact]
    public void DisconnectWallet_ZeroesKeyMaterial()
    {
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var signer = RunInRunspace(host, () => (WalletKey)WalletSession.Current!.Signer);
        var buffer = (byte[])typeof(WalletKey).GetField("_privateKey", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(signer)!;
        Assert.Contains(buffer, b => b != 0);

        host.Run("Disconnect-IExecWallet").ThrowIfFailed();

        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.True(signer.IsDisposed);
        Assert.Equal("WalletNotConnected,IExecSecrets.Commands.GetIExecWalletCommand", host.Run("Get-IExecWallet").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void NewWallet_WhatIf_WritesNothing_AndVaultCreationRoundTrips()
    {
        var directory = Path.Combine(Path.GetTempPath(), "iexec-newwallet-" + Guid.NewGuid().ToString("N"));
        using var host = new ModuleHost();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V").ThrowIfFailed();

        var whatIf = host.Run("New-IExecWallet -Password $pw -KeystoreDirectory $d -WhatIf; New-IExecWallet -Vault V -SecretName w -WhatIf; @(Get-SecretInfo -Vault V).Count",
            new Dictionary<string, object?> { ["pw"] = ModuleHost.Secure("pw"), ["d"] = directory }).ThrowIfFailed();
        var created = host.Run("New-IExecWallet -Vault V -SecretName w -Connect").ThrowIfFailed();
        var reconnected = host.Run("Connect-IExecWallet -Vault V -SecretName w").ThrowIfFailed();

        Assert.False(Directory.Exists(directory));
        Assert.Equal(0, (int)Assert.Single(whatIf.Output).BaseObject);
        Assert.Equal(((IExecWallet)Assert.Single(created.Output).BaseObject).Address, ((IExecWallet)Assert.Single(reconnected.Output).BaseObject).Address);
    }

    [Fact]
    public void NewWallet_Keystore_WritesACliNamedPrivateFile_ThatListAndAddressLookupFind()
    {
        var directory = Path.Combine(Path.GetTempPath(), "iexec-newwallet-" + Guid.NewGuid().ToString("N"));
        using var host = new ModuleHost();
        var vars = new Dictionary<string, object?> { ["pw"] = ModuleHost.Secure("pw"), ["d"] = directory, ["missing"] = Path.Combine(directory, "missing") };
        try
        {
            var first = (IExecWallet)Assert.Single(host.Run("New-IExecWallet -Password $pw -KeystoreDirectory $d -Confirm:$false", vars).ThrowIfFailed().Output).BaseObject;
            var second = (IExecWallet)Assert.Single(host.Run("New-IExecWallet -Password $pw -KeystoreDirectory $d -Confirm:$false", vars).ThrowIfFailed().Output).BaseObject;
            var listed = host.Run("Get-IExecWallet -ListAvailable -KeystoreDirectory $d", vars).ThrowIfFailed().Output.Select(o => (IExecWallet)o.BaseObject).ToList();
            var connected = host.Run("Connect-IExecWallet -Address $a -KeystoreDirectory $d -Password $pw", new Dictionary<string, object?>(vars) { ["a"] = first.Address.ToLowerInvariant() }).ThrowIfFailed();
            var noFolder = host.Run("Get-IExecWallet -ListAvailable -KeystoreDirectory $missing", vars);
            var noWallet = host.Run("Connect-IExecWallet -Address 0x1111111111111111111111111111111111111111 -KeystoreDirectory $d -Password $pw", vars);

            Assert.Matches(@"^UTC--\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}000000Z--" + first.Address[2..] + "$", Path.GetFileName(first.KeystorePath));
            Assert.Equal(directory, Path.GetDirectoryName(first.KeystorePath));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.KeystorePath!));
            }

            Assert.Equal(new[] { second.Address, first.Address }, listed.Select(w => w.Address));
            Assert.Equal(first.KeystorePath, ((IExecWallet)Assert.Single(connected.Output).BaseObject).KeystorePath);
            Assert.Equal("KeystoreDirectoryNotFound,IExecSecrets.Commands.GetIExecWalletCommand", noFolder.SingleError().FullyQualifiedErrorId);
            Assert.Equal("WalletNotFound,IExecSecrets.Commands.ConnectIExecWalletCommand", noWallet.SingleError().FullyQualifiedErrorId);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static T RunInRunspace<T>(ModuleHost host, Func<T> read)
    {
        // WalletSession keys wallets by the runspace of the calling thread.
        var previous = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
        System.Management.Automation.Runspaces.Runspace.DefaultRunspace = host.Runspace;
        try
        {
            return read();
        }
        finally
        {
            System.Management.Automation.Runspaces.Runspace.DefaultRunspace = previous;
        }
    }
}
