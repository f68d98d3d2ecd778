using System.Net;
using System.Net.Http.Headers;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>The Core SMS client against the real dev SMS (Kestrel + SQLite), one status path per test.</summary>
public sealed class SmsClientDevSmsTests
{
    private static readonly EthAddress App = EthAddress.Parse("0x7b394eBAE5Cc5794a607bC27A17C6b34E633f190");

    private static SmsClientOptions Fast(int retries = 2) => new()
    {
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task PushRequesterSecretAsync_NewSecret_SendsHeadThenPostAsTheSdkAndStoresTheBytes()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());

        var result = await client.PushRequesterSecretAsync(key, "x1", "välue-1"u8.ToArray());

        Assert.Equal(new SmsPushResult(SmsSecretKind.Requester, key.Address, "x1", Reconciled: false, Attempts: 1), result);
        Assert.Equal(Encoding.UTF8.GetBytes("välue-1"), await sms.Server.GetRequesterSecretAsync(key.Address, "x1"));
        var path = $"/requesters/{key.Address}/secrets/x1";
        Assert.Equal(
            [new DevSmsRequest("HEAD", path, null, false, 0), new DevSmsRequest("POST", path, "text/plain", true, 8)],
            sms.Server.Requests);
        Assert.True(await client.RequesterSecretExistsAsync(key.Address, "x1"));
        Assert.False(await client.RequesterSecretExistsAsync(key.Address, "X1"));
    }

    [Fact]
    public async Task PushRequesterSecretAsync_SecondPush_FailsOnTheHeadWithTheCliMessage()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());
        await client.PushRequesterSecretAsync(key, "x1", "first"u8.ToArray());

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "x1", "second"u8.ToArray()));

        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.Equal(IExecErrorCategory.ResourceExists, error.Category);
        Assert.Equal($"Secret \"x1\" already exists for {key.Address}", error.Message);
        Assert.Equal("x1", error.Target);
        Assert.Equal("HEAD", sms.Server.Requests[^1].Method);
        Assert.Equal("first"u8.ToArray(), await sms.Server.GetRequesterSecretAsync(key.Address, "x1"));
    }

    [Fact]
    public async Task PushRequesterSecretAsync_InvalidNameOrOversizedValue_SendsNothing()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());

        var badName = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "bad name", "v"u8.ToArray()));
        var tooLarge = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "x1", new byte[4097]));
        var badHead = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(key.Address, new string('a', 65)));
        var tooLargeApp = await Assert.ThrowsAsync<IExecException>(() => client.PushAppSecretAsync(key, App, new byte[5000]));

        Assert.Equal(ErrorIds.InvalidSecretName, badName.ErrorId);
        Assert.Equal(ErrorIds.SecretValueTooLarge, tooLarge.ErrorId);
        Assert.Equal(ErrorIds.InvalidSecretName, badHead.ErrorId);
        Assert.Equal(ErrorIds.SecretValueTooLarge, tooLargeApp.ErrorId);
        Assert.Equal(0, sms.Server.RequestCount);
    }

    [Fact]
    public async Task PushRequesterSecretAsync_SignerLyingAboutItsAddress_IsSmsNotAuthorized()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var claimed = WalletKey.Generate();
        using var actual = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());

        var error = await Assert.ThrowsAsync<IExecException>(() =>
            client.PushRequesterSecretAsync(new ImpersonatingSigner(claimed.Address, actual), "x1", "v"u8.ToArray()));

        Assert.Equal(ErrorIds.SmsNotAuthorized, error.ErrorId);
        Assert.Equal(IExecErrorCategory.PermissionDenied, error.Category);
        Assert.False(await client.RequesterSecretExistsAsync(claimed.Address, "x1"));
    }

    [Fact]
    public async Task PushAppSecretAsync_Owner_StoresOnceThenConflictsWithTheCliMessage()
    {
        using var owner = WalletKey.Generate();
        await using var sms = await DevSmsHost.StartAsync(owners: new Dictionary<EthAddress, EthAddress> { [App] = owner.Address });
        using var client = new SmsClient(sms.Uri, Fast());

        var result = await client.PushAppSecretAsync(owner, App, "1;1;1;1"u8.ToArray());
        var exists = await client.AppSecretExistsAsync(App);
        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushAppSecretAsync(owner, App, "other"u8.ToArray()));

        Assert.Equal(new SmsPushResult(SmsSecretKind.App, App, null, false, 1), result);
        Assert.True(exists);
        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.Equal($"Secret already exists for {App} and can't be updated", error.Message);
        Assert.Equal("1;1;1;1"u8.ToArray(), await sms.Server.GetAppSecretAsync(App));
        Assert.Equal($"/apps/{App}/secrets", sms.Server.Requests[0].RawTarget);
        // Stricter than the CLI: a HEAD before every POST, and no POST at all once the secret exists.
        Assert.Equal(["HEAD", "POST", "HEAD", "HEAD"], sms.Server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task PushAppSecretAsync_NotTheOwner_IsNotAllowedWithTheCliMessage()
    {
        using var owner = WalletKey.Generate();
        using var stranger = WalletKey.Generate();
        await using var sms = await DevSmsHost.StartAsync(owners: new Dictionary<EthAddress, EthAddress> { [App] = owner.Address });
        using var client = new SmsClient(sms.Uri, Fast());

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushAppSecretAsync(stranger, App, "v"u8.ToArray()));

        Assert.Equal(ErrorIds.SmsNotAuthorized, error.ErrorId);
        Assert.Equal($"Wallet {stranger.Address} is not allowed to set secret for {App}", error.Message);
        Assert.Equal(App.ToString(), error.Target);
        Assert.False(await client.AppSecretExistsAsync(App));
    }

    [Fact]
    public async Task PushWeb2SecretAsync_PushConflictUpdate_BehavesLikeTheSms()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());

        await client.PushWeb2SecretAsync(key, "My-Token", "one"u8.ToArray(), update: false);
        var existsOtherCase = await client.Web2SecretExistsAsync(key.Address, "my-token");
        var conflict = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(key, "MY-TOKEN", "two"u8.ToArray(), update: false));
        var updated = await client.PushWeb2SecretAsync(key, "my-token", "three"u8.ToArray(), update: true);
        var missing = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(key, "absent", "x"u8.ToArray(), update: true));

        Assert.True(existsOtherCase);
        Assert.Equal(ErrorIds.SecretAlreadyExists, conflict.ErrorId);
        Assert.Equal(SmsSecretKind.Web2, updated.Kind);
        Assert.Equal(ErrorIds.SecretNotFound, missing.ErrorId);
        Assert.Equal("three"u8.ToArray(), await sms.Server.GetWeb2SecretAsync(key.Address, "MY-TOKEN"));
        Assert.Equal(["HEAD", "POST", "HEAD", "HEAD", "PUT", "PUT"], sms.Server.Requests.Select(r => r.Method));
        Assert.Equal($"/secrets/web2?ownerAddress={key.Address}&secretName=My-Token", sms.Server.Requests[1].RawTarget);
    }

    [Fact]
    public async Task PushWeb3SecretAsync_DatasetOwner_StoresOnceAndRefusesOthers()
    {
        var dataset = EthAddress.Parse("0x2222222222222222222222222222222222222222");
        using var owner = WalletKey.Generate();
        using var stranger = WalletKey.Generate();
        await using var sms = await DevSmsHost.StartAsync(owners: new Dictionary<EthAddress, EthAddress> { [dataset] = owner.Address });
        using var client = new SmsClient(sms.Uri, Fast());

        var refused = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb3SecretAsync(stranger, dataset, "k"u8.ToArray()));
        await client.PushWeb3SecretAsync(owner, dataset, "datasetkey"u8.ToArray());
        var conflict = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb3SecretAsync(owner, dataset, "again"u8.ToArray()));

        Assert.Equal(ErrorIds.SmsNotAuthorized, refused.ErrorId);
        Assert.Equal(ErrorIds.SecretAlreadyExists, conflict.ErrorId);
        Assert.True(await client.Web3SecretExistsAsync(dataset));
        Assert.Equal("datasetkey"u8.ToArray(), await sms.Server.GetWeb3SecretAsync(dataset));
    }

    [Fact]
    public async Task GetTeeFrameworkAsync_DevSms_AnswersScone()
    {
        await using var sms = await DevSmsHost.StartAsync();
        using var client = new SmsClient(sms.Uri, Fast());

        Assert.Equal("SCONE", await client.GetTeeFrameworkAsync());
    }

    [Fact]
    public async Task RequesterSecretExistsAsync_ServerAlwaysFails_RetriesThenReportsTheSdkMessage()
    {
        await using var sms = await DevSmsHost.StartAsync(new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.ServerError] });
        using var client = new SmsClient(sms.Uri, Fast(retries: 3));

        var error = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(EthAddress.Zero, "x1"));

        Assert.Equal(ErrorIds.SmsServerError, error.ErrorId);
        Assert.Equal($"Server at {sms.Uri.AbsoluteUri.TrimEnd('/')} encountered an internal error", error.Message);
        Assert.Equal(4, sms.Server.RequestCount);
    }

    [Fact]
    public async Task RequesterSecretExistsAsync_ServerHoldsTheRequest_ReportsSmsTimeout()
    {
        // The timeout is the subject: 5 s (a loaded machine cannot reach it by accident) against an answer held for 60 s.
        await using var sms = await DevSmsHost.StartAsync(new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.Delay], Delay = TimeSpan.FromSeconds(60) });
        using var client = new SmsClient(sms.Uri, new SmsClientOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(5) });

        var error = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(EthAddress.Zero, "x1"));

        Assert.Equal(ErrorIds.SmsTimeout, error.ErrorId);
        Assert.Equal(IExecErrorCategory.OperationTimeout, error.Category);
    }

    [Fact]
    public async Task PushRequesterSecretAsync_AnswerLostAfterTheWrite_IsReconciledWithoutASecondPost()
    {
        var faults = new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.ConnectionReset], AfterWriteShare = 1, IncludeReads = false };
        await using var sms = await DevSmsHost.StartAsync(faults);
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast());

        var result = await client.PushRequesterSecretAsync(key, "x1", "v"u8.ToArray());

        Assert.True(result.Reconciled);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(["HEAD", "POST", "HEAD"], sms.Server.Requests.Select(r => r.Method));
        Assert.Equal(1, await sms.Server.CountSecretsAsync(SmsSecretKind.Requester));
    }

    [Fact]
    public async Task PushRequesterSecretAsync_EveryWriteFailsBeforeStoring_ReportsFailureAndNothingIsStored()
    {
        var faults = new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.ServerError], AfterWriteShare = 0, IncludeReads = false };
        await using var sms = await DevSmsHost.StartAsync(faults);
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, Fast(retries: 2));

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "x1", "v"u8.ToArray()));

        Assert.Equal(ErrorIds.SmsServerError, error.ErrorId);
        Assert.Equal(3, sms.Server.Requests.Count(r => r.Method == "POST"));
        Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, "x1"));
    }

    [Fact]
    public async Task DevSms_RawRequests_AnswerTheIExecSmsStatusesAndBodies()
    {
        using var owner = WalletKey.Generate();
        await using var sms = await DevSmsHost.StartAsync(owners: new Dictionary<EthAddress, EthAddress> { [App] = owner.Address });
        using var http = new HttpClient { BaseAddress = sms.Uri };
        var requesterPath = $"/requesters/{owner.Address}/secrets/x1";
        var big = new byte[4097];

        var (oversized, oversizedBody) = await PostAsync(http, requesterPath, big, Authorize(owner, SmsChallenge.ForRequesterSecret(owner.Address, "x1", big)));
        var (appOversized, _) = await PostAsync(http, $"/apps/{App}/secrets", big, Authorize(owner, SmsChallenge.ForAppSecret(App, big)));
        var (missingAuth, _) = await PostAsync(http, requesterPath, "1"u8.ToArray(), authorization: null);
        var (badRegex, badRegexBody) = await PostAsync(http, "/requesters/" + owner.Address + "/secrets/a.b", "1"u8.ToArray(),
            Authorize(owner, SmsChallenge.ForRequesterSecret(owner.Address, "a.b", "1"u8)));
        var v29 = Hex.Decode(Authorize(owner, SmsChallenge.ForRequesterSecret(owner.Address, "x1", "1"u8)));
        v29[64] = 29;
        var (badV, badVBody) = await PostAsync(http, requesterPath, "1"u8.ToArray(), Hex.Encode(v29));
        var (bodyChanged, _) = await PostAsync(http, requesterPath, "1\n"u8.ToArray(), Authorize(owner, SmsChallenge.ForRequesterSecret(owner.Address, "x1", "1"u8)));
        var (web2Unsigned, web2UnsignedBody) = await PostAsync(http, $"/secrets/web2?ownerAddress={owner.Address}&secretName=n", "1"u8.ToArray(), "0x00");
        using var headNotFound = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, requesterPath));
        using var version = await http.GetAsync("/version");

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":["Secret size should not exceed 4 Kb"]}"""), (oversized, oversizedBody));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, appOversized);
        Assert.Equal(HttpStatusCode.BadRequest, missingAuth);
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":["Secret key should contain at most 64 characters from [0-9A-Za-z-_]"]}"""), (badRegex, badRegexBody));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":["Invalid authorization"]}"""), (badV, badVBody));
        Assert.Equal(HttpStatusCode.Unauthorized, bodyChanged);
        Assert.Equal((HttpStatusCode.Unauthorized, ""), (web2Unsigned, web2UnsignedBody));
        Assert.Equal(HttpStatusCode.NotFound, headNotFound.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(0, await sms.Server.CountSecretsAsync(SmsSecretKind.Requester));
    }

    private static string Authorize(IEthSigner signer, byte[] challenge) => SmsChallenge.Authorization(signer, challenge);

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string path, byte[] body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Claims one address but signs with another key: what a misconfigured wallet looks like to the SMS.</summary>
    private sealed class ImpersonatingSigner(EthAddress claimed, IEthSigner actual) : IEthSigner
    {
        public EthAddress Address => claimed;

        public Signature SignDigest(ReadOnlySpan<byte> digest32) => actual.SignDigest(digest32);

        public Signature SignPersonalMessage(ReadOnlySpan<byte> message) => actual.SignPersonalMessage(message);
    }
}
