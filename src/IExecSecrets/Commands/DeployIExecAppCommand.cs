using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Deploys an iExec app from iexec.json (or parameters) and records its address in deployed.json.</para>
/// </summary>
// "Deploy" is an approved verb, but PowerShellStandard.Library 5.1 predates its VerbsLifecycle constant
[Cmdlet("Deploy", "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ProjectParameterSet)]
[OutputType(typeof(IExecApp))]
public sealed class DeployIExecAppCommand : IExecCmdlet
{
    private const string ProjectParameterSet = "Project";
    private const string ParametersParameterSet = "Parameters";

    private JsonRpcClient? _rpc;

    /// <summary>The project folder holding iexec.json, chain.json and deployed.json; default the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The chain to deploy on: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>
    /// Allows plain http:// to a host that is not loopback for the chain's RPC node; without it such a URL fails with InsecureRpcUrl before anything is sent, since requests and answers would travel in clear text and could be altered on the way.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>The app name (instead of iexec.json's app).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The app type; only DOCKER exists.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = "DOCKER";

    /// <summary>The docker image reference (or /ipfs/ multiaddr) of the app.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Multiaddr { get; set; } = string.Empty;

    /// <summary>The 0x-prefixed sha256 digest of the image.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidatePattern("^0[xX][0-9a-fA-F]{64}$")]
    public string Checksum { get; set; } = string.Empty;

    /// <summary>The TEE enclave description: a JSON string or a (preferably ordered) hashtable; omit for a non-TEE app.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    public object? MrEnclave { get; set; }

    /// <summary>The app owner; default the connected wallet.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>Validates, predicts the address, asks for confirmation, deploys and records the app.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var directory = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : GetUnresolvedProviderPathFromPSPath(Path);
            var chain = ChainResolver.FromDirectory(directory).Resolve(Chain);
            var wallet = WhatIfRequested ? WalletSession.Current : WalletSession.Require();
            var app = ParameterSetName == ParametersParameterSet
                ? AppDescriptor.Create(Owner ?? wallet?.Address.ToString() ?? WalletSession.Require().Address.ToString(), Name, Type, Multiaddr, Checksum, MrEnclaveText())
                : ProjectFiles.ReadAppDefinition(directory);

            _rpc = ChainRpc.Connect(chain, AllowInsecureHttp);
            var deployer = new AppDeployer(_rpc, chain);
            WriteVerbose($"Predicting the address of app '{app.Name}' on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var plan = Await(deployer.PlanAsync(app, CancellationToken));

            var target = $"app '{app.Name}' owned by {app.Owner} at {plan.PredictedAddress} on {chain.Name} (chain {chain.ChainId})";
            if (!ShouldProcess(target, "Deploy app"))
            {
                if (WhatIfRequested) WriteObject(Output(plan.PredictedAddress.ToString(), app, chain, null, isPrediction: true));
                return;
            }

            var deployment = Await(deployer.DeployAsync(app, wallet!.Signer, directory, CancellationToken));
            WriteVerbose($"Deployed app at {deployment.Address} in transaction {deployment.TransactionHash}; recorded in {deployment.DeployedJsonPath}");
            WriteObject(Output(deployment.Address.ToString(), app, chain, deployment.TransactionHash, isPrediction: false));
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources() => _rpc?.Dispose();

    private bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true };

    private static IExecApp Output(string address, AppDescriptor app, ChainProfile chain, string? txHash, bool isPrediction) => new()
    {
        Address = address,
        ChainId = chain.ChainId,
        Chain = chain.Name,
        Owner = app.Owner.ToString(),
        Name = app.Name,
        Type = app.Type,
        Multiaddr = app.MultiaddrText,
        Checksum = Core.Crypto.Hex.Encode(app.Checksum),
        MrEnclave = IExecApp.DecodeMrEnclave(app.MrEnclaveText),
        Framework = app.Framework?.ToWireName(),
        TxHash = txHash,
        IsPrediction = isPrediction,
    };

    private string? MrEnclaveText()
    {
        var value = MrEnclave is PSObject wrapped ? wrapped.BaseObject : MrEnclave;
        return value switch
        {
            null => null,
            string text => text,
            IDictionary dictionary => ToJson(dictionary).ToJsonString(),
            _ => throw new IExecException(
                ErrorIds.InvalidAppDefinition,
                IExecErrorCategory.InvalidArgument,
                "mrenclave is not a valid mrenclave",
                nameof(MrEnclave))
            { RecommendedAction = "Pass -MrEnclave as a JSON string or an [ordered] hashtable." },
        };
    }

    private static JsonObject ToJson(IDictionary dictionary)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            obj[entry.Key.ToString()!] = value switch
            {
                IDictionary inner => ToJson(inner),
                _ => JsonSerializer.SerializeToNode(value),
            };
        }
        return obj;
    }
}
