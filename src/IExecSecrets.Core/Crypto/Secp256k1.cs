using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace IExecSecrets.Core.Crypto;

/// <summary>
/// secp256k1 signing and recovery with deterministic RFC 6979 nonces (HMAC-SHA256, no extra entropy) and low-s
/// normalisation, so the same key and digest give byte-for-byte the signature ethers gives.
/// </summary>
/// <remarks>
/// The arithmetic is NBitcoin.Secp256k1, the C# port of Bitcoin Core's libsecp256k1: signing multiplies the generator
/// with its constant-time comb and inverts the nonce in constant time, and its RFC 6979 nonce is the one libsecp256k1,
/// ethers and the previous BouncyCastle code all compute (tested against the latter on random keys). The private key
/// is passed in by the caller (<see cref="Wallet.WalletKey"/> keeps it in its own pinned, wipeable buffer); the
/// library's <see cref="ECPrivKey"/> holding a copy is created for one call and cleared right after it. The library
/// clears its own nonce, key bytes and intermediate scalars on the stack.
/// </remarks>
public static class Secp256k1
{
    /// <summary>True when <paramref name="privateKey"/> is 32 bytes and in [1, n-1].</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32) return false;
        var scalar = new Scalar(privateKey, out var overflow);
        var valid = overflow == 0 && !scalar.IsZero;
        Scalar.Clear(ref scalar);
        return valid;
    }

    /// <summary>The 65-byte uncompressed public key (0x04 ‖ X ‖ Y) of a private key.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey)
    {
        using var key = CreateKey(privateKey);
        var output = new byte[65];
        key.CreatePubKey().WriteToSpan(false, output, out _);
        return output;
    }

    /// <summary>Signs a 32-byte digest as is (no prefixing) and returns a recoverable signature with v = 27/28.</summary>
    public static Signature Sign(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> privateKey)
    {
        if (digest32.Length != 32) throw new ArgumentException("Expected a 32-byte digest.", nameof(digest32));
        using var key = CreateKey(privateKey);
        // A null nonce function is libsecp256k1's RFC 6979 HMAC-SHA256 without extra data; the result is low-s and
        // the recovery id is the parity of R's y (flipped with s), as EIP-2 and ethers expect.
        if (!key.TrySignECDSA(digest32, null, out var recoveryId, out var signature) || signature is null)
            throw new CryptographicException("secp256k1 signing failed.");
        // recid bit 1 (R.x ≥ n) has probability ~2^-127 and cannot be expressed as v = 27/28.
        if (recoveryId is not (0 or 1)) throw new CryptographicException("The signature's R point is not expressible with v = 27/28.");
        Span<byte> compact = stackalloc byte[64];
        signature.WriteCompactToSpan(compact);
        return new Signature(compact[..32].ToArray(), compact[32..].ToArray(), (byte)(27 + recoveryId));
    }

    /// <summary>Recovers the 65-byte uncompressed public key that produced <paramref name="signature"/> over the digest.</summary>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> digest32, Signature signature)
    {
        if (digest32.Length != 32) throw new ArgumentException("Expected a 32-byte digest.", nameof(digest32));
        if (signature.V is not (27 or 28)) throw new FormatException("Signature v must be 27 or 28.");
        if (signature.R.Length > 32 || signature.S.Length > 32) throw new FormatException("Signature r or s out of range.");
        Span<byte> compact = stackalloc byte[64];
        signature.R.CopyTo(compact[(32 - signature.R.Length)..32]);
        signature.S.CopyTo(compact[(64 - signature.S.Length)..]);
        var r = new Scalar(compact[..32], out var rOverflow);
        var s = new Scalar(compact[32..], out var sOverflow);
        if (rOverflow != 0 || sOverflow != 0 || r.IsZero || s.IsZero) throw new FormatException("Signature r or s out of range.");
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact, signature.RecoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable, digest32, out var publicKey))
            throw new FormatException("No public key can be recovered from this signature.");
        var output = new byte[65];
        publicKey.WriteToSpan(false, output, out _);
        return output;
    }

    /// <summary>Recovers the signer's address.</summary>
    public static EthAddress RecoverAddress(ReadOnlySpan<byte> digest32, Signature signature) =>
        EthAddress.FromPublicKey(RecoverPublicKey(digest32, signature));

    private static ECPrivKey CreateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32 || !ECPrivKey.TryCreate(privateKey, out var key))
            throw new ArgumentException("The private key must be 32 bytes in [1, n-1].", nameof(privateKey));
        return key;
    }
}
