using IExecSecrets.DevNet;

namespace IExecSecrets.Module.Tests.Project;

/// <summary>
/// Deploy-IExecApp and Get-IExecApp in a real PowerShell engine against a real devnet (anvil + PoCo), with the
/// devnet's chain.json in the project folder and a devnet account connected as the wallet.
/// </summary>
public sealed class DeployAppCmdletDevNetTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iexec-module-devnet-" + Guid.NewGuid().ToString("N")[..12]);
    private DevNetEnvironment? _net;

    private DevNetEnvironment Net => _net!;

    public async Task InitializeAsync() => _net = await DevNetEnvironment.StartAsync(new DevNetOptions { Directory = _directory });

    public async Task DisposeAsync()
    {
        if (_net is not null) await _net.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DeployIExecApp_WhatIfThenDeployThenGet_PredictsSendsNothingThenDeploysAndReadsBack()
    {
        var developer = Net.Accounts[1];
        var project = NewProject();
        using var host = new ModuleHost(location: project);
        host.Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(developer.PrivateKeyHex) }).ThrowIfFailed();
        host.Run("Initialize-IExecProject -Tee scone -Force | Out-Null").ThrowIfFailed();
        File.Copy(Net.ChainJsonPath, Path.Combine(project, "chain.json"), overwrite: true);
        var nonceBefore = await Net.Rpc.GetTransactionCountAsync(developer.Address);

        var predicted = (IExecApp)Assert.Single(host.Run("Deploy-IExecApp -WhatIf").ThrowIfFailed().Output).BaseObject;
        var nonceAfterWhatIf = await Net.Rpc.GetTransactionCountAsync(developer.Address);
        var deployed = (IExecApp)Assert.Single(host.Run("Deploy-IExecApp -Confirm:$false").ThrowIfFailed().Output).BaseObject;
        var read = (IExecApp)Assert.Single(host.Run("Get-IExecApp").ThrowIfFailed().Output).BaseObject;
        var again = host.Run("Deploy-IExecApp -Confirm:$false");
        var piped = (IExecApp)Assert.Single(host.Run("[pscustomobject]@{ Address = $a } | Get-IExecApp", new Dictionary<string, object?> { ["a"] = deployed.Address }).ThrowIfFailed().Output).BaseObject;

        Assert.True(predicted.IsPrediction);
        Assert.Null(predicted.TxHash);
        Assert.Equal(nonceBefore, nonceAfterWhatIf);
        Assert.Equal(predicted.Address, deployed.Address);
        Assert.Matches("^0x[0-9a-f]{64}$", deployed.TxHash);
        Assert.Contains(deployed.Address, File.ReadAllText(Path.Combine(project, "deployed.json")));
        Assert.Equal(deployed.Address, read.Address);
        Assert.Equal(developer.Address.ToString(), read.Owner);
        Assert.Equal("hello-world-scone", read.Name);
        Assert.Equal("scone", read.Framework);
        // The mrenclave reads back as the app holds it, its fields typed, and deploys again as it is.
        Assert.NotNull(read.MrEnclave);
        Assert.Equal("2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609", read.MrEnclave.Fingerprint);
        Assert.Equal(("SCONE", 1073741824L), (read.MrEnclave.Framework, read.MrEnclave.HeapSize));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(await new Core.PoCo.AppContract(Net.Rpc, Core.Crypto.EthAddress.Parse(read.Address)).MrEnclaveAsync()), read.MrEnclave.Text);
        Assert.Equal(read.MrEnclave.Text, read.MrEnclave.ToString());
        var redeployed = (IExecApp)Assert.Single(host.Run("$a = Get-IExecApp; Deploy-IExecApp -Name copy -Multiaddr $a.Multiaddr -Checksum $a.Checksum -MrEnclave $a.MrEnclave -WhatIf").ThrowIfFailed().Output).BaseObject;
        Assert.Equal(read.MrEnclave.Text, redeployed.MrEnclave?.Text);
        Assert.Equal("AppAlreadyDeployed,IExecSecrets.Commands.DeployIExecAppCommand", again.SingleError().FullyQualifiedErrorId);
        Assert.Equal(deployed.Address, piped.Address);
    }

    [Fact]
    public void GetIExecApp_AddressWithoutApp_ReportsAppNotDeployed()
    {
        var project = NewProject();
        File.Copy(Net.ChainJsonPath, Path.Combine(project, "chain.json"));
        using var host = new ModuleHost(location: project);

        var result = host.Run("Get-IExecApp $a", new Dictionary<string, object?> { ["a"] = Net.Accounts[6].Address.ToString() });

        Assert.Equal("AppNotDeployed,IExecSecrets.Commands.GetIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
    }

    private static string NewProject() => Directory.CreateTempSubdirectory("iexec-module-app-").FullName;
}
