using IExecSecrets.Core.Chain;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// What every read binding over one deployed contract (the hub, a registry, an app or dataset) shares: its address,
/// the RPC client, and the <c>eth_call</c> that encodes a call and decodes its answer. A call that reverts throws
/// <see cref="RpcException"/>.
/// </summary>
public abstract class ContractBinding
{
    /// <summary>Binds the contract at <paramref name="address"/>.</summary>
    protected ContractBinding(JsonRpcClient rpc, EthAddress address)
    {
        Rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Address = address;
    }

    /// <summary>The contract address.</summary>
    public EthAddress Address { get; }

    /// <summary>The RPC client every call goes through.</summary>
    protected JsonRpcClient Rpc { get; }

    /// <summary>Calls <paramref name="signature"/> with <paramref name="arguments"/> and decodes the <paramref name="returns"/> types.</summary>
    protected async Task<object?[]> CallAsync(string signature, string returns, CancellationToken cancellationToken, params object?[] arguments)
    {
        var result = await Rpc.EthCallAsync(Address, Abi.EncodeCall(signature, arguments), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Abi.Decode(returns, result);
    }
}
