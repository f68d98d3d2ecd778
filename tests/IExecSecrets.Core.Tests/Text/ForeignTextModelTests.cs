using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Tests.Text;

/// <summary>
/// <see cref="ForeignText"/> against a second, independent statement of what it must do: ECMA-48's escape sequence
/// shapes written as one regular expression, then the control and format characters removed character by character.
/// Random strings are drawn from an alphabet of the boundary bytes of every shape (the first and last parameter,
/// intermediate and final bytes, each introducer and terminator, the C1 forms, line breaks, format characters, lone and
/// paired surrogates), so a range or branch off by one in the sanitizer shows as a difference. The fast path
/// (<see cref="ForeignText.IsClean"/> and the early return) is held to the same model.
/// </summary>
public sealed class ForeignTextModelTests
{
    // Left to right, the first alternative that matches at a position wins, as the sanitizer's scan does (line breaks
    // are the last alternative, so a CR and an LF with a sequence between them stay two breaks):
    // CSI (7-bit or C1): parameter and intermediate bytes 0x20-0x3F, then a final byte 0x40-0x7E if there is one (a
    //   byte outside ends a malformed sequence before it);
    // control strings (OSC, DCS, SOS, PM, APC; 7-bit or C1) up to the first BEL, C1 ST or ESC \ ; unterminated, only
    //   the introducer;
    // nF escapes: intermediates 0x20-0x2F, then a final byte 0x30-0x7E if there is one;
    // Fp/Fe/Fs escapes: one byte 0x30-0x7E; a lone ESC.
    private static readonly Regex Sequence = new(
        @"(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?"
        + @"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x9c|\x1b\\)"
        + @"|\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]"
        + @"|\x1b[\x20-\x2f]+[\x30-\x7e]?"
        + @"|\x1b[\x30-\x7e]?"
        + "|(?<break>\r\n|[\r\n\u0085\u2028\u2029])",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private const string Alphabet =
        "\u001b[]PX^_\\ !/0?@AZa~\u007f\u0007\u0008\u0000\u001f\t\r\n\u0085\u2028\u2029\u0080\u0090\u0098\u009b\u009c\u009d\u009e\u009f"
        + "\u00a0\u00ad\u200b\u200e\u202e\u2066\ufeffé漢;1m#";

    private static string Model(string text, bool multiline)
    {
        // One pass, as a terminal reads: a sequence removed, a line break made one newline (or a space).
        var lines = Sequence.Replace(text, m => m.Groups["break"].Success ? (multiline ? "\n" : " ") : "");
        var output = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var c = lines[i];
            if (c == '\t') output.Append(multiline ? '\t' : ' ');
            else if (c == '\n') output.Append('\n');
            else if (char.IsControl(c)) continue;
            else if (char.IsHighSurrogate(c) && i + 1 < lines.Length && char.IsLowSurrogate(lines[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(lines, i) != UnicodeCategory.Format) output.Append(c).Append(lines[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c)) output.Append('\uFFFD');
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format) output.Append(c);
        }
        return output.ToString();
    }

    private static readonly Gen<string> Foreign = Gen.OneOf(
        Gen.String[Gen.Char[Alphabet], 0, 24],
        Gen.Select(Gen.String[Gen.Char[Alphabet], 0, 12], Gen.Char, Gen.String[Gen.Char[Alphabet], 0, 12], (a, c, b) => a + c + b),
        Gen.Select(Gen.String[Gen.Char[Alphabet], 0, 8], Gen.Char['\ud800', '\udfff'], Gen.Char['\udc00', '\udfff'], (a, high, low) => a + high + low),
        Gen.String[Gen.Char["abc xyz"], 0, 20]);

    private static void Same(string input, string model, string actual) =>
        Assert.True(model == actual, $"input {Show(input)}: model {Show(model)}, ForeignText {Show(actual)}");

    // Code units as U+XXXX, so a failure message is readable (and itself harmless) in any terminal.
    private static string Show(string text) => string.Join(" ", text.Select(c => $"U+{(int)c:X4}"));

    [Fact]
    public void Clean_AgreesWithTheModel_OnRandomStringsOfBoundaryBytes() =>
        Foreign.Sample(text => Same(text, Model(text, multiline: false), ForeignText.Clean(text)), iter: 200_000);

    [Fact]
    public void CleanLines_AgreesWithTheModel_OnRandomStringsOfBoundaryBytes() =>
        Foreign.Sample(text => Same(text, Model(text, multiline: true), ForeignText.CleanLines(text)), iter: 200_000);

    [Fact]
    public void IsClean_IsTrueExactlyWhenTheModelChangesNothing() =>
        Foreign.Sample(text => Assert.True((Model(text, multiline: false) == text) == ForeignText.IsClean(text), $"IsClean of {Show(text)}"), iter: 200_000);

    // Every UTF-16 code unit alone, and between two letters: the fast path may not let one through that the model
    // removes, and may not send one to the slow path for nothing.
    [Fact]
    public void EveryCodeUnit_AloneAndBetweenLetters_IsCleanedAsTheModelSays()
    {
        for (var u = 0; u <= 0xFFFF; u++)
        {
            var c = ((char)u).ToString();
            Assert.Equal(Model(c, false), ForeignText.Clean(c));
            Assert.Equal(Model(c, true), ForeignText.CleanLines(c));
            Assert.Equal(Model("a" + c + "b", false), ForeignText.Clean("a" + c + "b"));
            Assert.Equal(Model(c, false) == c, ForeignText.IsClean(c));
        }
    }

    // Shapes cut short at the very end of the text, where an index one past the end is a bug.
    [Theory]
    [InlineData("a\u001b]0;x\u001b")]
    [InlineData("a\u001b]0;x\u001b\\")]
    [InlineData("a\u001bP\u001b")]
    [InlineData("a\u009d0;\u001b")]
    [InlineData("a\u001b")]
    [InlineData("a\u001b[")]
    [InlineData("a\u001b[1;")]
    [InlineData("a\u001b(")]
    [InlineData("a\u009b")]
    [InlineData("a\r")]
    [InlineData("\ud83d")]
    public void ShapesCutShortAtTheEnd_AreCleanedAsTheModelSays(string text)
    {
        Same(text, Model(text, multiline: false), ForeignText.Clean(text));
        Same(text, Model(text, multiline: true), ForeignText.CleanLines(text));
    }
}
