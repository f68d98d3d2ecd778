using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;

namespace IExecSecrets.Core.Tests.Wallet;

/// <summary>The module's cancellable scrypt and PBKDF2 against RFC 7914's vectors, BouncyCastle and the BCL.</summary>
public sealed class KeystoreKdfTests
{
    [Theory]
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void Scrypt_Rfc7914Vectors_Match(string password, string salt, int n, int r, int p, string expected)
    {
        var output = new byte[64];

        KeystoreKdf.Scrypt(System.Text.Encoding.ASCII.GetBytes(password), System.Text.Encoding.ASCII.GetBytes(salt), n, r, p, output, CancellationToken.None);

        Assert.Equal(expected, Hex.Encode(output, prefix: false));
    }

    [Fact]
    public void Scrypt_RandomInputs_EqualsBouncyCastle()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            var password = RandomBytes(random, random.Next(0, 40));
            var salt = RandomBytes(random, random.Next(0, 40));
            var n = 1 << random.Next(1, 9);
            var r = random.Next(1, 5);
            var p = random.Next(1, 4);
            var length = random.Next(1, 80);
            var output = new byte[length];

            KeystoreKdf.Scrypt(password, salt, n, r, p, output, CancellationToken.None);

            var expected = SCrypt.Generate(password, salt, n, r, p, length);
            Assert.True(Hex.Encode(expected) == Hex.Encode(output), $"seed {seed}, case {i}: n={n} r={r} p={p} length={length}");
        }
    }

    [Fact]
    public void Pbkdf2_RandomInputs_EqualsTheBcl()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            var password = RandomBytes(random, random.Next(0, 150));
            var salt = RandomBytes(random, random.Next(0, 40));
            var iterations = random.Next(1, 5000);
            var hash = random.Next(2) == 0 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
            var length = random.Next(1, 150);
            var output = new byte[length];

            KeystoreKdf.Pbkdf2(password, salt, iterations, hash, output, CancellationToken.None);

            var expected = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, hash, length);
            Assert.True(Hex.Encode(expected) == Hex.Encode(output), $"seed {seed}, case {i}: c={iterations} {hash.Name} length={length}");
        }
    }

    [Theory]
    [InlineData(131072, 8, 1)]   // ethers v6 / iexec CLI
    [InlineData(262144, 8, 1)]   // geth standard, web3.py
    [InlineData(4096, 8, 6)]     // geth light
    [InlineData(8192, 8, 1)]     // MyEtherWallet
    [InlineData(65536, 1, 1)]    // r = 1 with n = 2^16, which BouncyCastle refuses with an ArgumentException
    public void CheckScrypt_ParametersRealWalletsWrite_AreAccepted(int n, int r, int p)
    {
        Assert.Null(KeystoreKdf.CheckScrypt(n, r, p));
    }

    [Theory]
    [InlineData(32768, 1, 16384, "p")]
    [InlineData(1L << 30, 8, 1, "128·n·r")]
    [InlineData(262144, 8, 4, "n·r·p")]
    [InlineData(1000, 8, 1, "power of two")]
    [InlineData(0, 8, 1, "power of two")]
    [InlineData(-1024, 8, 1, "power of two")]
    [InlineData(1024, 0, 1, "r")]
    [InlineData(1024, 1000, 1, "r")]
    [InlineData(1024, 8, 0, "p")]
    // Issue 13, item 9: 128·n·r and n·r·p wrap around in 64-bit arithmetic (2^70 → 0, 2^63 → negative), which passed
    // the unchecked bounds; only the KDF's own int arguments stopped them.
    [InlineData(1L << 57, 64, 1, "128·n·r = 1180591620717411303424")]
    [InlineData(1L << 62, 2, 1, "128·n·r")]
    [InlineData(1L << 61, 64, 64, "128·n·r")]
    public void CheckScrypt_HostileParameters_NameTheParameter(long n, long r, long p, string named)
    {
        var problem = KeystoreKdf.CheckScrypt(n, r, p);

        Assert.NotNull(problem);
        Assert.Contains(named, problem);
    }

    // The bounds of a keystore's pbkdf2 iteration count, at both edges (a hostile file may name any number).
    [Theory]
    [InlineData(1L, true)]
    [InlineData(262144L, true)]
    [InlineData(1L << 22, true)]
    [InlineData((1L << 22) + 1, false)]
    [InlineData(0L, false)]
    [InlineData(-5L, false)]
    [InlineData(long.MaxValue, false)]
    public void CheckPbkdf2_IterationsFromOneTo2Pow22_AreAccepted(long iterations, bool accepted) =>
        Assert.Equal(accepted, KeystoreKdf.CheckPbkdf2(iterations) is null);

    [Fact]
    public void Scrypt_CancelledBeforehand_DoesNoWork()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            KeystoreKdf.Scrypt("pw"u8, "salt"u8, 1 << 18, 8, 2, new byte[32], cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            KeystoreKdf.Pbkdf2("pw"u8, "salt"u8, KeystoreKdf.MaxPbkdf2Iterations, HashAlgorithmName.SHA512, new byte[32], cancelled.Token));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
