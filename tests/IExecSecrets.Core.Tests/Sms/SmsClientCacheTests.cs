namespace IExecSecrets.Core.Tests.Sms;

// Each test uses its own cache, so tests running in parallel (and the module's Shared cache) cannot interfere.
public sealed class SmsClientCacheTests
{
    private static readonly Uri Url = new("http://127.0.0.1:13300");
    private static readonly TimeSpan Thirty = TimeSpan.FromSeconds(30);

    [Fact]
    public void Acquire_SameOriginAndOptions_SharesOneClient_EvenWithAnotherPath()
    {
        var cache = new SmsClientCache();

        using var first = cache.Acquire(Url, false, Thirty);
        using var second = cache.Acquire(new Uri("http://127.0.0.1:13300/some/path"), false, Thirty);

        Assert.Same(first.Client, second.Client);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Acquire_AnotherTimeout_GetsAnotherClient()
    {
        var cache = new SmsClientCache();

        using var thirty = cache.Acquire(Url, false, Thirty);
        using var five = cache.Acquire(Url, false, TimeSpan.FromSeconds(5));

        Assert.NotSame(thirty.Client, five.Client);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Acquire_AnotherInsecureHttpChoiceOrOrigin_GetsAnotherClient()
    {
        var cache = new SmsClientCache();

        using var strict = cache.Acquire(Url, false, Thirty);
        using var lax = cache.Acquire(Url, true, Thirty);
        using var otherPort = cache.Acquire(new Uri("http://127.0.0.1:13301"), false, Thirty);
        using var otherScheme = cache.Acquire(new Uri("https://127.0.0.1:13300"), false, Thirty);

        Assert.Equal(4, new[] { strict.Client, lax.Client, otherPort.Client, otherScheme.Client }.Distinct().Count());
    }

    [Fact]
    public void Acquire_AfterTheCachedClientWasDisposed_NeverHandsItOutAgain()
    {
        var cache = new SmsClientCache();
        var first = cache.Acquire(Url, false, Thirty);
        var disposed = first.Client;
        disposed.Dispose();
        first.Dispose();

        using var again = cache.Acquire(Url, false, Thirty);

        Assert.NotSame(disposed, again.Client);
        Assert.False(again.Client.IsDisposed);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ReleasingALease_DoesNotDisposeTheSharedClient()
    {
        var cache = new SmsClientCache();
        var lease = cache.Acquire(Url, false, Thirty);
        var client = lease.Client;

        lease.Dispose();
        lease.Dispose(); // twice: still one release

        using var again = cache.Acquire(Url, false, Thirty);
        Assert.Same(client, again.Client);
        Assert.False(client.IsDisposed);
    }

    [Fact]
    public void Clear_DisposesIdleClientsNow_AndLeasedOnesWhenTheirLastLeaseEnds()
    {
        var cache = new SmsClientCache();
        var idleLease = cache.Acquire(Url, false, Thirty);
        var idle = idleLease.Client;
        idleLease.Dispose();
        var busyLease = cache.Acquire(Url, false, TimeSpan.FromSeconds(5));
        var busy = busyLease.Client;

        cache.Clear();

        Assert.Equal(0, cache.Count);
        Assert.True(idle.IsDisposed);
        Assert.False(busy.IsDisposed); // another runspace's command is still using it
        busyLease.Dispose();
        Assert.True(busy.IsDisposed);
        using var fresh = cache.Acquire(Url, false, TimeSpan.FromSeconds(5));
        Assert.NotSame(busy, fresh.Client);
    }

    [Fact]
    public void Acquire_BeyondMaxEntries_RetiresTheOthers()
    {
        var cache = new SmsClientCache { MaxEntries = 2 };
        var a = cache.Acquire(new Uri("http://127.0.0.1:1"), false, Thirty);
        var clientA = a.Client;
        a.Dispose();
        using var b = cache.Acquire(new Uri("http://127.0.0.1:2"), false, Thirty);

        using var c = cache.Acquire(new Uri("http://127.0.0.1:3"), false, Thirty);

        Assert.Equal(1, cache.Count);
        Assert.True(clientA.IsDisposed);
        Assert.False(b.Client.IsDisposed); // still leased
    }

    [Theory]
    [InlineData("http://sms.example.com", ErrorIds.InsecureSmsUrl)]
    [InlineData("ftp://127.0.0.1", ErrorIds.InvalidSmsUrl)]
    public void Acquire_UrlThePolicyRefuses_ThrowsAndCachesNothing(string url, string errorId)
    {
        var cache = new SmsClientCache();

        var error = Assert.Throws<IExecException>(() => cache.Acquire(new Uri(url), false, Thirty));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Acquire_RelativeUrl_ThrowsInvalidSmsUrl()
    {
        var cache = new SmsClientCache();

        var error = Assert.Throws<IExecException>(() => cache.Acquire(new Uri("sms/path", UriKind.Relative), false, Thirty));

        Assert.Equal(ErrorIds.InvalidSmsUrl, error.ErrorId);
    }
}
