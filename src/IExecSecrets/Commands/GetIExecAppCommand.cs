using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Reads an iExec app from the chain: owner, name, image, checksum and enclave description.</summary>
/// <remarks>
/// <para>Checks that the app registry of the chain knows the address (AppNotDeployed otherwise), then reads the owner,
/// name, type, multiaddr, checksum and mrenclave of the app contract, like iexec app show.</para>
/// <para>MrEnclave prints as the text the app holds and gives its JSON fields as properties, so
/// (Get-IExecApp).MrEnclave.Fingerprint works, and Framework names the TEE framework it declares.</para>
/// <para>Without -Address the app recorded in ./deployed.json for the chain is read (AppNotInDeployedJson when there is
/// none). Addresses can be piped, also as objects with an Address property.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecApp -Chain bellecour</code>
/// <para>Reads the app recorded in ./deployed.json for bellecour.</para>
/// </example>
/// <example>
/// <code>Deploy-IExecApp | Get-IExecApp</code>
/// <para>Deploys the app of ./iexec.json and reads it back from the chain.</para>
/// </example>
/// <input type="System.String">
/// App addresses, or objects with an Address (or App) property such as the output of Deploy-IExecApp.
/// </input>
/// <output type="IExecSecrets.Output.IExecApp">
/// IExecSecrets.Output.IExecApp: address, owner, name, type, multiaddr, checksum, mrenclave and framework.
/// </output>
[Cmdlet(VerbsCommon.Get, "IExecApp", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecApp.md")]
[OutputType(typeof(IExecApp))]
public sealed class GetIExecAppCommand : ChainCommandBase
{

    /// <summary>
    /// The app address, in any case. Default: the app recorded in ./deployed.json for the chain. A malformed address
    /// fails with InvalidAddress.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    /// <summary>Resolves the chain once for all piped addresses.</summary>
    protected override bool ResolvesChainFirst => true;

    /// <summary>Reads one app per address; an unknown address is reported and the next one is read.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var chain = ChainProfile;
            var address = DeployedApps.GivenOrDeployed(Address, nameof(Address), CurrentDirectory, () => chain.ChainId);
            WriteVerbose($"Reading app {address} on {chain.Name} (chain {chain.ChainId}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            var app = Await(new AppReader(Rpc, chain).ReadAsync(address, CancellationToken));
            WriteObject(IExecApp.From(app, chain.Name));
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }
}
