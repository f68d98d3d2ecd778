using System.Text;
using IExecSecrets.Core.Sms;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Module.Tests;

/// <summary>
/// The SMS as a liar, through the cmdlets: a push is reported pushed only when this push stored the value. Each
/// hostile double is the dev SMS with a fault mode: an existing secret whose second POST answers 500, a 302 to a login
/// page that answers 200, and an HTML 200 from a proxy in front of the SMS.
/// </summary>
public sealed class SmsTrustTests
{
    private const string Resource = "0x0123456789abcdef0123456789abcdef01234567";
    private static readonly EthAddress Wallet = WalletAddress();

    // Kind, the script pushing one secret with value $v, and how to read that secret back from the dev SMS.
    public static TheoryData<string, string, string> Pushes() => new()
    {
        { "Requester", "Push-IExecRequesterSecret x1 -Value $v -SmsUrl $sms", "PushIExecRequesterSecretCommand" },
        { "App", "Push-IExecAppSecret -App $res -Value $v -SmsUrl $sms", "PushIExecAppSecretCommand" },
        { "Web2", "Push-IExecWeb2Secret x1 -Value $v -SmsUrl $sms", "PushIExecWeb2SecretCommand" },
        { "Dataset", "Push-IExecDatasetSecret $res -Value $v -SmsUrl $sms", "PushIExecDatasetSecretCommand" },
    };

