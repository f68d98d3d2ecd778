using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// A send that failed, or ended pending, after its calldata left this process: <see cref="Exposure"/> says how far,
/// so a caller whose calldata carries a signed order (<c>matchOrders</c>) knows whether that order must be cancelled.
/// Failures before the gas estimate (chain id, nonce, fee cap) are plain <see cref="IExecException"/>s: nothing of
/// the call was sent anywhere.
/// </summary>
public sealed class TransactionException : IExecException
{
    /// <summary>Creates the exception; see <see cref="IExecException"/> for the other arguments.</summary>
    public TransactionException(TransactionExposure exposure, string errorId, string message, object? target = null, Exception? inner = null)
        : base(errorId, message, target, inner)
    {
        Exposure = exposure;
    }

    /// <summary>How far the call went.</summary>
    public TransactionExposure Exposure { get; }
}

/// <summary>How far a failed transaction's content went.</summary>
public enum TransactionExposure
{
    /// <summary>The node saw the calldata in <c>eth_estimateGas</c>; nothing was signed.</summary>
    CalldataToNode,

    /// <summary>The signed transaction was handed to the node: it may be mined unless its nonce is taken by another.</summary>
    SignedToNode,
}
