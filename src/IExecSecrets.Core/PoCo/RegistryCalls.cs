using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

// Calls shared by the three PoCo registries (same Registry base contract).
internal static class RegistryCalls
{
    public static async Task<bool> IsRegisteredAsync(JsonRpcClient rpc, EthAddress registry, EthAddress entry, CancellationToken cancellationToken)
    {
        var result = await rpc.EthCallAsync(registry, Abi.EncodeCall("isRegistered(address)", entry), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (bool)Abi.Decode("bool", result)[0]!;
    }

    // The registry mints an ERC-721 token whose id is the new contract's address: Transfer(0x0, owner, tokenId).
    public static EthAddress MintedAddress(Receipt receipt, EthAddress registry)
    {
        var mint = receipt.LogsOf(EventTopics.Transfer, registry).FirstOrDefault(log => log.Topics.Count == 4)
            ?? throw new IExecException(ErrorIds.RpcError,
                $"Transaction {receipt.TransactionHash} has no Transfer event from registry {registry}.", receipt.TransactionHash);
        return EthAddress.FromBytes(mint.Topics[3].AsSpan(12));
    }
}
