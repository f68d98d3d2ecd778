using System.Text;
using IExecSecrets.Core.Sms;
using IExecSecrets.Core.Wallet;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Core.Tests.Sms;

/// <summary>
/// <see cref="SmsClient"/> against a scripted SMS double in this process: the routes, methods and bodies it sends and
/// what it makes of each answer. Expected statuses are iexec-sms's own (its controllers answer 204 for "stored" and
/// "exists", 404 for "absent", 409 for a write-once secret already set, 401 for a signature it refuses), and the
/// routes are iexec-sdk's (<c>/requesters/{address}/secrets/{name}</c>, <c>/apps/{address}/secrets</c>,
/// <c>/secrets/web2?ownerAddress=…&amp;secretName=…</c>, <c>/secrets/web3?secretAddress=…</c>), as restated in the
/// protocol notes, not read from the client. The wire format against the official SDK is in DifferentialTests; the
/// real dev SMS in the Interop and Module projects.
/// </summary>
public sealed class SmsClientExchangeTests : IDisposable
{
    // anvil's published test key #3: a devnet key, public by design.
    private readonly WalletKey _signer = WalletKey.FromHex("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    private readonly ScriptedHttpServer _sms = new();
    private static readonly byte[] Value = "canary-3f9a"u8.ToArray();

    public void Dispose()
    {
        _sms.Dispose();
        _signer.Dispose();
    }

    private SmsClient Client(int retries = 2) => new(_sms.Url, new SmsClientOptions
    {
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
    });

    // Answers by method, one script per method (the last answer of a script repeats).
    private void Script(int[] head, int[]? post = null, int[]? put = null)
    {
        var counts = new Dictionary<string, int>();
        _sms.Reply = request =>
        {
            var script = request.Method switch { "HEAD" => head, "POST" => post, "PUT" => put, _ => null };
            if (script is null) return (599, "");
            lock (counts)
            {
                var n = counts.GetValueOrDefault(request.Method);
                counts[request.Method] = n + 1;
                return (script[Math.Min(n, script.Length - 1)], "");
            }
        };
    }

    private string[] Lines => _sms.Received.Select(r => $"{r.Method} {r.Target}").ToArray();

    private string RequesterPath(string name) => $"/requesters/{_signer.Address}/secrets/{name}";

    [Fact]
    public async Task PushRequesterSecret_Absent_HeadThenPostOfTheValueAsText()
    {
        Script(head: [404], post: [204]);
        using var client = Client();

        var result = await client.PushRequesterSecretAsync(_signer, "x1", Value);

        Assert.Equal([$"HEAD {RequesterPath("x1")}", $"POST {RequesterPath("x1")}"], Lines);
        var post = _sms.Received.Last();
        Assert.Equal(Value, post.Body);
        Assert.StartsWith("text/plain", post.Header("Content-Type"));
        Assert.False(string.IsNullOrEmpty(post.Header("Authorization")));
        Assert.Null(_sms.Received.First().Header("Authorization"));
        Assert.Equal(SmsSecretKind.Requester, result.Kind);
        Assert.Equal("x1", result.Name);
        Assert.False(result.Reconciled);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task PushRequesterSecret_AlreadySet_FailsWithoutSendingTheValue()
    {
        Script(head: [204], post: [204]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));

        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.Equal("x1", error.Target);
        Assert.Equal([$"HEAD {RequesterPath("x1")}"], Lines);
    }

    [Fact]
    public async Task PushRequesterSecret_ConflictOnTheFirstPost_IsAlreadyExistsNotPushed()
    {
        // Absent at the HEAD, set by someone else before the POST: the 409 answers this push's only attempt.
        Script(head: [404], post: [409]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));

        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.Equal(1, _sms.Received.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task PushRequesterSecret_ServerErrorThenStored_IsReconciledByAskingAgainNotBySendingAgain()
    {
        // The POST's answer is a 500 (the value may have landed); the next check finds it stored: pushed, reconciled,
        // and the value went out once.
        Script(head: [404, 204], post: [500, 204]);
        using var client = Client();

        var result = await client.PushRequesterSecretAsync(_signer, "x1", Value);

        Assert.True(result.Reconciled);
        Assert.Equal(1, result.Attempts);
        Assert.Equal([$"HEAD {RequesterPath("x1")}", $"POST {RequesterPath("x1")}", $"HEAD {RequesterPath("x1")}"], Lines);
    }

    [Fact]
    public async Task PushRequesterSecret_ServerErrorAndStillAbsent_IsSentAgainAndCountsEachAttempt()
    {
        Script(head: [404], post: [500, 204]);
        using var client = Client();

        var result = await client.PushRequesterSecretAsync(_signer, "x1", Value);

        Assert.False(result.Reconciled);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _sms.Received.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task PushRequesterSecret_ConflictAnsweringARepeat_IsOurEarlierAttemptReconciled()
    {
        // 500, the check cannot tell (still absent at that instant), the repeat meets 409: the earlier POST landed.
        Script(head: [404], post: [500, 409]);
        using var client = Client();

        var result = await client.PushRequesterSecretAsync(_signer, "x1", Value);

        Assert.True(result.Reconciled);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task PushRequesterSecret_ServerErrorsUntilRetriesAreSpentAndNeverStored_FailsServerError()
    {
        Script(head: [404], post: [503]);
        using var client = Client(retries: 2);

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));

        Assert.Equal(ErrorIds.SmsServerError, error.ErrorId);
        Assert.Equal(3, _sms.Received.Count(r => r.Method == "POST"));
        // The last word is the SMS's state, asked once more after the last failed POST.
        Assert.Equal("HEAD", _sms.Received.Last().Method);
    }

    [Fact]
    public async Task PushRequesterSecret_ServerErrorsUntilRetriesAreSpentButStoredAtTheEnd_IsPushed()
    {
        Script(head: [404, 404, 404, 204], post: [503]);
        using var client = Client(retries: 2);

        var result = await client.PushRequesterSecretAsync(_signer, "x1", Value);

        Assert.True(result.Reconciled);
    }

    [Fact]
    public async Task PushRequesterSecret_Unauthorized_IsNotAuthorizedAndNotRetried()
    {
        Script(head: [404], post: [401]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));

        Assert.Equal(ErrorIds.SmsNotAuthorized, error.ErrorId);
        Assert.Equal(1, _sms.Received.Count(r => r.Method == "POST"));
    }

    [Theory]
    [InlineData(200, "SmsUnexpectedStatus")]
    [InlineData(201, "SmsUnexpectedStatus")]
    [InlineData(400, "SmsBadRequest")]
    [InlineData(403, "SmsUnexpectedStatus")]
    [InlineData(413, "SmsPayloadTooLarge")]
    public async Task PushRequesterSecret_PostAnsweredWithAStatusTheSmsNeverGivesForStored_IsNotPushed(int status, string errorId)
    {
        // A proxy or login page answering 200/201 must not count as "stored": the SMS answers 204.
        Script(head: [404], post: [status]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(1, _sms.Received.Count(r => r.Method == "POST"));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(401)]
    public async Task RequesterSecretExists_AStatusOtherThan204Or404_IsAnErrorNotAnAnswer(int status)
    {
        Script(head: [status]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(_signer.Address, "x1"));

        Assert.Equal(status == 302 ? ErrorIds.UnexpectedRedirect : status == 401 ? ErrorIds.SmsNotAuthorized : ErrorIds.SmsUnexpectedStatus, error.ErrorId);
    }

    [Fact]
    public async Task RequesterSecretExists_TransientFailuresThenAnswer_IsRetried()
    {
        Script(head: [502, 503, 404]);
        using var client = Client(retries: 2);

        Assert.False(await client.RequesterSecretExistsAsync(_signer.Address, "x1"));
        Assert.Equal(3, _sms.Received.Count);
    }

    [Fact]
    public async Task RequesterSecretExists_MoreTransientFailuresThanRetries_FailsServerError()
    {
        Script(head: [503]);
        using var client = Client(retries: 1);

        var error = await Assert.ThrowsAsync<IExecException>(() => client.RequesterSecretExistsAsync(_signer.Address, "x1"));

        Assert.Equal(ErrorIds.SmsServerError, error.ErrorId);
        Assert.Equal(2, _sms.Received.Count);
    }

    [Fact]
    public async Task Client_UrlWithAPath_SendsToTheOriginOnly()
    {
        // The SDK resolves every route against the origin: a path (or a trap in it) in the configured URL is ignored.
        Script(head: [404]);
        using var client = new SmsClient(new Uri(_sms.Url, "/proxy/elsewhere/?x=1"), new SmsClientOptions { MaxRetries = 0 });

        await client.RequesterSecretExistsAsync(_signer.Address, "x1");

        Assert.Equal([$"HEAD {RequesterPath("x1")}"], Lines);
    }

    [Fact]
    public async Task PushAppSecret_Absent_GoesToTheAppRouteAndAConflictIsAlreadySet()
    {
        var app = EthAddress.Parse("0x6dD55D7Bd5685b1cb2144cd3Ec4dde3358Ecfa4c");
        Script(head: [404], post: [204]);
        using var client = Client();

        await client.PushAppSecretAsync(_signer, app, Value);
        Script(head: [404], post: [409]);
        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushAppSecretAsync(_signer, app, Value));

        Assert.Equal([$"HEAD /apps/{app}/secrets", $"POST /apps/{app}/secrets", $"HEAD /apps/{app}/secrets", $"POST /apps/{app}/secrets"], Lines);
        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
    }

    [Fact]
    public async Task PushWeb2Secret_UpdateOfAMissingSecret_IsNotFoundAndAnUpdateIsAPut()
    {
        Script(head: [204], put: [404]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(_signer, "my-key", Value, update: true));

        Assert.Equal(ErrorIds.SecretNotFound, error.ErrorId);
        Assert.Contains($"PUT /secrets/web2?ownerAddress={_signer.Address}&secretName=my-key", Lines);
        Assert.DoesNotContain(Lines, l => l.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushWeb3Secret_Absent_GoesToTheWeb3Route()
    {
        var dataset = EthAddress.Parse("0xc8ec66cfd9a5987C2A017C064107d32E9F0F765e");
        Script(head: [404], post: [204]);
        using var client = Client();

        var result = await client.PushWeb3SecretAsync(_signer, dataset, Value);

        Assert.Equal([$"HEAD /secrets/web3?secretAddress={dataset}", $"POST /secrets/web3?secretAddress={dataset}"], Lines);
        Assert.Equal(SmsSecretKind.Web3, result.Kind);
        Assert.Equal(Encoding.UTF8.GetString(Value), _sms.Received.Last().BodyText);
    }

    [Fact]
    public async Task Errors_NeverCarryTheValue()
    {
        foreach (var status in new[] { 400, 401, 409, 413, 500 })
        {
            Script(head: [404], post: [status]);
            using var client = Client(retries: 0);
            var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "x1", Value));
            Assert.DoesNotContain("canary-3f9a", error.ToString(), StringComparison.Ordinal);
        }
    }

    // GET /tee/framework: iexec-sms answers its TeeFramework enum, which Spring writes as a JSON string; a bare word is
    // tolerated. Anything else (a proxy's login page, another case, an empty or overlong word) is not an SMS answer.
    [Theory]
    [InlineData("\"SCONE\"", "SCONE")]
    [InlineData("GRAMINE", "GRAMINE")]
    [InlineData(" \"TDX\"\n", "TDX")]
    [InlineData("\"A_B\"", "A_B")]
    [InlineData("\"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF\"", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF")]
    public async Task GetTeeFramework_TheEnumAsAJsonStringOrABareWord_IsRead(string body, string expected)
    {
        _sms.Reply = _ => (200, body);
        using var client = Client();

        Assert.Equal(expected, await client.GetTeeFrameworkAsync());
        Assert.Equal(["GET /tee/framework"], Lines);
    }

    [Theory]
    [InlineData("<html><body>Sign in</body></html>")]
    [InlineData("\"scone\"")]
    [InlineData("\"\"")]
    [InlineData("\"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG\"")]
    [InlineData("\"SCONE")]
    [InlineData("SCONE 5")]
    public async Task GetTeeFramework_AnyOtherAnswer_IsSmsUnexpectedStatus(string body)
    {
        _sms.Reply = _ => (200, body);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetTeeFrameworkAsync());

        Assert.Equal(ErrorIds.SmsUnexpectedStatus, error.ErrorId);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(404)]
    public async Task GetTeeFramework_AStatusOtherThan200_IsAnError(int status)
    {
        _sms.Reply = _ => (status, "\"SCONE\"");
        using var client = Client(retries: 0);

        await Assert.ThrowsAsync<IExecException>(() => client.GetTeeFrameworkAsync());
    }

    // SmsClient is public Core API: its own checks hold whoever calls it, before any request (the cmdlets check too).
    [Fact]
    public async Task Push_BadNameOrOversizedValue_FailsBeforeAnyRequest()
    {
        Script(head: [404], post: [204], put: [204]);
        using var client = Client();
        var oversized = new byte[4097];
        Array.Fill(oversized, (byte)'x');

        Assert.Equal(ErrorIds.InvalidSecretName, (await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "a/b", Value))).ErrorId);
        Assert.Equal(ErrorIds.SecretValueTooLarge, (await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(_signer, "ok-name", oversized))).ErrorId);
        Assert.Equal(ErrorIds.InvalidSecretName, (await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(_signer, "", Value, update: false))).ErrorId);
        Assert.Equal(ErrorIds.SecretValueTooLarge, (await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(_signer, "my-key", oversized, update: false))).ErrorId);
        Assert.Empty(Lines);
    }

    // A web2 secret is created only where none exists: without update, an existing one is found by HEAD and its
    // value is never sent.
    [Fact]
    public async Task PushWeb2Secret_ExistingWithoutUpdate_IsSecretAlreadyExistsAndNoValueIsSent()
    {
        Script(head: [204], post: [204], put: [204]);
        using var client = Client();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushWeb2SecretAsync(_signer, "my-key", Value, update: false));

        Assert.Equal(ErrorIds.SecretAlreadyExists, error.ErrorId);
        Assert.DoesNotContain(Lines, l => l.StartsWith("POST", StringComparison.Ordinal) || l.StartsWith("PUT", StringComparison.Ordinal));
    }
}
