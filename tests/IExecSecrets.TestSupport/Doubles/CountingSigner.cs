using IExecSecrets.Core.Crypto;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>Wraps a signer and counts its signatures, so a test can prove that nothing (or exactly one thing) was signed.</summary>
public sealed class CountingSigner(IEthSigner inner) : IEthSigner
{
    private int _count;

    /// <summary>How many digests and personal messages were signed so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public EthAddress Address => inner.Address;

    /// <inheritdoc />
    public Signature SignDigest(ReadOnlySpan<byte> digest32)
    {
        Interlocked.Increment(ref _count);
        return inner.SignDigest(digest32);
    }

    /// <inheritdoc />
    public Signature SignPersonalMessage(ReadOnlySpan<byte> message)
    {
        Interlocked.Increment(ref _count);
        return inner.SignPersonalMessage(message);
    }
}
