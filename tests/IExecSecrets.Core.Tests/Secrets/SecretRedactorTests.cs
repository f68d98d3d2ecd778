using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Core.Tests.Secrets;

/// <summary>
/// The redaction shared by Invoke-IExecEnclaveApp and the dev worker: the raw value and the forms Python and Node.js
/// print strings in are all masked; the real interpreters are exercised by the Enclave tests' echoing apps.
/// </summary>
public sealed class SecretRedactorTests
{
    public static TheoryData<string, string> Forms => new()
    {
        // secret, how an app prints it
        { "s3cret", "ValueError: invalid literal for int() with base 10: 's3cret'" },
        { "it's", "ValueError: invalid literal for int() with base 10: \"it's\"" },                 // repr picks double quotes
        { "a'b\"c", @"ValueError: invalid literal for int() with base 10: 'a\'b""c'" },                // repr escapes '
        { "a'b\"c", @"{""x"":""a'b\""c""}" },                                                         // JSON.stringify escapes "
        { "tab\there", @"'tab\there'" },                                                              // \t
        { "new\nline", @"""new\nline""" },                                                            // \n in JSON
        { "bell\u0007", @"'bell\x07'" },                                                              // repr \xNN
        { "bell\u0007", @"""bell\u0007""" },                                                          // JSON \u00NN
        { "back\\slash", @"'back\\slash'" },
        { "caf\u00e9", "'caf\u00e9'" },                                                               // repr keeps é
        { "caf\u00e9", @"""caf\u00e9""" },                                                            // json.dumps ensure_ascii
        { "caf\u00e9", @"'caf\xe9'" },                                                                // ascii()
        { "\u20ac5", @"""\u20ac5""" },
        { "\u20ac5", @"""\u20AC5""" },                                                                // upper-case hex
        { "\U0001F600x", @"""\ud83d\ude00x""" },                                                      // surrogate pair
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Redact_MasksTheFormsAppsPrintSecretsIn(string secret, string printed)
    {
        var redacted = new SecretRedactor([secret]).Redact("before " + printed + " after");

        Assert.Contains(SecretRedactor.Mask, redacted);
        Assert.StartsWith("before ", redacted, StringComparison.Ordinal);
        Assert.EndsWith(" after", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, redacted);
    }

    [Fact]
    public void Redact_LongerSecretFirst_SoAContainedSecretDoesNotLeaveAPiece()
    {
        var redactor = new SecretRedactor(["abc", "xxabcxx", null, ""]);

        Assert.Equal("*** and ***", redactor.Redact("xxabcxx and abc"));
        Assert.Equal("nothing", new SecretRedactor([]).Redact("nothing"));
        Assert.True(new SecretRedactor([null, ""]).IsEmpty);
    }

    [Fact]
    public void RedactAndTruncate_DropsASecretPrefixLeftByTheCut()
    {
        var redactor = new SecretRedactor(["TOPSECRET"]);

        var cutHere = redactor.RedactAndTruncate("0123456789TOPSxxxxxxxx", 14);            // the cut leaves "TOPS"
        var cutByReader = redactor.RedactAndTruncate("0123456789TOPSEC", 100, truncated: true);

        Assert.Equal("0123456789" + Environment.NewLine + "[truncated]", cutHere);
        Assert.Equal("0123456789" + Environment.NewLine + "[truncated]", cutByReader);
        Assert.Equal("ok *** ok", redactor.RedactAndTruncate("ok TOPSECRET ok", 14));
    }

    [Fact]
    public void FromUtf8_DecodesLikeTheAppEnvironment()
    {
        var redactor = SecretRedactor.FromUtf8([System.Text.Encoding.UTF8.GetBytes("caf\u00e9"), ReadOnlyMemory<byte>.Empty]);

        Assert.Equal("x=***", redactor.Redact("x=caf\u00e9"));
    }

    // Issue 13, item 5: an app that splits its secret with an escape sequence (rendered as TOPSECRET by a terminal) or
    // invisible characters got past the redactor; the text is cleaned first now.
    [Theory]
    [InlineData("TOP\u001b[0mSECRET")]
    [InlineData("TOP\u001b]0;x\u0007SECRET")]
    [InlineData("TOP\u200bSECRET")]
    [InlineData("TOP\u0000SECRET")]
    [InlineData("\u001b[8mTOPSECRET\u001b[0m")]
    public void Redact_SecretSplitByTerminalControlCharacters_IsStillMasked(string printed)
    {
        var redacted = new SecretRedactor(["TOPSECRET"]).Redact("value: " + printed + " end");

        Assert.Equal("value: *** end", redacted);
    }

    [Fact]
    public void Redact_SecretHoldingLineBreaksOrControls_MatchesTheCleanedText()
    {
        Assert.Equal("k=*** .", new SecretRedactor(["line1\r\nline2"]).Redact("k=line1\r\nline2 ."));
        Assert.Equal("k=*** .", new SecretRedactor(["abc\u0001defghij"]).Redact("k=abc\u0001defghij ."));
    }

    // Issue 13, item 9: the dev worker masked a one-character secret inside hex ids: "66***fb50e1b…" beside task
    // 0x663fb50e… gives the secret away by its position.
    [Fact]
    public void Redact_ShortSecret_IsNeverMaskedInsideAHexIdOrAWord_SoItsPositionTellsNothing()
    {
        const string task = "0x663fb50e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6";
        var redactor = new SecretRedactor(["6"]);

        var redacted = redactor.Redact($"task {task} deal 663fb50e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6 value 6, x=6; 16 items\n6");

        Assert.Equal($"task {task} deal 663fb50e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6 value ***, x=***; 16 items\n***", redacted);
        Assert.Equal("hello *** world", new SecretRedactor(["l"]).Redact("hello l world"));
    }

    [Fact]
    public void Redact_LongSecret_IsMaskedInsideWords_ButNotAsAPieceOfAHexId_UnlessItIsTheWholeId()
    {
        const string key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

        Assert.Equal("xx***yy", new SecretRedactor(["TOPSECRET"]).Redact("xxTOPSECRETyy"));
        Assert.Equal("task 0x663fb50e1b2c", new SecretRedactor(["663fb50e"]).Redact("task 0x663fb50e1b2c"));
        Assert.Equal("key 0x***, again ***.", new SecretRedactor([key]).Redact($"key 0x{key}, again {key}."));
        Assert.Equal("***", new SecretRedactor(["0x" + key]).Redact("0x" + key));
    }

    // The whole printed form is masked, not only the part of it that equals the raw value: these forms are what Python
    // 3 (repr, ascii, json.dumps with and without ensure_ascii) and Node.js (JSON.stringify) print for the value, as
    // written by those interpreters (the Enclave tests run the real ones on echoing apps).
    public static TheoryData<string, string> WholeForms => new()
    {
        { "bell\u0007ring", @"'bell\x07ring'" },                 // repr: C0 as \xNN
        { "del\u007fete-me", @"'del\x7fete-me'" },               // repr: DEL as \x7f
        { "bell\u0007ring", @"""bell\u0007ring""" },             // JSON.stringify: C0 as \u00NN
        { "form\ffeed-it", @"""form\ffeed-it""" },               // JSON: \f
        { "back\bspace-it", @"""back\bspace-it""" },             // JSON: \b
        { "tab\there-it", @"'tab\there-it'" },
        { "ret\rurn-it", @"""ret\rurn-it""" },
        { "new\nline-it", @"'new\nline-it'" },
        { "it's-a-secret", @"""it's-a-secret""" },               // repr picks double quotes, leaves ' alone
        { "say \"hi\" now", @"'say ""hi"" now'" },               // repr picks single quotes, leaves " alone
        { "a'b\"c-d-e-f", @"'a\'b""c-d-e-f'" },                  // repr with both: escapes '
        { "a'b\"c-d-e-f", @"""a'b\""c-d-e-f""" },                // JSON: escapes "
        { "café-crème", @"'caf\xe9-cr\xe8me'" },                 // ascii(): \xNN below U+0100
        { "café-crème", @"""caf\u00e9-cr\u00e8me""" },           // json.dumps ensure_ascii
        { "€uro-price", @"'\u20acuro-price'" },                  // ascii(): \uNNNN above U+00FF
        { "€uro-price", @"""\u20ACuro-price""" },                // upper-case hex
        { "back\\slash-it", @"'back\\slash-it'" },
        { "back\bspace-it", @"'back\x08space-it'" },            // repr: \b as \x08 (only JSON writes \b)
        { "form\ffeed-it", @"'form\x0cfeed-it'" },              // repr: \f as \x0c
        { "a b\u0007c-secret", @"'a b\x07c-secret'" },          // repr: the space stays a space
        { "a b\u0007c-secret", @"""a b\u0007c-secret""" },      // JSON: the space stays a space
        { "\u00ffes-secret", @"'\xffes-secret'" },              // ascii(): U+00FF is still \xNN
        { "\u00e9\"x-secret", @"""\u00e9\""x-secret""" },        // json.dumps: ensure_ascii and an escaped quote
        { "caf\u00e9\u0007-secret", "'caf\u00e9\\x07-secret'" },  // repr: keeps é, escapes the bell
    };

    [Theory]
    [MemberData(nameof(WholeForms))]
    public void Redact_MasksThePrintedFormWhole_QuotesAndAllEscapesInside(string secret, string printed)
    {
        var redacted = new SecretRedactor([secret]).Redact("before " + printed + " after");

        Assert.Equal("before " + printed[0] + SecretRedactor.Mask + printed[^1] + " after", redacted);
    }

    [Fact]
    public void Redact_FormOfExactlyTheFreeLength_IsMaskedInsideAWord_OneShorterIsNot()
    {
        Assert.Equal(8, SecretRedactor.MinFreeFormLength);
        Assert.Equal("xx***yy", new SecretRedactor(["abcdefgh"]).Redact("xxabcdefghyy"));
        Assert.Equal("xxabcdefgyy", new SecretRedactor(["abcdefg"]).Redact("xxabcdefgyy"));
    }

    [Fact]
    public void Redact_ShortForm_IsAWholeTokenWhereItsOwnEdgeIsNotALetter()
    {
        // A form that starts or ends with punctuation is whole on that side whatever touches it.
        Assert.Equal("x *** y", new SecretRedactor(["ab-"]).Redact("x ab- y"));
        Assert.Equal("x ***y", new SecretRedactor(["ab-"]).Redact("x ab-y"));
        Assert.Equal("x***y", new SecretRedactor(["-ab-"]).Redact("x-ab-y"));
        Assert.Equal("xab-y", new SecretRedactor(["ab-"]).Redact("xab-y"));
        Assert.Equal("x -aby", new SecretRedactor(["-ab"]).Redact("x -aby"));
        Assert.Equal("***", new SecretRedactor(["ab"]).Redact("ab"));
    }

    [Fact]
    public void Redact_OverlappingMasks_AreOne_AndTheLongerEndWins_WhileTouchingMasksStayTwo()
    {
        // "LONG-VAL" lies inside "SECRET-LONG-VALUE": one mask to the outer end, nothing of the tail left.
        Assert.Equal("***!", new SecretRedactor(["SECRET-LONG-VALUE", "LONG-VAL"]).Redact("SECRET-LONG-VALUE!"));
        // Overlapping and reaching further: one mask over both.
        Assert.Equal("<***>", new SecretRedactor(["AAAABBBB", "BBBBCCCC"]).Redact("<AAAABBBBCCCC>"));
        // Touching, not overlapping: each is masked.
        Assert.Equal("<******>", new SecretRedactor(["AAAAAAAA", "BBBBBBBB"]).Redact("<AAAAAAAABBBBBBBB>"));
    }

    [Fact]
    public void Redact_HexIds_ArePrefixedOrThirtyTwoDigitsAlone()
    {
        const string thirtyTwo = "0123456789abcdef0123456789abcdef";
        // A 32-digit bare run is an id: a piece of it is not masked; 31 digits are not an id: the piece is.
        Assert.Equal("id " + thirtyTwo, new SecretRedactor(["456789ab"]).Redact("id " + thirtyTwo));
        Assert.Equal("id 0123***cdef0123***cde", new SecretRedactor(["456789ab"]).Redact("id " + thirtyTwo[..31]));
        // Glued to a letter after it, a run is no id; glued to a letter before it, neither.
        Assert.Equal("id 0123***cdef0123***cdefg", new SecretRedactor(["456789ab"]).Redact("id " + thirtyTwo + "g"));
        Assert.Equal("id g0123***cdef0123***cdef", new SecretRedactor(["456789ab"]).Redact("id g" + thirtyTwo));
        // 0x with at least one hex digit after it starts an id of any length; "0x" at the very end does not.
        Assert.Equal("t 0x12345678ab", new SecretRedactor(["345678ab"]).Redact("t 0x12345678ab"));
        Assert.Equal("t 0X12345678ab", new SecretRedactor(["345678ab"]).Redact("t 0X12345678ab"));
        Assert.Equal("t 0x***", new SecretRedactor(["12345678ab"]).Redact("t 0x12345678ab"));
        Assert.Equal("t 0x ***", new SecretRedactor(["12345678ab"]).Redact("t 0x 12345678ab"));
        // A form reaching past an id's end is not a piece of it: masked.
        Assert.Equal("t 0x12***", new SecretRedactor(["345678ab zz"]).Redact("t 0x12345678ab zz"));
    }

    [Fact]
    public void RedactAndTruncate_AtTheLimitExactly_IsNotCut_OneMoreIs()
    {
        var redactor = new SecretRedactor(["TOPSECRET"]);

        Assert.Equal("0123456789", redactor.RedactAndTruncate("0123456789", 10));
        Assert.Equal("012345678" + Environment.NewLine + "[truncated]", redactor.RedactAndTruncate("0123456789", 9));
        // Cut where no secret begins: nothing more is dropped.
        Assert.Equal("0123456789xy" + Environment.NewLine + "[truncated]", redactor.RedactAndTruncate("0123456789xyz", 12));
        // Nothing to redact: a cut text still gets its marker.
        Assert.Equal("ab" + Environment.NewLine + "[truncated]", new SecretRedactor([]).RedactAndTruncate("abc", 2));
    }

    [Fact]
    public void Redact_ASecretThatCleansToNothing_MasksNothingElse()
    {
        var redactor = new SecretRedactor(["\u0007\u001b"]);

        Assert.Equal("plain text, a b c", redactor.Redact("plain text, a b c"));
    }

    [Fact]
    public void Redact_TheLongerSecretLaterInTheText_BothMaskedInTextOrder()
    {
        var redactor = new SecretRedactor(["SHORTSECRET", "LONGERSECRETVALUE"]);

        Assert.Equal("xx *** yy *** zz", redactor.Redact("xx SHORTSECRET yy LONGERSECRETVALUE zz"));
    }

    [Theory]
    [InlineData("id 0x")]
    [InlineData("id 0")]
    [InlineData("0x0")]
    [InlineData("x0X")]
    public void Redact_AHexPrefixAtTheEndOfTheText_IsReadSafely(string text) =>
        Assert.Equal(text, new SecretRedactor(["SOMESECRETVALUE"]).Redact(text));

    [Fact]
    public void RedactAndTruncate_ThePrefixCheckUsesTheLongestFormAndAnyForm()
    {
        var redactor = new SecretRedactor(["ab", "TOPSECRETVALUE", "OTHERVALUE"]);

        // The cut leaves ten characters of the longest secret: all of them go.
        Assert.Equal("0123" + Environment.NewLine + "[truncated]", redactor.RedactAndTruncate("0123TOPSECRETVxxxxxxxxxxxxxxxx", 14));
        // A cut shorter than the longest form.
        Assert.Equal("01" + Environment.NewLine + "[truncated]", redactor.RedactAndTruncate("01TOPxxxxx", 5));
        Assert.Equal("01234" + Environment.NewLine + "[truncated]", redactor.RedactAndTruncate("0123456789", 5));
    }
}
