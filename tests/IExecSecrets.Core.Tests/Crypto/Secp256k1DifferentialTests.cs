namespace IExecSecrets.Core.Tests.Crypto;

/// <summary>
/// The NBitcoin.Secp256k1 signer against the module's previous BouncyCastle signer (kept in the tests as an oracle)
/// on random keys and digests. Seeded; the seed is in every failure message so a failing case can be replayed.
/// </summary>
public sealed class Secp256k1DifferentialTests
{
    private const int Cases = 400;

    [Fact]
    public void Sign_RandomKeysAndDigests_EqualsBouncyCastleReference()
    {
        ForRandomKeysAndDigests(Cases, (where, key, digest, _) =>
        {
            var expected = BouncyCastleSecp256k1.Sign(digest, key);
            var actual = Secp256k1.Sign(digest, key);

            Assert.True(expected.ToHex() == actual.ToHex(),
                $"{where}: key {Hex.Encode(key)} digest {Hex.Encode(digest)}: {actual.ToHex()} != {expected.ToHex()}");
        });
    }

    [Fact]
    public void Sign_RandomKeysAndDigests_EqualsNBitcoinsOwnSigner()
    {
        ForRandomKeysAndDigests(Cases, (where, key, digest, _) =>
        {
            using var library = NBitcoin.Secp256k1.ECPrivKey.Create(key);
            Assert.True(library.TrySignECDSA(digest, null, out var recoveryId, out var expected));
            var compact = new byte[64];
            expected!.WriteCompactToSpan(compact);

            var actual = Secp256k1.Sign(digest, key);

            Assert.True(Hex.Encode(compact, prefix: false) + (27 + recoveryId).ToString("x2") == actual.ToHex()[2..],
                $"{where}: key {Hex.Encode(key)} digest {Hex.Encode(digest)}");
        });
    }

    [Fact]
    public void Rfc6979Nonce_RetryAttempts_EqualNBitcoinsNonceFunction()
    {
        // Attempts after the first happen with probability ~2^-128, so they are checked here rather than by signing.
        ForRandomKeysAndDigests(50, (where, key, digest, random) =>
        {
            var attempt = random.Next(0, 4);
            var expected = new byte[32];
            NBitcoin.Secp256k1.RFC6979NonceFunction.Instance.TryGetNonce(expected, digest, key, default, (uint)attempt);
            var actual = new byte[32];

            Secp256k1.Rfc6979Nonce(key, digest, attempt, actual);

            Assert.True(Hex.Encode(expected) == Hex.Encode(actual), $"{where}, attempt {attempt}");
        });
    }

    [Fact]
    public void PublicKeyAndRecovery_RandomKeys_EqualBouncyCastleReference()
    {
        ForRandomKeysAndDigests(Cases, (where, key, digest, _) =>
        {
            var publicKey = Secp256k1.PublicKey(key);
            var signature = BouncyCastleSecp256k1.Sign(digest, key);
            // A signature with the other recovery id recovers some other key: both implementations must agree on it.
            var flipped = signature with { V = signature.V == 27 ? (byte)28 : (byte)27 };

            Assert.True(Hex.Encode(BouncyCastleSecp256k1.PublicKey(key)) == Hex.Encode(publicKey), where);
            Assert.True(Hex.Encode(publicKey) == Hex.Encode(Secp256k1.RecoverPublicKey(digest, signature)), where);
            Assert.True(Hex.Encode(BouncyCastleSecp256k1.RecoverPublicKey(digest, flipped)) == Hex.Encode(Secp256k1.RecoverPublicKey(digest, flipped)), where);
        });
    }

    [Fact]
    public void Recover_HighS_RecoversLikeTheReference()
    {
        // A high-s signature (s' = n - s, v flipped) is malleated but still recoverable; order checks that need
        // low-s do it themselves. Recovery must not silently change meaning with the library.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var key = RandomKey(random);
        var digest = new byte[32];
        random.NextBytes(digest);
        var signature = Secp256k1.Sign(digest, key);
        var s = new System.Numerics.BigInteger(signature.S, isUnsigned: true, isBigEndian: true);
        var high = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var malleated = new Signature(signature.R, high, signature.V == 27 ? (byte)28 : (byte)27);

        Assert.Equal(Hex.Encode(BouncyCastleSecp256k1.RecoverPublicKey(digest, malleated)), Hex.Encode(Secp256k1.RecoverPublicKey(digest, malleated)));
        Assert.Equal(Hex.Encode(Secp256k1.PublicKey(key)), Hex.Encode(Secp256k1.RecoverPublicKey(digest, malleated)));
    }

    public static TheoryData<string, string, byte> BadSignatures() => new()
    {
        { "r zero", new string('0', 64), 27 },
        { "r = n", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 27 },
        { "r max", new string('f', 64), 28 },
        { "v 29", "01" + new string('0', 62), 29 },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public void Recover_OutOfRangeSignature_ThrowsFormatException(string what, string rHex, byte v)
    {
        var signature = new Signature(Hex.Decode(rHex), Hex.Decode("01" + new string('0', 62)), v);

        var error = Record.Exception(() => Secp256k1.RecoverPublicKey(new byte[32], signature));

        Assert.True(error is FormatException, $"{what}: {error?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public void IsValidPrivateKey_Boundaries_MatchTheCurveOrder()
    {
        var n = Hex.Decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        var nMinusOne = Hex.Decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
        var one = new byte[32];
        one[31] = 1;

        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        Assert.False(Secp256k1.IsValidPrivateKey(n));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[31]));
        Assert.True(Secp256k1.IsValidPrivateKey(nMinusOne));
        Assert.True(Secp256k1.IsValidPrivateKey(one));
        Assert.Equal(Hex.Encode(BouncyCastleSecp256k1.PublicKey(nMinusOne)), Hex.Encode(Secp256k1.PublicKey(nMinusOne)));
    }

    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="cases"/> random valid keys and 32-byte digests drawn from one
    /// seeded generator (also handed to the check for its own draws); <c>where</c> names the seed and case for replay.
    /// </summary>
    private static void ForRandomKeysAndDigests(int cases, Action<string, byte[], byte[], Random> check)
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < cases; i++)
        {
            var key = RandomKey(random);
            var digest = new byte[32];
            random.NextBytes(digest);
            check($"seed {seed}, case {i}", key, digest, random);
        }
    }

    private static byte[] RandomKey(Random random)
    {
        var key = new byte[32];
        do random.NextBytes(key);
        while (!BouncyCastleSecp256k1.IsValidPrivateKey(key));
        return key;
    }
}
