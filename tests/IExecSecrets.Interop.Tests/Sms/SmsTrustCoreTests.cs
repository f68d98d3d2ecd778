using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>
/// The Core SMS client against the dev SMS in its hostile modes: a push is reported pushed only when this push stored
/// the value (an existing secret plus a 500 is a failure, not a reconciliation), a redirect is never followed, and a
/// 200 with an HTML page is not the SMS's 204.
/// </summary>
public sealed class SmsTrustCoreTests
{
    private static readonly EthAddress Resource = EthAddress.Parse("0x2222222222222222222222222222222222222222");

    public static TheoryData<string> Kinds() => ["requester", "app", "web2", "web3"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Push_ExistingSecretAndThePostAnswers500_SecretAlreadyExistsAndTheValueIsUnchanged(string kind)
    {
        using var key = WalletKey.Generate();
        await using var sms = await StartAsync(key, DevSmsFaultKind.ExistingThenServerError, includeReads: false);
        using var client = new SmsClient(sms.Uri, Fast());
        var first = await PushAsync(client, key, kind, "first");

        var error = await Assert.ThrowsAsync<IExecException>(() => PushAsync(client, key, kind, "second"));

        Assert.False(first.Reconciled);
        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.Equal("first"u8.ToArray(), await StoredAsync(sms, key, kind));
        Assert.Equal(1, sms.Server.Requests.Count(r => r.Method == "POST"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Push_AnswerLostAfterTheWriteOfAnAbsentSecret_StillReconciled(string kind)
    {
        // The legitimate case reconciliation exists for: absent at the HEAD, stored by this POST, answer lost.
        using var key = WalletKey.Generate();
        var faults = new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.ServerError], AfterWriteShare = 1, IncludeReads = false };
        await using var sms = await DevSmsHost.StartAsync(faults, new Dictionary<EthAddress, EthAddress> { [Resource] = key.Address });
        using var client = new SmsClient(sms.Uri, Fast());

        var result = await PushAsync(client, key, kind, "mine");

        Assert.True(result.Reconciled);
        Assert.Equal("mine"u8.ToArray(), await StoredAsync(sms, key, kind));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Push_RedirectedToALoginPage_UnexpectedRedirectAndTheTargetNeverCalled(string kind)
    {
        using var key = WalletKey.Generate();
        await using var sms = await StartAsync(key, DevSmsFaultKind.Redirect, includeReads: false);
        using var client = new SmsClient(sms.Uri, Fast());

        var error = await Assert.ThrowsAsync<IExecException>(() => PushAsync(client, key, kind, "v"));

        Assert.Equal(ErrorIds.UnexpectedRedirect, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
        Assert.Equal(0, sms.Server.RedirectTargetHits);
        Assert.Null(await StoredAsync(sms, key, kind));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Push_ProxyAnswersWithAnHtml200_SmsUnexpectedStatusAndNothingStored(string kind)
    {
        using var key = WalletKey.Generate();
        await using var sms = await StartAsync(key, DevSmsFaultKind.ProxyHtmlPage, includeReads: false);
        using var client = new SmsClient(sms.Uri, Fast());

        var error = await Assert.ThrowsAsync<IExecException>(() => PushAsync(client, key, kind, "v"));

        Assert.Equal(ErrorIds.SmsUnexpectedStatus, error.ErrorId);
        Assert.Null(await StoredAsync(sms, key, kind));
    }

    [Fact]
    public async Task ExistsAndTeeFramework_ProxyAnswersEverythingWithAnHtml200_NotReadAsAnSmsAnswer()
    {
        using var key = WalletKey.Generate();
        await using var sms = await StartAsync(key, DevSmsFaultKind.ProxyHtmlPage, includeReads: true);
        using var client = new SmsClient(sms.Uri, Fast());

        var exists = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(key.Address, "x1"));
        var framework = await Assert.ThrowsAsync<IExecException>(() => client.GetTeeFrameworkAsync());

        Assert.Equal(ErrorIds.SmsUnexpectedStatus, exists.ErrorId);
        Assert.Equal(ErrorIds.SmsUnexpectedStatus, framework.ErrorId);
    }

    private static Task<DevSmsHost> StartAsync(WalletKey owner, DevSmsFaultKind kind, bool includeReads) =>
        DevSmsHost.StartAsync(
            new DevSmsFaults { Rate = 1, Kinds = [kind], IncludeReads = includeReads, AfterWriteShare = 0 },
            new Dictionary<EthAddress, EthAddress> { [Resource] = owner.Address });

    private static Task<SmsPushResult> PushAsync(SmsClient client, WalletKey key, string kind, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return kind switch
        {
            "requester" => client.PushRequesterSecretAsync(key, "x1", bytes),
            "app" => client.PushAppSecretAsync(key, Resource, bytes),
            "web2" => client.PushWeb2SecretAsync(key, "x1", bytes, update: false),
            _ => client.PushWeb3SecretAsync(key, Resource, bytes),
        };
    }

    private static Task<byte[]?> StoredAsync(DevSmsHost sms, WalletKey key, string kind) => kind switch
    {
        "requester" => sms.Server.GetRequesterSecretAsync(key.Address, "x1"),
        "app" => sms.Server.GetAppSecretAsync(Resource),
        "web2" => sms.Server.GetWeb2SecretAsync(key.Address, "x1"),
        _ => sms.Server.GetWeb3SecretAsync(Resource),
    };

    private static SmsClientOptions Fast() => new()
    {
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };
}
