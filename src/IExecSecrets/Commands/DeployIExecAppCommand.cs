using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// Deploys an iExec app from iexec.json, or from parameters, and records its address in deployed.json.
/// </summary>
/// <remarks>
/// <para>Validates the app like iexec app deploy 8.24 (owner address, name, type exactly DOCKER, multiaddr, bytes32
/// checksum, mrenclave with framework, version, fingerprint and, for SCONE, entrypoint and heapSize) and fails with
/// InvalidAppDefinition before any network call.</para>
/// <para>It then asks the app registry of the chain for the address the app will get (predictApp). The address is
/// deterministic: if an app already lives there the command fails with AppAlreadyDeployed, before any transaction.
/// Otherwise it sends createApp signed by the connected wallet (after checking the node's chain id), reads the new
/// address from the Transfer event and records it in deployed.json as {"app":{"&lt;chainId&gt;":"&lt;address&gt;"}},
/// keeping the other entries.</para>
/// <para>With -WhatIf nothing is signed or sent: the predicted address is written as an IExecApp whose IsPrediction is
/// true.</para>
/// </remarks>
/// <example>
/// <code>Deploy-IExecApp -Chain bellecour</code>
/// <para>Deploys the app section of ./iexec.json on bellecour and records the address in ./deployed.json.</para>
/// </example>
/// <example>
/// <code>
/// Deploy-IExecApp -Name hello -Multiaddr docker.io/me/hello:1.0 -Checksum 0x15de77fd7ac448028884256b3ab376e7d4560e9ef6acf0594ea0b3c031d5d395 -MrEnclave ([ordered]@{framework="SCONE";version="v5.9";entrypoint="python /app/app.py";heapSize=1073741824;fingerprint="2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}) -WhatIf
/// </code>
/// <para>Shows the address the SCONE app would get, without signing or sending anything.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecApp">
/// IExecSecrets.Output.IExecApp: the new app address, the transaction hash (TxHash) and the deployed fields.
/// </output>
// "Deploy" is an approved verb, but PowerShellStandard.Library 5.1 predates its VerbsLifecycle constant
[Cmdlet("Deploy", "IExecApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ProjectParameterSet)]
[OutputType(typeof(IExecApp))]
public sealed class DeployIExecAppCommand : ChainCommandBase
{
    private const string ProjectParameterSet = "Project";
    private const string ParametersParameterSet = "Parameters";


    /// <summary>
    /// The project folder holding iexec.json, chain.json and deployed.json. Default: the current location.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The app name. Giving it deploys from parameters instead of the app section of iexec.json.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The app type. Only DOCKER exists, and it is the default.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = "DOCKER";

    /// <summary>
    /// The docker image reference of the app (stored as its UTF-8 bytes), or an /ipfs/ multiaddr (stored as binary
    /// multiaddr).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Multiaddr { get; set; } = string.Empty;

    /// <summary>The 0x-prefixed sha256 digest of the image, 32 bytes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParametersParameterSet)]
    [ValidatePattern("^0[xX][0-9a-fA-F]{64}$")]
    public string Checksum { get; set; } = string.Empty;

    /// <summary>
    /// The TEE enclave description, as a JSON string or an [ordered] hashtable (key order is kept in the stored JSON).
    /// Omit it for a non-TEE app.
    /// </summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    public object? MrEnclave { get; set; }

    /// <summary>The app owner. Default: the connected wallet.</summary>
    [Parameter(ParameterSetName = ParametersParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>Validates, predicts the address, asks for confirmation, deploys and records the app.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var directory = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : GetUnresolvedProviderPathFromPSPath(Path);
            var chain = ChainFor(Chain, directory);
            var wallet = WhatIfRequested ? WalletSession.Current : WalletSession.Require();
            var app = ParameterSetName == ParametersParameterSet
                ? AppDescriptor.Create(Owner ?? wallet?.Address.ToString() ?? WalletSession.Require().Address.ToString(), Name, Type, Multiaddr, Checksum, MrEnclaveText())
                : ProjectFiles.ReadAppDefinition(directory);

            var deployer = new AppDeployer(Rpc, chain);
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
