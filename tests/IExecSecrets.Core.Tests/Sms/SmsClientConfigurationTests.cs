namespace IExecSecrets.Core.Tests.Sms;

public sealed class SmsClientConfigurationTests
{
    private static readonly EthAddress Requester = EthAddress.Parse("0xfcad0b19bb29d4674531d6f115237e16afce377c");

    [Theory]
    [InlineData("http://sms.example.com")]
    [InlineData("http://192.168.1.20:13300")]
    public void Constructor_PlainHttpToRemoteHost_ThrowsInsecureSmsUrl(string url)
    {
        var error = Assert.Throws<IExecException>(() => new SmsClient(new Uri(url)));

        Assert.Equal(ErrorIds.InsecureSmsUrl, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("https://sms.iex.ec")]
    public void Constructor_HttpsOrLoopback_Accepted(string url)
    {
        using var client = new SmsClient(new Uri(url));

        Assert.StartsWith(new Uri(url).Scheme + "://", client.DisplayUrl);
    }

    [Fact]
    public void Constructor_PlainHttpRemoteWithAllowInsecureHttp_Accepted()
    {
        using var client = new SmsClient(new Uri("http://sms.example.com:13300"), new SmsClientOptions { AllowInsecureHttp = true });

        Assert.Equal("http://sms.example.com:13300", client.DisplayUrl);
    }

    [Fact]
    public void Constructor_NotHttp_ThrowsInvalidSmsUrl()
    {
        var error = Assert.Throws<IExecException>(() => new SmsClient(new Uri("ftp://sms.example.com")));

        Assert.Equal(ErrorIds.InvalidSmsUrl, error.ErrorId);
    }

    [Fact]
    public void RequesterSecretUri_UrlWithPathQueryAndCredentials_KeepsOnlyOrigin()
    {
        using var client = new SmsClient(new Uri("https://user:pw@sms.iex.ec/some/path?x=1#f"));

        var uri = client.RequesterSecretUri(Requester, "x1");

        Assert.Equal("https://sms.iex.ec/requesters/0xFCAd0B19bB29D4674531d6f115237E16AfCE377c/secrets/x1", uri.AbsoluteUri);
        Assert.Equal("https://sms.iex.ec", client.DisplayUrl);
    }

    [Fact]
    public void Routes_AllKinds_MatchTheSdkPathsAndSortedQueries()
    {
        using var client = new SmsClient(new Uri("http://127.0.0.1:5000/"));
        var app = EthAddress.Parse("0x1111111111111111111111111111111111111111");

        Assert.Equal("http://127.0.0.1:5000/apps/0x1111111111111111111111111111111111111111/secrets", client.AppSecretUri(app).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5000/secrets/web2?ownerAddress=0xFCAd0B19bB29D4674531d6f115237E16AfCE377c&secretName=iexec-result-encryption-public-key",
            client.Web2SecretUri(Requester, "iexec-result-encryption-public-key").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5000/secrets/web3?secretAddress=0x1111111111111111111111111111111111111111", client.Web3SecretUri(app).AbsoluteUri);
    }

    [Fact]
    public void Web2SecretUri_NameWithReservedCharacters_IsPercentEncoded()
    {
        using var client = new SmsClient(new Uri("http://127.0.0.1:5000"));

        var uri = client.Web2SecretUri(Requester, "a b&c=d");

        Assert.EndsWith("&secretName=a%20b%26c%3Dd", uri.AbsoluteUri);
    }

    [Fact]
    public async Task PushRequesterSecretAsync_InvalidName_FailsBeforeAnyConnection()
    {
        using var key = WalletKey.Generate();
        using var client = new SmsClient(new Uri($"http://127.0.0.1:{ClosedPort()}"), new SmsClientOptions { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "bad name", "v"u8.ToArray()));

        Assert.Equal(ErrorIds.InvalidSecretName, error.ErrorId);
    }

    [Fact]
    public async Task RequesterSecretExistsAsync_NothingListening_ThrowsSmsUnreachableWithTheSdkMessage()
    {
        var port = ClosedPort();
        using var client = new SmsClient(new Uri($"http://127.0.0.1:{port}"), new SmsClientOptions { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(Requester, "x1"));

        Assert.Equal(ErrorIds.SmsUnreachable, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ConnectionError, error.Category);
        Assert.Equal($"Connection to http://127.0.0.1:{port} failed with a network error", error.Message);
    }

    // Issue 17: a redirect attack needs a Location to a live target. The "SMS" sends every request (the existence check
    // and the write) to a counting server that would accept the push (404 then 204); a client that followed the 307
    // would report the secret pushed to a host the user never named.
    [Fact]
    public async Task PushRequesterSecretAsync_SmsRedirectsToALiveHost_UnexpectedRedirectAndTheTargetIsNeverCalled()
    {
        using var target = new ScriptedHttpServer().Answer(404, "").Answer(204, "");
        using var sms = new ScriptedHttpServer().Answer(307, "", "text/plain", ("Location", target.Address + $"/requesters/{Requester}/secrets/x1"));
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Url, new SmsClientOptions { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "x1", "value"u8.ToArray()));

        Assert.Equal(ErrorIds.UnexpectedRedirect, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Equal(0, target.RequestCount);
        Assert.Single(sms.Received);
    }

    private static int ClosedPort() => LoopbackPorts.Closed();
}
