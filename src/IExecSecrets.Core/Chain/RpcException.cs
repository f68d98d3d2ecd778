using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// A JSON-RPC error object the node returned (<see cref="Code"/>, message, optional <see cref="Data"/>). The node
/// answered, so this is never retried; its id is <see cref="ErrorIds.RpcError"/>.
/// </summary>
public sealed class RpcException : IExecException
{
    /// <summary>Wraps the node's error for <paramref name="method"/>.</summary>
    public RpcException(string method, long code, string nodeMessage, string? data)
        : base(ErrorIds.RpcError, $"The RPC node rejected {method}: {nodeMessage} (code {code}).", method)
    {
        Code = code;
        // The node writes this text freely: cleaned of terminal control characters like the message quoting it.
        NodeMessage = Text.ForeignText.Clean(nodeMessage);
        Data = data;
    }

    /// <summary>The JSON-RPC error code (3 = execution reverted on geth/anvil, -32000 generic, …).</summary>
    public long Code { get; }

    /// <summary>The node's own message.</summary>
    public string NodeMessage { get; }

    /// <summary>The error's <c>data</c> member: revert data as hex when the node gives it, else raw JSON text or null.</summary>
    public new string? Data { get; }

    /// <summary>The revert payload bytes when <see cref="Data"/> is hex, else empty.</summary>
    public byte[] RevertData => Data is { } d && Crypto.Hex.IsHex(d) ? Crypto.Hex.Decode(d) : [];
}
