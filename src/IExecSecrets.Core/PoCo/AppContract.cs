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

    /// <summary>The owner and every field given to createApp, read in parallel (six <c>eth_call</c>s).</summary>
    public async Task<AppFields> ReadFieldsAsync(CancellationToken cancellationToken = default)
    {
        var owner = OwnerAsync(cancellationToken);
        var name = NameAsync(cancellationToken);
        var type = TypeAsync(cancellationToken);
        var multiaddr = MultiaddrAsync(cancellationToken);
        var checksum = ChecksumAsync(cancellationToken);
        var mrEnclave = MrEnclaveAsync(cancellationToken);
        await Task.WhenAll(owner, name, type, multiaddr, checksum, mrEnclave).ConfigureAwait(false);
        return new AppFields(owner.Result, name.Result, type.Result, multiaddr.Result, checksum.Result, mrEnclave.Result);
    }
}

/// <summary>What an app contract holds: its <c>owner()</c> and the fields given to createApp, as raw values.</summary>
/// <param name="Owner">The ERC-721 holder.</param>
/// <param name="Name">The app name.</param>
/// <param name="Type">The app type (DOCKER).</param>
/// <param name="Multiaddr">The multiaddr bytes.</param>
/// <param name="Checksum">The 32-byte checksum.</param>
/// <param name="MrEnclave">The mrenclave bytes (UTF-8 JSON, or empty).</param>
public sealed record AppFields(EthAddress Owner, string Name, string Type, byte[] Multiaddr, byte[] Checksum, byte[] MrEnclave);
