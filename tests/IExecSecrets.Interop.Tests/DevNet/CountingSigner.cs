using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Interop.Tests.DevNet;

// Wraps a signer and counts signatures, so a test can prove that nothing was signed.
internal sealed class CountingSigner(IEthSigner inner) : IEthSigner
{
    public int Count { get; private set; }

    public EthAddress Address => inner.Address;

    public Signature SignDigest(ReadOnlySpan<byte> digest32)
    {
        Count++;
        return inner.SignDigest(digest32);
    }

    public Signature SignPersonalMessage(ReadOnlySpan<byte> message)
    {
        Count++;
        return inner.SignPersonalMessage(message);
    }
}
