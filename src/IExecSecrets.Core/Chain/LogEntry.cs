namespace IExecSecrets.Core.Chain;

/// <summary>One event log from a receipt: the emitting contract, its indexed topics (topic0 is the event id) and data.</summary>
public sealed record LogEntry(EthAddress Address, IReadOnlyList<byte[]> Topics, byte[] Data, long LogIndex)
{
    /// <summary>True when topic0 equals <paramref name="topic0"/> (see <see cref="EventTopics"/>).</summary>
    public bool Is(ReadOnlySpan<byte> topic0) => Topics.Count > 0 && Topics[0].AsSpan().SequenceEqual(topic0);
}
