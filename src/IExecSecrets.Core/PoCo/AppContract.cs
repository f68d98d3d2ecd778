using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Core.PoCo;

/// <summary>Read bindings over one deployed PoCo <c>App</c> contract (its owner and the fields given to createApp).</summary>
public sealed class AppContract
{
    private readonly JsonRpcClient _rpc;

    /// <summary>Binds the app at <paramref name="address"/>.</summary>
    public AppContract(JsonRpcClient rpc, EthAddress address)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Address = address;
    }

    /// <summary>The app address.</summary>
    public EthAddress Address { get; }

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

    private async Task<object?[]> CallAsync(string signature, string returns, CancellationToken cancellationToken)
    {
        var result = await _rpc.EthCallAsync(Address, Abi.EncodeCall(signature), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Abi.Decode(returns, result);
    }
}
