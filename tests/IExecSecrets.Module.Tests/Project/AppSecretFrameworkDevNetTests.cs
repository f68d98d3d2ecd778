using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.PoCo;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Module.Tests.Project;

/// <summary>
/// Push-IExecAppSecret and Test-IExecAppSecret choose the SMS from the app's mrenclave on a real devnet, as the
/// iexec 8.24 CLI does: a SCONE app goes to the chain.json <c>scone</c> SMS, an app without mrenclave to the
/// <c>tdx</c> one. The two SMS are distinct servers, so a wrong choice is visible in both the output and the stores.
/// </summary>
public sealed class AppSecretFrameworkDevNetTests : IAsyncLifetime
{
    private const string SconeMrEnclave =
        "{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"node /app/app.js\",\"heapSize\":1073741824,"
        + "\"fingerprint\":\"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609\"}";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iexec-module-appfw-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<string> _projects = new();
    private DevNetEnvironment? _net;
    private DevSmsServer? _tdxSms;

    private DevNetEnvironment Net => _net!;

    private DevSmsServer TdxSms => _tdxSms!;

    public async Task InitializeAsync()
    {
        _net = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = _directory });
        var rpc = _net.Rpc;
        _tdxSms = await DevSmsServer.StartAsync(new DevSmsOptions
        {
            DatabasePath = Path.Combine(_directory, "tdx-sms.db"),
            ResolveOwnerAsync = (address, token) => AppContract.TryReadOwnerAsync(rpc, address, token),
            TeeFramework = "TDX",
        });
    }

    public async Task DisposeAsync()
    {
        if (_tdxSms is not null) await _tdxSms.DisposeAsync();
        if (_net is not null) await _net.DisposeAsync();
        foreach (var directory in _projects.Append(_directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AppSecretCmdlets_WithoutTeeFramework_UseTheSmsOfTheAppsOnChainFramework()
    {
        var developer = Net.Accounts[1];
        var sconeApp = await DeployAsync("scone-app", SconeMrEnclave);
        var plainApp = await DeployAsync("plain-app", null);
        var project = NewProject(Net.RpcUrl.ToString().TrimEnd('/'));
        using var host = new ModuleHost(location: project);
        host.Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(developer.PrivateKeyHex) }).ThrowIfFailed();
        var apps = new Dictionary<string, object?> { ["scone"] = sconeApp.ToString(), ["plain"] = plainApp.ToString(), ["v"] = ModuleHost.Secure("developer-secret") };

        var sconeBefore = Status(host.Run("Test-IExecAppSecret $scone", apps));
        var plainBefore = Status(host.Run("Test-IExecAppSecret $plain", apps));
        var pushedPlain = Pushed(host.Run("Push-IExecAppSecret $plain -Value $v -Confirm:$false", apps));
        var pushedScone = Pushed(host.Run("Push-IExecAppSecret -App $scone -Value $v -Confirm:$false", apps));
        var plainAfter = Status(host.Run("Test-IExecAppSecret $plain", apps));
        var plainAsScone = Status(host.Run("Test-IExecAppSecret $plain -TeeFramework scone", apps));

        Assert.Equal(SconeSmsUrl, sconeBefore.SmsUrl);
        Assert.Equal(TdxSmsUrl, plainBefore.SmsUrl);
        Assert.False(sconeBefore.IsSet);
        Assert.False(plainBefore.IsSet);
        Assert.Equal(TdxSmsUrl, pushedPlain.SmsUrl);
        Assert.Equal(SconeSmsUrl, pushedScone.SmsUrl);
        Assert.NotNull(await TdxSms.GetAppSecretAsync(plainApp));
        Assert.Null(await Net.Sms.GetAppSecretAsync(plainApp));
        Assert.NotNull(await Net.Sms.GetAppSecretAsync(sconeApp));
        Assert.Null(await TdxSms.GetAppSecretAsync(sconeApp));
        Assert.True(plainAfter.IsSet);
        Assert.Equal(SconeSmsUrl, plainAsScone.SmsUrl);
        Assert.False(plainAsScone.IsSet);
    }

    [Fact]
    public async Task AppSecretCmdlets_ExplicitTeeFramework_NeedNoChain_WhileTheDefaultReadsIt()
    {
        var plainApp = await DeployAsync("explicit-app", null);
        var project = NewProject($"http://127.0.0.1:{LoopbackPorts.Closed()}");
        using var host = new ModuleHost(location: project);
        var app = new Dictionary<string, object?> { ["a"] = plainApp.ToString() };

        var explicitTdx = Status(host.Run("Test-IExecAppSecret $a -TeeFramework tdx", app));
        var fromChain = host.Run("Test-IExecAppSecret $a", app);

        Assert.Equal(TdxSmsUrl, explicitTdx.SmsUrl);
        Assert.Equal("RpcUnreachable,IExecSecrets.Commands.TestIExecAppSecretCommand", fromChain.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void TestIExecAppSecret_AddressWithoutApp_ReportsAppNotDeployedAndAsksNoSms()
    {
        var project = NewProject(Net.RpcUrl.ToString().TrimEnd('/'));
        using var host = new ModuleHost(location: project);
        var sconeRequests = Net.Sms.RequestCount;
        var tdxRequests = TdxSms.RequestCount;

        var result = host.Run("Test-IExecAppSecret $a", new Dictionary<string, object?> { ["a"] = Net.Accounts[6].Address.ToString() });

        Assert.Equal("AppNotDeployed,IExecSecrets.Commands.TestIExecAppSecretCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(sconeRequests, Net.Sms.RequestCount);
        Assert.Equal(tdxRequests, TdxSms.RequestCount);
    }

    private string SconeSmsUrl => Net.SmsUrl.ToString().TrimEnd('/');

    private string TdxSmsUrl => TdxSms.Url.ToString().TrimEnd('/');

    private static IExecSecretStatus Status(RunResult result) => (IExecSecretStatus)Assert.Single(result.ThrowIfFailed().Output).BaseObject;

    private static IExecSecretPushResult Pushed(RunResult result) => (IExecSecretPushResult)Assert.Single(result.ThrowIfFailed().Output).BaseObject;

    private async Task<Core.Crypto.EthAddress> DeployAsync(string name, string? mrEnclave)
    {
        var developer = Net.Accounts[1];
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var checksum = "0x" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
        var app = AppDescriptor.Create(developer.Address.ToString(), name, "DOCKER", $"docker.io/iexec/{name}:1.0.0", checksum, mrEnclave);
        var deployment = await new AppDeployer(Net.Rpc, chain).DeployAsync(app, developer, projectDirectory: null);
        return deployment.Address;
    }

    // The devnet chain.json with one SMS per framework: scone is the devnet SMS, tdx the second server, and gramine a
    // closed port, so any framework mix-up reaches the wrong server or none.
    private string NewProject(string rpcHost)
    {
        var project = Directory.CreateTempSubdirectory("iexec-module-appfw-project-").FullName;
        _projects.Add(project);
        var chainJson = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        var devnet = chainJson["chains"]!["devnet"]!;
        devnet["host"] = rpcHost;
        devnet["sms"] = new JsonObject { ["scone"] = SconeSmsUrl, ["gramine"] = "http://127.0.0.1:9", ["tdx"] = TdxSmsUrl };
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        return project;
    }
}
