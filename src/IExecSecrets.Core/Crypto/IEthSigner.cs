namespace IExecSecrets.Core.Crypto;

/// <summary>
/// Something that signs as one Ethereum account: a wallet key in memory today, a hardware or remote signer later.
/// SMS clients, order builders and transaction senders take this, never a raw private key.
/// </summary>
public interface IEthSigner
{
    /// <summary>The account address the signatures recover to.</summary>
    EthAddress Address { get; }

    /// <summary>Signs a 32-byte digest as is (EIP-712 digests, transaction hashes).</summary>
    Signature SignDigest(ReadOnlySpan<byte> digest32);

    /// <summary>Signs <paramref name="message"/> with the EIP-191 personal-message prefix (ethers <c>signMessage</c>).</summary>
    Signature SignPersonalMessage(ReadOnlySpan<byte> message);
}
