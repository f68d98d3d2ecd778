namespace IExecSecrets.Core.Tests.Chain;

// A plain in-memory signer over a published test key, counting its signatures so tests can prove nothing was signed.
internal sealed class TestKeySigner(string privateKeyHex) : IEthSigner
{
    private readonly byte[] _key = Hex.Decode(privateKeyHex);

    public int SignatureCount { get; private set; }

    public Signature? LastSignature { get; private set; }

    public EthAddress Address => EthAddress.FromPublicKey(Secp256k1.PublicKey(_key));

    public Signature SignDigest(ReadOnlySpan<byte> digest32)
    {
        SignatureCount++;
        LastSignature = Secp256k1.Sign(digest32, _key);
        return LastSignature;
    }

    public Signature SignPersonalMessage(ReadOnlySpan<byte> message) => SignDigest(PersonalMessage.Hash(message));
}
