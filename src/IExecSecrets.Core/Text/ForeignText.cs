using System.Globalization;
using System.Text;

namespace IExecSecrets.Core.Text;

/// <summary>
/// The one sanitizing boundary for text the module did not write itself: anything from a remote party (HTTP reason
/// phrases and bodies, RPC errors, chain data such as a result's <c>storage</c>, market, Compass and workerpool-API
/// answers, app output) or from a file (<c>chain.json</c> values). Such text goes through <see cref="Clean"/> or
/// <see cref="CleanLines"/> before it reaches a message, a warning, a verbose line, an output object or the
/// <see cref="Secrets.SecretRedactor"/>.
/// </summary>
/// <remarks>
/// <para>Why: a terminal obeys what it prints. <c>ESC ] 0 ; … BEL</c> retitles the window, <c>ESC [2J</c> clears the
/// screen, <c>ESC [8m</c> hides the warning that follows, a carriage return or a backspace overprints a line, a
/// right-to-left override makes <c>https://evil</c> read as something else, and <c>TOP ESC[0m SECRET</c> renders as
/// <c>TOPSECRET</c> while no redactor finds <c>TOPSECRET</c> in it.</para>
/// <para>What is removed, not replaced: whole escape sequences (CSI <c>ESC [</c> … final byte, OSC/DCS/SOS/PM/APC
/// strings up to BEL or ST, two- and three-byte escapes, and their 8-bit C1 forms), every other C0 and C1 control
/// character and DEL, and every Unicode format character (category Cf: bidi embeddings, overrides and isolates,
/// LRM/RLM/ALM, zero-width spaces and joiners, word joiner, BOM, soft hyphen, invisible operators, tag characters).
/// Removing rather than replacing lets a secret split by invisible characters be found whole by the redactor. A lone
/// surrogate becomes U+FFFD. Line breaks (LF, CR LF, a lone CR, NEL, U+2028, U+2029) and tabs become one newline or
/// tab in <see cref="CleanLines"/> (multi-line output: app logs) and one space in <see cref="Clean"/> (everything
/// else, so a remote party cannot start a line that looks like the module's own).</para>
/// <para>The Core project bans <c>HttpResponseMessage.ReasonPhrase</c> (BannedSymbols.txt): a reason phrase is read
/// through <see cref="ReasonPhrase"/>. <see cref="Errors.IExecException"/> cleans its message, and the module's
/// cmdlet base cleans every warning, verbose, debug, progress and confirmation text.</para>
/// </remarks>
public static class ForeignText
{
    private const char Escape = '\u001b';
    private const char Bell = '\u0007';

    /// <summary>
    /// <paramref name="text"/> safe to print on one line: control characters, escape sequences and format characters
    /// removed, line breaks and tabs turned into spaces. Null becomes the empty string.
    /// </summary>
    public static string Clean(string? text) => Sanitize(text, multiline: false);

    /// <summary>
    /// <paramref name="text"/> safe to print as several lines: like <see cref="Clean"/>, but every line break becomes
    /// <c>\n</c> (a lone CR too, so nothing overprints) and tabs stay.
    /// </summary>
    public static string CleanLines(string? text) => Sanitize(text, multiline: true);

    /// <summary>The reason phrase of <paramref name="response"/>, cleaned (the server chooses it freely).</summary>
    public static string ReasonPhrase(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
#pragma warning disable RS0030 // the one place a reason phrase is read: it is cleaned here
        return Clean(response.ReasonPhrase);
#pragma warning restore RS0030
    }

    /// <summary>True when <paramref name="text"/> holds nothing <see cref="Clean"/> would change.</summary>
    public static bool IsClean(string? text) => string.IsNullOrEmpty(text) || !NeedsWork(text, multiline: false);

    private static string Sanitize(string? text, bool multiline)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        if (!NeedsWork(text, multiline)) return text;
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case Escape:
                    i = SkipEscape(text, i);
                    continue;
                case '\u009b': // CSI
                    i = SkipControlSequence(text, i + 1);
                    continue;
                case '\u0090' or '\u0098' or '\u009d' or '\u009e' or '\u009f': // DCS, SOS, OSC, PM, APC
                    i = SkipControlString(text, i + 1, i);
                    continue;
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n') continue;
                    output.Append(multiline ? '\n' : ' ');
                    continue;
                case '\n' or '\u0085' or '\u2028' or '\u2029':
                    output.Append(multiline ? '\n' : ' ');
                    continue;
                case '\t':
                    output.Append(multiline ? '\t' : ' ');
                    continue;
            }

            if (char.IsControl(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(text, i) != UnicodeCategory.Format) output.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                output.Append('\uFFFD');
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) continue;
            output.Append(c);
        }

        return output.ToString();
    }

    private static bool NeedsWork(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ')
            {
                if (multiline && (c == '\n' || c == '\t')) continue;
                return true;
            }

            if (c < '\u007f') continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A whole pair (an emoji, a CJK extension character) is kept unless it is a format character.
                if (CharUnicodeInfo.GetUnicodeCategory(text, i) == UnicodeCategory.Format) return true;
                i++;
                continue;
            }

            if (c <= '\u009f' || char.IsSurrogate(c) || c is '\u2028' or '\u2029') return true;
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) return true;
        }

        return false;
    }

    // ESC at i: returns the index of the sequence's last character (ECMA-48 / ISO 2022 shapes).
    private static int SkipEscape(string text, int i)
    {
        if (i + 1 >= text.Length) return i;
        var next = text[i + 1];
        switch (next)
        {
            case '[':
                return SkipControlSequence(text, i + 2);
            case ']' or 'P' or 'X' or '^' or '_':
                return SkipControlString(text, i + 2, i + 1);
        }

        if (next is >= ' ' and <= '/')
        {
            // nF: intermediates, then one final byte 0x30-0x7E (e.g. ESC ( B selects a character set)
            var j = i + 1;
            while (j < text.Length && text[j] is >= ' ' and <= '/') j++;
            return j < text.Length && text[j] is >= '0' and <= '~' ? j : j - 1;
        }

        // Fp, Fe, Fs: one final byte (ESC 7, ESC c, ESC M, …); anything else leaves only the ESC dropped.
        return next is >= '0' and <= '~' ? i + 1 : i;
    }

    // Parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E; a byte outside ends a malformed sequence
    // before it (that byte is then read as text). Returns the index of the last character skipped.
    private static int SkipControlSequence(string text, int start)
    {
        var j = start;
        while (j < text.Length)
        {
            var c = text[j];
            if (c is >= '@' and <= '~') return j;
            if (c is < ' ' or > '?') return j - 1;
            j++;
        }

        return text.Length - 1;
    }

    // A control string (OSC, DCS, SOS, PM, APC) ends at BEL, ST (ESC \) or C1 ST. Unterminated, only its introducer
    // (ending at introducerEnd) is dropped: the rest is harmless text once the ESC is gone, and hiding it could hide
    // the end of a message.
    private static int SkipControlString(string text, int start, int introducerEnd)
    {
        for (var j = start; j < text.Length; j++)
        {
            var c = text[j];
            if (c is Bell or '\u009c') return j;
            if (c == Escape && j + 1 < text.Length && text[j + 1] == '\\') return j + 1;
        }

        return introducerEnd;
    }
}
