using System.Globalization;
using System.Text.Json;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.PoCo;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// The README's main job with the image, as eng/tutorial.sh runs it when Docker can run: examples/tutorial.ps1 with
/// -Registry in a real PowerShell engine, against a native devnet whose worker pulls from the loopback registry. The
/// app on chain must be the pushed image (multiaddr = the reference, checksum = the registry's manifest digest), the
/// worker must have run that image, result.txt must hold f(x), and the coefficients must appear in no output.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class TutorialImageTests(DockerFixture docker, RegistryFixture registry) : IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private readonly string _directory = RepoPaths.NewTempFolder("tutorial-devnet");
    private DevNetEnvironment? _net;

    public async Task InitializeAsync() => _net = await registry.StartDevNetAsync(_directory, docker);

    public async Task DisposeAsync()
    {
        if (_net is not null) await _net.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Tutorial_WithRegistry_DeploysThePushedImageAndTheWorkerRunsItToTheRightResult()
    {
        var work = RepoPaths.NewTempFolder("tutorial-image");
        const string coefficients = "4;-3;2;-7";
        const string x = "5";
        using var host = new ModuleHost();

        var run = host.Run(
            "& $script -DevNetDirectory $d -WorkDirectory $w -ModulePath $module -Coefficients $c -X $x -Registry $registry -RegistryUser $user " +
            "-RegistryPasswordFile $passwordFile -BaseImage $base -SconifyImage $sconify -DockerHost $dockerHost",
            new Dictionary<string, object?>
            {
                ["script"] = Path.Combine(RepoPaths.Root, "examples", "tutorial.ps1"), ["d"] = _directory, ["w"] = work,
                ["module"] = Path.Combine(RepoPaths.Root, "out", "IExecSecrets", "IExecSecrets.psd1"), ["c"] = coefficients, ["x"] = x,
                ["registry"] = registry.Address, ["user"] = registry.UserName, ["passwordFile"] = registry.PasswordFile,
                ["base"] = DockerFixture.NodeBase, ["sconify"] = DockerFixture.Sconify, ["dockerHost"] = docker.DockerHost,
            });

        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.DoesNotContain(run.Output, item => item?.ToString()?.Contains(coefficients, StringComparison.Ordinal) == true);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "result", "result.txt")));
        Assert.Equal(4m * 125 - 3 * 25 + 2 * 5 - 7, result.RootElement.GetProperty("result").GetDecimal());

        // The deployed app is the pushed image, and the worker pulled exactly that digest.
        var deployed = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "deployed.json"))).RootElement.GetProperty("app")
            .GetProperty(_net!.ChainId.ToString(CultureInfo.InvariantCulture)).GetString()!;
        var app = new AppContract(_net.Rpc, EthAddress.Parse(deployed));
        var multiaddr = Core.Apps.MultiaddrCodec.Decode(await app.MultiaddrAsync());
        Assert.StartsWith($"{registry.Address}/iexecsecrets-tutorial/", multiaddr, StringComparison.Ordinal);
        var (repository, tag) = Core.Tee.ImageReference.SplitTag(multiaddr);
        var digest = await registry.ManifestDigestAsync(repository[(registry.Address.Length + 1)..], tag);
        Assert.Equal("0x" + digest["sha256:".Length..], Hex.Encode(await app.ChecksumAsync()));
        Assert.Contains("\"framework\":\"SCONE\"", System.Text.Encoding.UTF8.GetString(await app.MrEnclaveAsync()), StringComparison.Ordinal);
        Assert.Contains($"image {multiaddr}: pulled from {registry.Address}, digest {digest} = the app checksum",
            File.ReadAllText(Path.Combine(_directory, "worker", "worker.log")), StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }
}
