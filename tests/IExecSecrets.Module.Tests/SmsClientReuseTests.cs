namespace IExecSecrets.Module.Tests;

/// <summary>
/// Separate commands share the SMS client of <c>SmsClientCache.Shared</c> per URL and options (issue 10, per-command
/// cost). The cache is read from inside the runspace, so it is the module's own copy of the type. Unusual -TimeoutSec
/// values keep these keys apart from every other test's.
/// </summary>
public sealed class SmsClientReuseTests
{
    private const string Peek = "$l = [IExecSecrets.Core.Sms.SmsClientCache]::Shared.Acquire([uri]$sms, $false, [timespan]::FromSeconds($t)); $l.Client; $l.Dispose()";

    [Fact]
    public async Task SeparateCommands_ShareAClientPerUrlAndTimeout_ADisposedOneIsReplaced_RemoveModuleForgetsThem()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var variables = SecretCmdletTests.Variables(sms);

        object Push(string name, int timeout)
        {
            var run = host.Run($"Push-IExecRequesterSecret {name} -Value $v -SmsUrl $sms -TimeoutSec {timeout} -Confirm:$false | Out-Null; $t = {timeout}; {Peek}", variables).ThrowIfFailed();
            return Assert.Single(run.Output).BaseObject;
        }

        var first = Push("r1", 1741);
        var second = Push("r2", 1741);
        var otherTimeout = Push("r3", 1742);
        ((IDisposable)first).Dispose();
        var afterDispose = Push("r4", 1741);

        Assert.Same(first, second);
        Assert.NotSame(first, otherTimeout);
        Assert.NotSame(first, afterDispose);
        Assert.False(IsDisposed(afterDispose));

        host.Run("Remove-Module IExecSecrets").ThrowIfFailed();
        Assert.True(IsDisposed(afterDispose));
        Assert.True(IsDisposed(otherTimeout));

        host.Run("Import-Module $m", new Dictionary<string, object?> { ["m"] = ModuleHost.ManifestPath }).ThrowIfFailed();
        host.ConnectTestWallet();
        var reimported = Push("r5", 1741);
        Assert.NotSame(afterDispose, reimported);
        Assert.False(IsDisposed(reimported));
        foreach (var name in new[] { "r1", "r2", "r3", "r4", "r5" })
        {
            Assert.Equal("value-1", System.Text.Encoding.UTF8.GetString((await sms.Server.GetRequesterSecretAsync(TestAddress(), name))!));
        }
    }

    private static bool IsDisposed(object client) => (bool)client.GetType().GetProperty("IsDisposed")!.GetValue(client)!;

    private static EthAddress TestAddress()
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        return key.Address;
    }
}
