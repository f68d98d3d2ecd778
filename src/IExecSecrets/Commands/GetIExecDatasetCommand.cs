using IExecSecrets.Completers;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Reads an iExec dataset from the chain: owner, name, multiaddr and checksum.</summary>
/// <remarks>
/// <para>Checks that the dataset registry of the chain knows the address (DatasetNotDeployed otherwise), then reads the
/// owner, name, multiaddr and checksum of the dataset contract, like iexec dataset show.</para>
/// <para>Without -Address the dataset recorded in ./deployed.json for the chain is read (DatasetNotInDeployedJson when
/// there is none). Addresses can be piped, also as objects with an Address or Dataset property.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecDataset</code>
/// <para>Reads the dataset recorded in ./deployed.json for the default chain.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecDataset -Name data -Multiaddr https://example.com/data.enc -Checksum $sum | Get-IExecDataset</code>
/// <para>Deploys a dataset and reads it back from the chain.</para>
/// </example>
/// <input type="System.String">Dataset addresses, or objects with an Address (or Dataset) property.</input>
/// <output type="IExecSecrets.Output.IExecDataset">Address, owner, name, multiaddr and checksum.</output>
[Cmdlet(VerbsCommon.Get, "IExecDataset", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecDataset.md")]
[OutputType(typeof(IExecDataset))]
public sealed class GetIExecDatasetCommand : ChainCommandBase
{
    /// <summary>The dataset address, in any case. Default: the dataset recorded in ./deployed.json for the chain.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Dataset")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployedDatasetCompleter))]
    public string? Address { get; set; }

    /// <summary>Resolves the chain once for all piped addresses.</summary>
    protected override bool ResolvesChainFirst => true;

    /// <summary>Reads one dataset per address; an unknown address is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var chain = ChainProfile;
            var address = DeployedApps.GivenOrDeployedDataset(Address, nameof(Address), CurrentDirectory, () => chain.ChainId);
            WriteVerbose($"Reading dataset {address} on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var dataset = Await(new DatasetReader(Rpc, chain).ReadAsync(address, CancellationToken));
            WriteObject(IExecDataset.From(dataset, chain.Name));
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }
}
