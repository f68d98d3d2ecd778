using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
// System.Numerics is a global using of this project; here every big integer is BouncyCastle's.
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace IExecSecrets.Core.Tests.Crypto;

/// <summary>
/// The module's secp256k1 code before it moved onto NBitcoin.Secp256k1 (BouncyCastle big integers, RFC 6979 nonces,
/// low-s), kept in the tests only as an independent oracle: the new signer must give the same bytes on random keys.
/// </summary>
internal static class BouncyCastleSecp256k1
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    /// <summary>True when <paramref name="privateKey"/> is 32 bytes and in [1, n-1].</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32) return false;
        var d = new BigInteger(1, privateKey.ToArray());
        return d.SignValue > 0 && d.CompareTo(Curve.N) < 0;
    }

    /// <summary>The 65-byte uncompressed public key (0x04 ‖ X ‖ Y) of a private key.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey)
    {
        var d = new BigInteger(1, privateKey.ToArray());
        return Domain.G.Multiply(d).Normalize().GetEncoded(false);
    }

    /// <summary>Signs a 32-byte digest as is (no prefixing) and returns a recoverable signature with v = 27/28.</summary>
    public static Signature Sign(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> privateKey)
    {
        if (digest32.Length != 32) throw new ArgumentException("Expected a 32-byte digest.", nameof(digest32));
        var hash = digest32.ToArray();
        var n = Curve.N;
        var d = new BigInteger(1, privateKey.ToArray());
        // ECDSA by hand over BouncyCastle's primitives (rather than ECDsaSigner) because the signer hides the point R,
        // and R's y parity is the recovery id: without it every signature needs up to two public-key recoveries,
        // which made signing several times slower. The nonce is the same RFC 6979 HMAC-SHA256 k ECDsaSigner uses.
        var nonces = new HMacDsaKCalculator(new Sha256Digest());
        nonces.Init(n, d, hash);
        var e = new BigInteger(1, hash); // a 256-bit digest needs no truncation for a 256-bit order
        while (true)
        {
            var k = nonces.NextK();
            var point = BaseMultiplier.Multiply(Domain.G, k).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(n);
            if (r.SignValue == 0) continue;
            var s = k.ModInverse(n).Multiply(e.Add(d.Multiply(r))).Mod(n);
            if (s.SignValue == 0) continue;
            var recoveryId = point.AffineYCoord.TestBitZero() ? 1 : 0;
            // Low-s (EIP-2): using n - s negates R, which flips the parity of its y.
            if (s.CompareTo(HalfN) > 0)
            {
                s = n.Subtract(s);
                recoveryId ^= 1;
            }
            return new Signature(r.ToByteArrayUnsigned().PadLeft(32), s.ToByteArrayUnsigned().PadLeft(32), (byte)(27 + recoveryId));
        }
    }

    /// <summary>Recovers the 65-byte uncompressed public key that produced <paramref name="signature"/> over the digest.</summary>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> digest32, Signature signature)
    {
        if (signature.V is not (27 or 28)) throw new FormatException("Signature v must be 27 or 28.");
        var r = new BigInteger(1, signature.R);
        var s = new BigInteger(1, signature.S);
        if (r.SignValue <= 0 || r.CompareTo(Curve.N) >= 0 || s.SignValue <= 0 || s.CompareTo(Curve.N) >= 0)
            throw new FormatException("Signature r or s out of range.");
        var point = RecoverPoint(digest32.ToArray(), r, s, signature.RecoveryId)
            ?? throw new FormatException("No public key can be recovered from this signature.");
        return point.GetEncoded(false);
    }

    /// <summary>Recovers the signer's address.</summary>
    public static EthAddress RecoverAddress(ReadOnlySpan<byte> digest32, Signature signature) =>
        EthAddress.FromPublicKey(RecoverPublicKey(digest32, signature));

    // SEC 1 v2 §4.1.6, restricted to x = r (j = 0): r ≥ p - n never happens on secp256k1 in practice.
    private static ECPoint? RecoverPoint(byte[] hash, BigInteger r, BigInteger s, int recId)
    {
        var n = Curve.N;
        var prime = Curve.Curve.Field.Characteristic;
        if (r.CompareTo(prime) >= 0) return null;
        var compressed = new byte[33];
        compressed[0] = (byte)(recId == 0 ? 0x02 : 0x03);
        r.ToByteArrayUnsigned().PadLeft(32).CopyTo(compressed, 1);
        ECPoint rPoint;
        try { rPoint = Curve.Curve.DecodePoint(compressed); }
        catch (ArgumentException) { return null; }
        if (!rPoint.Multiply(n).IsInfinity) return null;
        var e = new BigInteger(1, hash);
        var rInv = r.ModInverse(n);
        var u1 = e.Negate().Mod(n).Multiply(rInv).Mod(n);
        var u2 = s.Multiply(rInv).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Domain.G, u1, rPoint, u2).Normalize();
        return q.IsInfinity ? null : q;
    }
}

internal static class ReferencePadding
{
    public static byte[] PadLeft(this byte[] bytes, int length)
    {
        if (bytes.Length == length) return bytes;
        if (bytes.Length > length) throw new ArgumentException("Value longer than its field.");
        var padded = new byte[length];
        bytes.CopyTo(padded, length - bytes.Length);
        return padded;
    }
}
