using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.PoCo;

/// <summary>Read bindings over one deployed PoCo <c>Dataset</c> contract (its owner and the fields given to createDataset).</summary>
public sealed class DatasetContract : ContractBinding
{
    /// <summary>Binds the dataset at <paramref name="address"/>.</summary>
    public DatasetContract(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>The owner (<c>owner()</c>), the ERC-721 holder. Throws <see cref="RpcException"/> if the call reverts.</summary>
    public async Task<EthAddress> OwnerAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("owner()", "address", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_datasetName()</c>.</summary>
    public async Task<string> NameAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("m_datasetName()", "string", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_datasetMultiaddr()</c> bytes.</summary>
    public async Task<byte[]> MultiaddrAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("m_datasetMultiaddr()", "bytes", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_datasetChecksum()</c>, 32 bytes: the SHA-256 of the encrypted dataset file.</summary>
    public async Task<byte[]> ChecksumAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("m_datasetChecksum()", "bytes32", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>The owner and every field given to createDataset, read in parallel (four <c>eth_call</c>s).</summary>
    public async Task<DatasetFields> ReadFieldsAsync(CancellationToken cancellationToken = default)
    {
        var owner = OwnerAsync(cancellationToken);
        var name = NameAsync(cancellationToken);
        var multiaddr = MultiaddrAsync(cancellationToken);
        var checksum = ChecksumAsync(cancellationToken);
        await Task.WhenAll(owner, name, multiaddr, checksum).ConfigureAwait(false);
        return new DatasetFields(owner.Result, name.Result, multiaddr.Result, checksum.Result);
    }
}

/// <summary>What a dataset contract holds: its <c>owner()</c> and the fields given to createDataset, as raw values.</summary>
/// <param name="Owner">The ERC-721 holder.</param>
/// <param name="Name">The dataset name.</param>
/// <param name="Multiaddr">The multiaddr bytes.</param>
/// <param name="Checksum">The 32-byte checksum of the encrypted file.</param>
public sealed record DatasetFields(EthAddress Owner, string Name, byte[] Multiaddr, byte[] Checksum);