    [Theory]
    [MemberData(nameof(Pushes))]
    public async Task Push_SecretExistsAndThePostAnswers500_IsReportedFailedNotReconciled(string kind, string script, string command)
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.ExistingThenServerError, includeReads: false);
        using var host = ConnectedHost();
        var first = host.Run(script, Vars(sms, "first-value")).ThrowIfFailed();
        Assert.False(((IExecSecretPushResult)Assert.Single(first.Output).BaseObject).Reconciled);

        var second = host.Run(script, Vars(sms, "second-value"));

        Assert.Empty(second.Output);
        Assert.Equal($"SecretAlreadyExists,IExecSecrets.Commands.{command}", second.SingleError().FullyQualifiedErrorId);
        Assert.Equal("first-value", await StoredAsync(sms, kind));
        // The existing secret is found by the HEAD before anything is signed or sent: no second POST at all.
        Assert.Equal(1, sms.Server.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task PipedBatch_SomeSecretsExistAndTheirPostsAnswer500_OnlyTheNewOnesAreReportedPushed()
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.ExistingThenServerError, includeReads: false);
        using var host = ConnectedHost();
        host.Run("'a','c' | Push-IExecWeb2Secret -Value $v -SmsUrl $sms", Vars(sms, "old")).ThrowIfFailed();
        var apps = new[] { Resource, "0x00000000000000000000000000000000000000a1" };
        host.Run("Push-IExecAppSecret -App $res -Value $v -SmsUrl $sms", Vars(sms, "old")).ThrowIfFailed();

        var web2 = host.Run("'a','b','c','d' | Push-IExecWeb2Secret -Value $v -SmsUrl $sms -ThrottleLimit 4", Vars(sms, "new"));
        var app = host.Run("$apps | ForEach-Object { [pscustomobject]@{ App = $_ } } | Push-IExecAppSecret -Value $v -SmsUrl $sms",
            new Dictionary<string, object?>(Vars(sms, "new")) { ["apps"] = apps });

        Assert.Equal(["b", "d"], web2.Output.Select(o => ((IExecSecretPushResult)o.BaseObject).Name).Order());
        Assert.All(web2.Output, o => Assert.False(((IExecSecretPushResult)o.BaseObject).Reconciled));
        Assert.Equal(["a", "c"], web2.Errors.Select(e => (string)e.TargetObject).Order());
        Assert.All(web2.Errors, e => Assert.StartsWith("SecretAlreadyExists,", e.FullyQualifiedErrorId));
        Assert.Equal("old", Text(await sms.Server.GetWeb2SecretAsync(Wallet, "a")));
        Assert.Equal("new", Text(await sms.Server.GetWeb2SecretAsync(Wallet, "b")));
        var pushedApp = (IExecSecretPushResult)Assert.Single(app.Output).BaseObject;
        Assert.False(pushedApp.Reconciled);
        Assert.StartsWith("SecretAlreadyExists,", app.SingleError().FullyQualifiedErrorId);
        Assert.Equal("old", Text(await sms.Server.GetAppSecretAsync(EthAddress.Parse(Resource))));
    }

    [Theory]
    [MemberData(nameof(Pushes))]
    public async Task Push_PostRedirectedToALoginPageAnswering200_IsUnexpectedRedirectAndTheTargetIsNeverCalled(string kind, string script, string command)
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.Redirect, includeReads: false);
        using var host = ConnectedHost();

        var result = host.Run(script, Vars(sms, "value"));

        var error = OnlyError(result, "UnexpectedRedirect", command);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal(0, sms.Server.RedirectTargetHits);
        Assert.Null(await StoredAsync(sms, kind));
        // A redirect is an answer, not an ambiguous failure: the POST is not repeated.
        Assert.Equal(1, sms.Server.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task PipedBatch_EveryRequestRedirected_EachItemFailsWithUnexpectedRedirect()
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.Redirect, includeReads: true);
        using var host = ConnectedHost();

        var result = host.Run("'r1','r2','r3' | Push-IExecRequesterSecret -Value $v -SmsUrl $sms", Vars(sms, "value"));

        Assert.Empty(result.Output);
        Assert.Equal(["r1", "r2", "r3"], result.Errors.Select(e => (string)e.TargetObject).Order());
        Assert.All(result.Errors, e => Assert.StartsWith("UnexpectedRedirect,", e.FullyQualifiedErrorId));
        Assert.Equal(0, sms.Server.RedirectTargetHits);
        Assert.Equal(0, await sms.Server.CountSecretsAsync(SmsSecretKind.Requester));
    }

    [Theory]
    [MemberData(nameof(Pushes))]
    public async Task Push_ProxyAnswersTheWriteWithAnHtml200_IsSmsUnexpectedStatusNotPushed(string kind, string script, string command)
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.ProxyHtmlPage, includeReads: false);
        using var host = ConnectedHost();

        var result = host.Run(script, Vars(sms, "value"));

        var error = OnlyError(result, "SmsUnexpectedStatus", command);
        Assert.Contains("text/html", error.ErrorDetails.Message);
        Assert.Null(await StoredAsync(sms, kind));
    }

    [Fact]
    public async Task PipedBatch_ProxyAnswersEveryRequestWithAnHtml200_NothingIsReportedPushedOrExisting()
    {
        await using var sms = await StartSmsAsync(DevSmsFaultKind.ProxyHtmlPage, includeReads: true);
        using var host = ConnectedHost();

        var result = host.Run("'h1','h2' | Push-IExecRequesterSecret -Value $v -SmsUrl $sms -SkipExisting", Vars(sms, "value"));

        // A 200 to the HEAD is not the SMS's "exists" (204): neither skipped nor pushed, but failed.
        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("SmsUnexpectedStatus,", e.FullyQualifiedErrorId));
    }

    /// <summary>
    /// The dev SMS with <paramref name="kind"/> striking every write (and every read with <paramref name="includeReads"/>).
    /// No fault stores the value first: redirects and HTML pages answer before any store whatever the share, and an
    /// <see cref="DevSmsFaultKind.ExistingThenServerError"/> here is the "already there, then 500" case only.
    /// </summary>
    private static Task<DevSmsHost> StartSmsAsync(DevSmsFaultKind kind, bool includeReads) =>
        DevSmsHost.StartAsync(new DevSmsFaults { Rate = 1, Kinds = [kind], IncludeReads = includeReads, AfterWriteShare = 0 }, Wallet);

    private static ModuleHost ConnectedHost()
    {
        var host = new ModuleHost();
        host.ConnectTestWallet();
        return host;
    }

    /// <summary>Asserts that <paramref name="result"/> wrote no output and one error <paramref name="errorId"/> from <paramref name="command"/>.</summary>
    private static ErrorRecord OnlyError(RunResult result, string errorId, string command)
    {
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.Equal($"{errorId},IExecSecrets.Commands.{command}", error.FullyQualifiedErrorId);
        return error;
    }

    private static Dictionary<string, object?> Vars(DevSmsHost sms, string value) => new()
    {
        ["v"] = ModuleHost.Secure(value),
        ["sms"] = sms.Url,
        ["res"] = Resource,
    };

    private static async Task<string?> StoredAsync(DevSmsHost sms, string kind) => Text(kind switch
    {
        "Requester" => await sms.Server.GetRequesterSecretAsync(Wallet, "x1"),
        "App" => await sms.Server.GetAppSecretAsync(EthAddress.Parse(Resource)),
        "Web2" => await sms.Server.GetWeb2SecretAsync(Wallet, "x1"),
        _ => await sms.Server.GetWeb3SecretAsync(EthAddress.Parse(Resource)),
    });

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static EthAddress WalletAddress()
    {
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        return key.Address;
    }
}
