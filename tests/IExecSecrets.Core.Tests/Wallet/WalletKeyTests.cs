using System.Reflection;

namespace IExecSecrets.Core.Tests.Wallet;

public sealed class WalletKeyTests
{
    private const string KeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("0x" + KeyHex)]
    [InlineData(KeyHex)]
    [InlineData("0X0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("  0x" + KeyHex + "\n")]
    public void FromHex_AnyPrefixAndCase_GivesTheSameAccount(string hex)
    {
        using var key = WalletKey.FromHex(hex);

        Assert.Equal("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", key.Address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("0x" + KeyHex + "00")]
    [InlineData("0xg123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public void FromHex_InvalidKey_ThrowsInvalidPrivateKeyWithoutEchoingIt(string hex)
    {
        var error = Assert.Throws<IExecException>(() => WalletKey.FromHex(hex));

        Assert.Equal(ErrorIds.InvalidPrivateKey, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
        if (hex.Length > 10) Assert.DoesNotContain(hex.Trim()[4..20], error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FromPrivateKey_WrongLength_ThrowsInvalidPrivateKey()
    {
        var error = Assert.Throws<IExecException>(() => WalletKey.FromPrivateKey(new byte[31]));

        Assert.Equal(ErrorIds.InvalidPrivateKey, error.ErrorId);
    }

    [Fact]
    public void FromPrivateKey_CopiesTheCallersBuffer()
    {
        var buffer = Hex.Decode(KeyHex);
        using var key = WalletKey.FromPrivateKey(buffer);

        Array.Clear(buffer);

        Assert.Equal("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", key.Address.ToString());
        Assert.Equal(key.Address, PersonalMessage.Recover("hi"u8, key.SignPersonalMessage("hi"u8)));
    }

    [Fact]
    public void Generate_TwoKeys_AreDistinctAndSignForTheirAddress()
    {
        using var first = WalletKey.Generate();
        using var second = WalletKey.Generate();
        var digest = Keccak256.HashUtf8("order");

        var signature = first.SignDigest(digest);

        Assert.NotEqual(first.Address, second.Address);
        Assert.Equal(first.Address, Secp256k1.RecoverAddress(digest, signature));
    }

    [Fact]
    public void Dispose_ZeroesTheKeyAndBlocksFurtherUse()
    {
        var key = WalletKey.FromHex(KeyHex);
        var field = typeof(WalletKey).GetField("_privateKey", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var storage = (byte[])field.GetValue(key)!;

        key.Dispose();

        Assert.True(key.IsDisposed);
        Assert.All(storage, b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => key.SignDigest(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => key.SignPersonalMessage("x"u8));
        Assert.Throws<ObjectDisposedException>(() => key.CopyPrivateKeyTo(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => key.Address);
        key.Dispose();
    }

    [Fact]
    public void CopyPrivateKeyTo_ReturnsTheKeyBytes()
    {
        using var key = WalletKey.FromHex(KeyHex);
        var destination = new byte[32];

        key.CopyPrivateKeyTo(destination);

        Assert.Equal(KeyHex, Hex.Encode(destination, prefix: false));
        Assert.Throws<ArgumentException>(() => key.CopyPrivateKeyTo(new byte[16]));
    }
}
