using IExecSecrets.Core.Market;
using IExecSecrets.Core.Tests.Execution;
using IExecSecrets.Core.Text;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Core.Tests.Text;

/// <summary>
/// Terminal control characters from other parties never reach a message (issue 13, item 5): the sanitizer itself, then
/// each remote party as a hostile double sending the same payload (an SMS reason phrase, an RPC error message, a market
/// error text, a workerpool API's error text and logs, the on-chain results field).
/// </summary>
public sealed class ForeignTextTests
{
    // Retitles the window, clears the screen, hides what follows, overprints a line, reverses text, rings the bell.
    private const string Payload = "\u001b]0;pwned\u0007\u001b[2J\u001b[8mhidden\u001b[0m\rover\u202Eesrever\u0008\u009b31m\u0007";

    // What a terminal could act on: C0 (but tab/LF where multi-line is meant), DEL, C1, and Unicode format characters.
    private static void AssertPrintable(string? text, bool multiline = false)
    {
        Assert.NotNull(text);
        foreach (var c in text)
        {
            var allowed = multiline && (c == '\n' || c == '\t');
            Assert.False(char.IsControl(c) && !allowed, $"U+{(int)c:X4} in \"{text}\"");
            Assert.NotEqual(System.Globalization.UnicodeCategory.Format, char.GetUnicodeCategory(c));
        }
    }

    [Theory]
    [InlineData("plain text, unchanged: https://sms.iex.ec 0xabc ü 漢字 😀", "plain text, unchanged: https://sms.iex.ec 0xabc ü 漢字 😀")]
    [InlineData("a\u001b[31mred\u001b[0m b", "ared b")]
    [InlineData("x\u001b[?25l\u001b[1;31;4my", "xy")]
    [InlineData("t\u001b]0;title\u0007u", "tu")]
    [InlineData("t\u001b]8;;https://evil\u001b\\link\u001b]8;;\u001b\\u", "tlinku")]
    [InlineData("a\u001bPq#0;1;2\u001b\\b", "ab")]
    [InlineData("a\u001b(Bb\u001bcc\u001b7d", "abcd")]
    [InlineData("a\u009b2Jb\u009d0;t\u009cc", "abc")]
    [InlineData("TOP\u001b[0mSECRET", "TOPSECRET")]
    [InlineData("line1\r\nline2\rline3\nline4\u2028line5\tend", "line1 line2 line3 line4 line5 end")]
    [InlineData("a\u0000b\u0008c\u007fd\u0085e", "abcd e")]
    [InlineData("bidi \u202Egnp.exe\u202C \u2066x\u2069 \u200Bzero\u200D\uFEFF", "bidi gnp.exe x zero")]
    [InlineData("tag \U000E0041\U000E0042 chars", "tag  chars")]
    [InlineData("open osc \u001b]0;never closed", "open osc 0;never closed")]
    [InlineData("esc at end\u001b", "esc at end")]
    public void Clean_RemovesEscapeSequencesControlAndFormatCharacters(string input, string expected)
    {
        Assert.Equal(expected, ForeignText.Clean(input));
        AssertPrintable(ForeignText.Clean(input));
    }

    [Fact]
    public void CleanLines_KeepsLinesAndTabs_ButNoCarriageReturnCanOverprint()
    {
        Assert.Equal("a\nb\nc\n\td", ForeignText.CleanLines("a\r\nb\rc\n\u001b[2K\td"));
        Assert.Equal("", ForeignText.Clean(null));
        Assert.Equal("lone \uFFFD surrogate", ForeignText.Clean("lone " + (char)0xD800 + " surrogate"));
        AssertPrintable(ForeignText.CleanLines(Payload), multiline: true);
        AssertPrintable(ForeignText.Clean(Payload));
    }

    [Fact]
    public void IExecException_CleansItsMessageAndAction_AndKeepsTheTargetForScriptsToMatch()
    {
        var error = new IExecException(ErrorIds.MarketError, "server said " + Payload, "t" + Payload) { RecommendedAction = "do " + Payload };

        AssertPrintable(error.Message);
        AssertPrintable(error.RecommendedAction);
        Assert.Equal("t" + Payload, error.Target);
        Assert.Contains("hidden", error.Message);   // the text stays readable, only the controls go
    }

