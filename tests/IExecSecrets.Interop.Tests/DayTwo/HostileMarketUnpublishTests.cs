using IExecSecrets.Interop.Tests.Market;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// The market may lie about an unpublish: it is a remote party like any other. A market that says it unpublished
/// another order than the one asked for, or several when only the last was asked for, is UnpublishUnconfirmed (no
/// output claims what the market did not confirm); a refusal is UnpublishRefused with the market's reason, shown
/// without its terminal escapes; a "challenge" that is not the market's login is never signed and nothing is sent; an
/// answer lost on the way is reconciled by reading the order back, never by sending the unpublish again.
/// </summary>
public sealed class HostileMarketUnpublishTests : IDisposable
{
    private static readonly string Asked = "0x" + new string('a', 64);
    private readonly RawHttpServer _market = new();
    private readonly string _project = Directory.CreateTempSubdirectory("iexec-daytwo-hostile-market-").FullName;
    private readonly ModuleHost _session;

    public HostileMarketUnpublishTests()
    {
        var chain = new JsonObject
        {
            ["default"] = "hostile",
            ["chains"] = new JsonObject
            {
                ["hostile"] = new JsonObject
                {
                    ["id"] = "134",
                    // No node answers here: an unpublish never needs the chain.
                    ["host"] = "http://127.0.0.1:9",
                    ["hub"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
                    ["native"] = true,
                    ["sms"] = new JsonObject { ["scone"] = "http://127.0.0.1:9" },
                    ["iexecGateway"] = _market.Url.ToString().TrimEnd('/'),
                },
            },
        };
        File.WriteAllText(Path.Combine(_project, "chain.json"), chain.ToJsonString());
        _session = new ModuleHost(location: _project);
        _session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new() { ["k"] = HostedModule.Secure(Hex.Encode(RandomNumberGenerator.GetBytes(32))) });
    }

    [Fact]
    public void MarketThatUnpublishedAnotherOrder_IsUnpublishUnconfirmed_AndNothingIsOutput()
    {
        var other = "0x" + new string('b', 64);
        Serve(put: _ => Json(200, new JsonObject { ["ok"] = true, ["unpublished"] = new JsonArray(other) }));

        var run = _session.Run("Unpublish-IExecAppOrder -OrderHash $h -Confirm:$false", new() { ["h"] = Asked });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.AllErrors);
        Assert.Equal("UnpublishUnconfirmed,IExecSecrets.Commands.UnpublishAppOrderCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"asked to unpublish apporder {Asked} and answered that it unpublished {other}", error.Exception.Message);
        Assert.Equal(Asked, error.TargetObject);
    }

    [Fact]
    public void MarketThatUnpublishedSeveralOrdersForTheLast_IsUnpublishUnconfirmed()
    {
        Serve(put: _ => Json(200, new JsonObject { ["ok"] = true, ["unpublished"] = new JsonArray(Asked, "0x" + new string('c', 64)) }));

        var run = _session.Run("Unpublish-IExecWorkerpoolOrder -Workerpool 0x7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b -Confirm:$false", new());

        Assert.Empty(run.Output);
        Assert.Equal("UnpublishUnconfirmed,IExecSecrets.Commands.UnpublishWorkerpoolOrderCommand", Assert.Single(run.AllErrors).FullyQualifiedErrorId);
        var put = Assert.Single(_market.Requests, r => r.Method == "PUT");
        Assert.Equal("/workerpoolorders?chainId=134", put.Target);
        // As the SDK's unpublishLastWorkerpoolorder sends it: the target, then the checksummed address.
        var pool = EthAddress.Parse("0x7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b").ToString();
        Assert.Equal($$"""{"target":"unpublish_last","workerpool":"{{pool}}"}""", Encoding.UTF8.GetString(put.Body));
    }

    [Fact]
    public void MarketRefusal_IsUnpublishRefused_WithItsReasonCleanOfTerminalEscapes_AndTheNextHashIsStillTried()
    {
        Serve(put: _ => Json(403, new JsonObject { ["ok"] = false, ["error"] = "apporder with orderHash is not published\u001b]0;owned\u0007" }));

        var run = _session.Run("$h, $h | Unpublish-IExecAppOrder -Confirm:$false", new() { ["h"] = Asked });

        Assert.Equal(2, run.AllErrors.Count);
        Assert.All(run.AllErrors, e => Assert.Equal("UnpublishRefused,IExecSecrets.Commands.UnpublishAppOrderCommand", e.FullyQualifiedErrorId));
        Assert.Contains("API error: apporder with orderHash is not published", run.AllErrors[0].Exception.Message);
        Assert.DoesNotContain('\u001b', run.AllErrors[0].Exception.Message);
        Assert.Equal(2, _market.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public void ChallengeThatIsARequestOrder_IsNeverSigned_AndNoUnpublishIsSent()
    {
        Serve(put: _ => Json(200, new JsonObject { ["ok"] = true, ["unpublished"] = new JsonArray(Asked) }),
            challenge: HostileMarket.RequestOrderChallenge(EthAddress.Parse("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"), 134));

        var run = _session.Run("Unpublish-IExecAppOrder -OrderHash $h -Confirm:$false", new() { ["h"] = Asked });

        Assert.Empty(run.Output);
        Assert.Equal("InvalidMarketChallenge,IExecSecrets.Commands.UnpublishAppOrderCommand", Assert.Single(run.AllErrors).FullyQualifiedErrorId);
        Assert.DoesNotContain(_market.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public void LostAnswer_IsReconciledByReadingTheOrderBack_NeverBySendingAgain()
    {
        var status = "canceled";
        Serve(put: _ => [], get: request => request.Path == "/apporders/" + Asked
            ? Json(200, new JsonObject { ["ok"] = true, ["orderHash"] = Asked, ["status"] = status })
            : Json(404, new JsonObject { ["ok"] = false, ["error"] = "not found" }));

        var unpublished = _session.Run("Unpublish-IExecAppOrder -OrderHash $h -Confirm:$false", new() { ["h"] = Asked });
        status = "open";
        var unknown = _session.Run("Unpublish-IExecAppOrder -OrderHash $h -Confirm:$false", new() { ["h"] = Asked });

        Assert.True(unpublished.AllErrors.Count == 0, string.Join(" | ", unpublished.AllErrors));
        Assert.Equal(Asked, Assert.IsType<IExecOrderUnpublication>(Assert.Single(unpublished.Output).BaseObject).OrderHash);
        var error = Assert.Single(unknown.AllErrors);
        Assert.Equal("MarketUnreachable,IExecSecrets.Commands.UnpublishAppOrderCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"whether the market unpublished apporder {Asked} is unknown", error.Exception.Message);
        Assert.Equal(2, _market.Requests.Count(r => r.Method == "PUT"));
    }

    public void Dispose()
    {
        _session.Dispose();
        _market.Dispose();
        DayTwo.DeleteQuietly(_project);
    }

    private void Serve(Func<RawHttpRequest, byte[]> put, JsonObject? challenge = null, Func<RawHttpRequest, byte[]>? get = null) =>
        _market.Respond = request => request.Method switch
        {
            "PUT" => put(request),
            "GET" when request.Path == "/challenge" => Json(200, new JsonObject { ["ok"] = true, ["data"] = challenge ?? HostileMarket.GenuineChallenge("134") }),
            _ => get?.Invoke(request) ?? Json(404, new JsonObject { ["ok"] = false, ["error"] = "not found" }),
        };

    private static byte[] Json(int status, JsonObject body) => RawHttpServer.Answer(status, status == 200 ? "OK" : "Refused", body.ToJsonString());
}
