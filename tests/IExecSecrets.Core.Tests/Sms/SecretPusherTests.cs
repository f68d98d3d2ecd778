namespace IExecSecrets.Core.Tests.Sms;

/// <summary>
/// The one push path (read, empty check, size check, wallet-key check, push, zero) and the constant-time key
/// comparison it relies on: keys stay keys, values are zeroed whatever happens.
/// </summary>
public sealed class SecretPusherTests
{
    private const string KeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("0x" + KeyHex)]
    [InlineData(KeyHex)]
    [InlineData("0X" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("  0x" + KeyHex + "\n")]
    public void IsKey_TheKeyAsHexText_IsRecognised(string text)
    {
        using var key = WalletKey.FromHex(KeyHex);

        Assert.True(key.IsKey(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("0x" + "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0x" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee")]
    [InlineData("0x" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("x0" + KeyHex)]
    [InlineData("")]
    public void IsKey_AnythingElse_IsNot(string text)
    {
        using var key = WalletKey.FromHex(KeyHex);

        Assert.False(key.IsKey(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void IsKey_TheRawBytes_AreRecognised_AndOneBitOffIsNot()
    {
        using var key = WalletKey.FromHex(KeyHex);
        var raw = Hex.Decode(KeyHex);

        Assert.True(key.IsKey(raw));
        raw[31] ^= 1;
        Assert.False(key.IsKey(raw));
    }

    [Fact]
    public void Read_TheWalletsOwnVaultSecret_IsRefusedBeforeItIsRead()
    {
        using var key = WalletKey.FromHex(KeyHex);
        var pusher = new SecretPusher(key, new VaultSecretRef("MyVault", "iexec-wallet"));
        var reads = 0;

        var error = Assert.Throws<IExecException>(() => pusher.Read("iexec-wallet", new VaultSecretRef("myvault", "IEXEC-WALLET"), () =>
        {
            reads++;
            return Encoding.UTF8.GetBytes("x");
        }));

        Assert.Equal(ErrorIds.WalletKeyPushRefused, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Equal(0, reads);
    }

    [Fact]
    public void Read_AValueEqualToTheKey_IsRefusedAndZeroed_WithoutTheKeyInTheMessage()
    {
        using var key = WalletKey.FromHex(KeyHex);
        var pusher = new SecretPusher(key);
        var value = Encoding.UTF8.GetBytes("0x" + KeyHex);

        var error = Assert.Throws<IExecException>(() => pusher.Read("copy", new VaultSecretRef("V", "copy"), () => value));

        Assert.Equal(ErrorIds.WalletKeyPushRefused, error.ErrorId);
        Assert.Equal("copy", error.Target);
        Assert.DoesNotContain(KeyHex, error.Message + error.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.All(value, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(0, ErrorIds.EmptySecretValue)]
    [InlineData(4097, ErrorIds.SecretValueTooLarge)]
    public void Read_EmptyOrOversizedValue_IsRefusedAndZeroed(int length, string errorId)
    {
        using var key = WalletKey.FromHex(KeyHex);
        var value = Enumerable.Repeat((byte)'a', length).ToArray();

        var error = Assert.Throws<IExecException>(() => new SecretPusher(key).Read("x1", null, () => value));

        Assert.Equal(errorId, error.ErrorId);
        Assert.All(value, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task PushAsync_ZeroesTheValue_WhenThePushSucceedsAndWhenItFails()
    {
        using var key = WalletKey.FromHex(KeyHex);
        var pusher = new SecretPusher(key);
        byte[] seen = [];
        var first = Encoding.UTF8.GetBytes("value-1");
        var second = Encoding.UTF8.GetBytes("value-2");

        var pushed = await SecretPusher.PushAsync(pusher.Read("x1", null, () => first), (v, _) =>
        {
            seen = v.ToArray();
            return Task.FromResult(true);
        });
        await Assert.ThrowsAsync<IExecException>(() => SecretPusher.PushAsync<bool>(pusher.Read("x2", null, () => second),
            (_, _) => throw new IExecException(ErrorIds.SmsUnreachable, "down")));

        Assert.True(pushed);
        Assert.Equal("value-1", Encoding.UTF8.GetString(seen));
        Assert.All(first, b => Assert.Equal(0, b));
        Assert.All(second, b => Assert.Equal(0, b));
    }
}
