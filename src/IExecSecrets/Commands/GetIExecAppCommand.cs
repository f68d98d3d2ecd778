using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Reads an iExec app from the chain: owner, name, image, checksum and enclave description.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "IExecApp")]
[OutputType(typeof(IExecApp))]
public sealed class GetIExecAppCommand : IExecCmdlet
{
    private ChainProfile? _chain;
    private JsonRpcClient? _rpc;

    /// <summary>The app address; default the app recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    /// <summary>The chain to read from: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the chain's RPC node; without it such a URL fails with InsecureRpcUrl before anything is sent, since requests and answers would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>Resolves the chain once for all piped addresses.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _chain = ChainResolver.FromDirectory(CurrentDirectory).Resolve(Chain);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>Reads one app per address; an unknown address is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var chain = _chain!;
            var address = DeployedApps.GivenOrDeployed(Address, nameof(Address), CurrentDirectory, () => chain.ChainId);
            _rpc ??= ChainRpc.Connect(chain, AllowInsecureHttp);
            WriteVerbose($"Reading app {address} on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var app = Await(new AppReader(_rpc, chain).ReadAsync(address, CancellationToken));
            WriteObject(IExecApp.From(app, chain.Name));
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources() => _rpc?.Dispose();

    private string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;
}
