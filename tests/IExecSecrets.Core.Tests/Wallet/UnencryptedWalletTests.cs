namespace IExecSecrets.Core.Tests.Wallet;

public sealed class UnencryptedWalletTests
{
    [Fact]
    public void ToJsonThenFromJson_RoundTripsTheKey()
    {
        using var key = WalletKey.Generate();

        using var read = UnencryptedWallet.FromJson(UnencryptedWallet.ToJson(key));

        Assert.Equal(key.Address, read.Address);
    }

    [Fact]
    public void FromJson_OnlyPrivateKey_IsEnoughAsForTheCli()
    {
        using var read = UnencryptedWallet.FromJson("""{"privateKey":"0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}""");

        Assert.Equal("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", read.Address.ToString());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"privateKey":"0x12"}""")]
    [InlineData("""{"privateKey":"0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","address":"0x1111111111111111111111111111111111111111"}""")]
    public void FromJson_Invalid_ThrowsInvalidKeystore(string json)
    {
        var error = Assert.Throws<IExecException>(() => UnencryptedWallet.FromJson(json));

        Assert.Equal(ErrorIds.InvalidKeystore, error.ErrorId);
        Assert.DoesNotContain("0123456789abcdef", error.Message);
    }
}
