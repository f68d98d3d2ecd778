using System.Numerics;

namespace IExecSecrets.Core.Orders;

/// <summary>Deal and task ids as PoCo (<c>IexecPoco1Facet._matchOrders</c>) and the SDK (<c>computeTaskId</c>) derive them.</summary>
public static class ExecutionIds
{
    /// <summary>
    /// keccak256(requestorderHash ‖ uint256 consumed), where <paramref name="consumed"/> is the request order's
    /// consumed volume <em>before</em> the match (0 for a fresh order).
    /// </summary>
    public static byte[] DealId(ReadOnlySpan<byte> requestOrderHash, BigInteger consumed) =>
        HashWordPair(requestOrderHash, consumed, nameof(requestOrderHash));

    /// <summary>keccak256(abi.encode(bytes32 dealId, uint256 index)): the id of task <paramref name="index"/> of the deal.</summary>
    public static byte[] TaskId(ReadOnlySpan<byte> dealId, BigInteger index) =>
        HashWordPair(dealId, index, nameof(dealId));

    private static byte[] HashWordPair(ReadOnlySpan<byte> word, BigInteger number, string wordName)
    {
        if (word.Length != 32) throw new ArgumentException("Expected 32 bytes.", wordName);
        Span<byte> preimage = stackalloc byte[64];
        word.CopyTo(preimage);
        TypedDataHasher.EncodeUint256(number).CopyTo(preimage[32..]);
        return Keccak256.Hash(preimage);
    }
}
