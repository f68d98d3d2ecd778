using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.PoCo;

/// <summary>Read bindings over one deployed PoCo <c>App</c> contract (its owner and the fields given to createApp).</summary>
public sealed class AppContract : ContractBinding
{
    /// <summary>Binds the app at <paramref name="address"/>.</summary>
    public AppContract(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>The owner (<c>owner()</c>), the ERC-721 holder. Throws <see cref="RpcException"/> if the call reverts.</summary>
    public async Task<EthAddress> OwnerAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("owner()", "address", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>
    /// The owner of any Ownable contract at <paramref name="address"/>, or null when there is no contract there, the
    /// call reverts, or it returns no word (so an EOA or a non-Ownable contract reads as "no owner").
    /// </summary>
    public static async Task<EthAddress?> TryReadOwnerAsync(JsonRpcClient rpc, EthAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        byte[] result;
        try
        {
            result = await rpc.EthCallAsync(address, Abi.EncodeCall("owner()"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            return null;
        }
        return result.Length < 32 ? null : (EthAddress)Abi.Decode("address", result)[0]!;
    }

    /// <summary><c>m_appName()</c>.</summary>
    public async Task<string> NameAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("m_appName()", "string", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_appType()</c>, "DOCKER".</summary>
    public async Task<string> TypeAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("m_appType()", "string", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_appMultiaddr()</c> bytes.</summary>
    public async Task<byte[]> MultiaddrAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("m_appMultiaddr()", "bytes", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_appChecksum()</c>, 32 bytes.</summary>
    public async Task<byte[]> ChecksumAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("m_appChecksum()", "bytes32", cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary><c>m_appMREnclave()</c> bytes (UTF-8 JSON for SCONE/Gramine apps, empty otherwise).</summary>
    public async Task<byte[]> MrEnclaveAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("m_appMREnclave()", "bytes", cancellationToken).ConfigureAwait(false))[0]!;
}
