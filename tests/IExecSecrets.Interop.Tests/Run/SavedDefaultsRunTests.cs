namespace IExecSecrets.Interop.Tests.Run;

/// <summary>
/// Invoke-IExecApp on the devnet with a workerpool saved by Set-IExecConfiguration (Process scope, cleared after):
/// the saved workerpool is used when -Workerpool is left out, and an explicit -Workerpool wins over it.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class SavedDefaultsRunTests(DevNetFixture fixture)
{
    [Fact]
    public async Task SavedWorkerpool_IsHonouredWhenLeftOut_AndOverriddenByAnExplicitWorkerpool()
    {
        var (net, requester, chain, app) = await AppRunInteropTests.TutorialAppAsync(fixture.Environment, 7);
        var secretName = "saved-" + Guid.NewGuid().ToString("N")[..8];
        using (var sms = new SmsClient(net.SmsUrl))
        {
            await sms.PushAppSecretAsync(requester, app, Encoding.UTF8.GetBytes("1;0;0;0"));
            await sms.PushRequesterSecretAsync(requester, secretName, Encoding.UTF8.GetBytes("3"));
        }
        var nowhere = EthAddress.Parse("0x000000000000000000000000000000000000dEaD");
        using var module = new ModuleHost(location: net.Directory);
        var arguments = new Dictionary<string, object?>
        {
            ["k"] = ModuleHost.Secure(requester.PrivateKeyHex), ["app"] = app.ToString(), ["name"] = secretName,
            ["pool"] = net.Workerpool.ToString(), ["nowhere"] = nowhere.ToString(),
        };
        const string Connect = "Connect-IExecWallet -PrivateKey $k | Out-Null; ";
        try
        {
            var honoured = module.Run(Connect + "Set-IExecConfiguration -Workerpool $pool -Scope Process; Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Force", arguments);
            var wrongSaved = module.Run(Connect + "Set-IExecConfiguration -Workerpool $nowhere -Scope Process; Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Force", arguments);
            var overridden = module.Run(Connect + "Invoke-IExecApp -App $app -Tag tee,scone -Secret @{1=$name} -Workerpool $pool -Force", arguments);

            Assert.True(honoured.AllErrors.Count == 0, string.Join(" | ", honoured.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            Assert.Equal(net.Workerpool.ToString(), Assert.IsType<IExecDeal>(Assert.Single(honoured.Output).BaseObject).Workerpool);
            Assert.Empty(wrongSaved.Output);
            Assert.Contains(nowhere.ToString(), Assert.Single(wrongSaved.AllErrors).ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.True(overridden.AllErrors.Count == 0, string.Join(" | ", overridden.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            Assert.Equal(net.Workerpool.ToString(), Assert.IsType<IExecDeal>(Assert.Single(overridden.Output).BaseObject).Workerpool);
        }
        finally
        {
            module.Run("Clear-IExecConfiguration -Scope Process -Confirm:$false");
        }
    }
}
