using System.Numerics;

namespace IExecSecrets.Core.Chain;

/// <summary>A mined transaction's receipt. <see cref="Succeeded"/> is the EIP-658 status; a deployment has <see cref="ContractAddress"/>.</summary>
public sealed record Receipt(
    string TransactionHash,
    long BlockNumber,
    bool Succeeded,
    EthAddress? From,
    EthAddress? To,
    EthAddress? ContractAddress,
    BigInteger GasUsed,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>The logs whose topic0 is <paramref name="topic0"/>, optionally only those emitted by <paramref name="emitter"/>.</summary>
    public IEnumerable<LogEntry> LogsOf(byte[] topic0, EthAddress? emitter = null) =>
        Logs.Where(log => log.Is(topic0) && (emitter is null || log.Address == emitter.Value));
}