    [Fact]
    public async Task Sms_ReasonPhraseWithEscapeSequences_NeverReachesTheMessage()
    {
        using var sms = new RawHttpServer { Respond = _ => RawHttpServer.Answer(400, "Bad \u001b]0;pwned\u0007\u001b[2J\u001b[8mRequest", "", "text/plain") };
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Url, new SmsClientOptions { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<IExecException>(() => client.PushRequesterSecretAsync(key, "name", "value"u8.ToArray()));

        Assert.NotEmpty(sms.Requests);
        Assert.Contains("Bad ", error.Message);
        AssertPrintable(error.Message);
    }

    [Fact]
    public async Task Rpc_ErrorMessageWithEscapeSequences_NeverReachesTheMessage()
    {
        await using var node = await HostileRpcProxy.StartAsync(new Uri("http://127.0.0.1:9/"));
        node.Answer = call => call.Error(-32000, "execution reverted" + Payload);
        using var rpc = new JsonRpcClient(node.Url, maxRetries: 0);

        var error = await Assert.ThrowsAsync<RpcException>(() => rpc.ChainIdAsync());

        AssertPrintable(error.Message);
        AssertPrintable(error.NodeMessage);
        Assert.StartsWith("execution reverted", error.NodeMessage);
    }

    [Fact]
    public async Task Market_ErrorTextWithEscapeSequences_NeverReachesTheMessage()
    {
        using var market = new RawHttpServer { Respond = _ => RawHttpServer.Answer(400, "Bad Request", new JsonObject { ["ok"] = false, ["error"] = "invalid" + Payload }.ToJsonString()) };
        using var key = WalletKey.Generate();
        using var client = new MarketClient(market.Url, maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => client.AuthorizeAsync(134, key));

        Assert.Equal(ErrorIds.MarketError, error.ErrorId);
        Assert.StartsWith("API error: invalid", error.Message);
        AssertPrintable(error.Message);
    }

    [Fact]
    public async Task WorkerpoolApi_ErrorTextAndLogsWithEscapeSequences_AreCleaned()
    {
        using var failing = new RawHttpServer { Respond = _ => RawHttpServer.Answer(404, "Not \u001b[2JFound", new JsonObject { ["error"] = "no task" + Payload }.ToJsonString()) };
        using var key = WalletKey.Generate();
        using var client = new TaskLogClient();

        var error = await Assert.ThrowsAsync<IExecException>(() => client.GetLogsAsync(failing.Url, TaskLogClientTests.TaskId, 134, key));

        Assert.StartsWith("API error: no task", error.Message);
        AssertPrintable(error.Message);

        using var lying = new RawHttpServer
        {
            Respond = request => request.Path.EndsWith("/challenge", StringComparison.Ordinal)
                ? RawHttpServer.Answer(200, "OK", TaskLogClientTests.Challenge())
                : RawHttpServer.Answer(200, "OK", new JsonObject
                {
                    ["computeLogsList"] = new JsonArray(new JsonObject { ["walletAddress"] = key.Address.ToString(), ["stdout"] = "line 1\r\nline 2" + Payload, ["stderr"] = Payload }),
                }.ToJsonString()),
        };

        var entry = Assert.Single(await client.GetLogsAsync(lying.Url, TaskLogClientTests.TaskId, 134, key));

        Assert.StartsWith("line 1\nline 2", entry.StandardOutput);
        AssertPrintable(entry.StandardOutput, multiline: true);
        AssertPrintable(entry.StandardError, multiline: true);
    }

    [Fact]
    public void ChainData_ResultsStorageWithEscapeSequences_IsCleanedWhenDecoded()
    {
        var results = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["storage"] = "dropbox" + Payload, ["location"] = "/ipfs/Qm" + Payload }.ToJsonString());

        var (storage, _) = DealWatcher.DecodeResults(results);

        Assert.StartsWith("dropbox", storage);
        AssertPrintable(storage);
    }
}
