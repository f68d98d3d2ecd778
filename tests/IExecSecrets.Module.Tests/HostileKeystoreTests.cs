using System.Text.Json.Nodes;

namespace IExecSecrets.Module.Tests;

/// <summary>Connect-IExecWallet against keystore files an attacker wrote (Ctrl+C during a slow legal unlock: KeystoreStopTests).</summary>
public sealed class HostileKeystoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("iexec-hostile-keystore-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteKeystore(WalletKey key, Action<JsonNode>? change = null, string? nameAddress = null)
    {
        var node = JsonNode.Parse(KeystoreV3.Encrypt(key, "pw"u8, new KeystoreEncryptionOptions { ScryptN = 1024 }))!;
        change?.Invoke(node);
        var path = Path.Combine(_directory, $"UTC--2026-12-01T00-00-00.000000000Z--{nameAddress ?? key.Address.ToString()[2..]}");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }

    [Fact]
    public void ConnectWallet_HugeScryptP_FailsInvalidKeystoreWithoutRunningTheKdf()
    {
        using var key = WalletKey.Generate();
        var path = WriteKeystore(key, node =>
        {
            node["Crypto"]!["kdfparams"]!["n"] = 32768;
            node["Crypto"]!["kdfparams"]!["r"] = 1;
            node["Crypto"]!["kdfparams"]!["p"] = 16384;
        });
        using var host = new ModuleHost();

        var result = host.Run("Connect-IExecWallet -Path $p -Password $pw", new Dictionary<string, object?> { ["p"] = path, ["pw"] = ModuleHost.Secure("pw") });

        var error = result.SingleError();
        Assert.Equal("InvalidKeystore,IExecSecrets.Commands.ConnectIExecWalletCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("p = 16384", error.ToString());
    }

    [Fact]
    public void ConnectWallet_FileNamedForAnotherAccountWithoutAddress_FailsInvalidKeystore()
    {
        using var key = WalletKey.Generate();
        using var asked = WalletKey.Generate();
        WriteKeystore(key, node => node.AsObject().Remove("address"), nameAddress: asked.Address.ToString()[2..]);
        using var host = new ModuleHost();

        var result = host.Run("Connect-IExecWallet -Address $a -KeystoreDirectory $d -Password $pw",
            new Dictionary<string, object?> { ["a"] = asked.Address.ToString(), ["d"] = _directory, ["pw"] = ModuleHost.Secure("pw") });

        Assert.Equal("InvalidKeystore,IExecSecrets.Commands.ConnectIExecWalletCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.DoesNotContain(host.Run("Get-IExecWallet -ErrorAction SilentlyContinue").Output, o => o.BaseObject is IExecWallet { Source: "Keystore" });
    }

    [Fact]
    public void ConnectWallet_FileWithoutAddress_ConnectsAndWarnsWithTheDerivedAddress()
    {
        using var key = WalletKey.Generate();
        var path = WriteKeystore(key, node => node.AsObject().Remove("address"));
        using var host = new ModuleHost();

        var result = host.Run("Connect-IExecWallet -Path $p -Password $pw", new Dictionary<string, object?> { ["p"] = path, ["pw"] = ModuleHost.Secure("pw") }).ThrowIfFailed();

        Assert.Equal(key.Address.ToString(), ((IExecWallet)Assert.Single(result.Output).BaseObject).Address);
        Assert.Contains(result.Warning, w => w.Contains(key.Address.ToString(), StringComparison.Ordinal) && w.Contains("no address", StringComparison.Ordinal));
    }
}
