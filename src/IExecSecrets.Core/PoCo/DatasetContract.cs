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
}
