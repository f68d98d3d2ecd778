using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Datasets;

/// <summary>A dataset as the chain holds it.</summary>
/// <param name="Address">The dataset contract.</param>
/// <param name="ChainId">The chain it lives on.</param>
/// <param name="Owner">Its <c>owner()</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Multiaddr">Its multiaddr in human form (a URL, or <c>/p2p/Qm…</c> for IPFS).</param>
/// <param name="Checksum">Its checksum, 0x and 64 hex digits.</param>
public sealed record DatasetInfo(EthAddress Address, ulong ChainId, EthAddress Owner, string Name, string Multiaddr, string Checksum);

/// <summary>
/// Reads a deployed dataset from the chain (<c>iexec dataset show</c>): checks the chain's dataset registry knows the
/// address, then reads owner, name, multiaddr and checksum. Reads only; safe to retry.
/// </summary>
public sealed class DatasetReader : RegistryEntryClient
{
    /// <summary>Reads from <paramref name="chain"/> through <paramref name="rpc"/>.</summary>
    public DatasetReader(JsonRpcClient rpc, ChainProfile chain)
        : base(rpc, chain)
    {
    }

    /// <summary>The dataset at <paramref name="address"/>; <see cref="ErrorIds.DatasetNotDeployed"/> when the registry has none there.</summary>
    public async Task<DatasetInfo> ReadAsync(EthAddress address, CancellationToken cancellationToken = default)
    {
        var registry = await DatasetRegistry.FromHubAsync(Rpc, Hub(), cancellationToken).ConfigureAwait(false);
        if (!await registry.IsRegisteredAsync(address, cancellationToken).ConfigureAwait(false))
        {
            throw new IExecException(ErrorIds.DatasetNotDeployed, $"No dataset deployed at address {address}", address.ToString())
            { RecommendedAction = "Check the address and the chain (-Chain)." };
        }
        var dataset = await new DatasetContract(Rpc, address).ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        return new DatasetInfo(address, Profile.ChainId, dataset.Owner, dataset.Name, MultiaddrCodec.Decode(dataset.Multiaddr), DatasetEncryption.ChecksumText(dataset.Checksum));
    }
}
