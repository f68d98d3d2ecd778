using System.Globalization;
using System.Text;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Secrets;

/// <summary>
/// Replaces secret values in text an app printed (its stdout, stderr or an exception message) by <c>***</c> before
/// that text reaches a message, an output object or a log. An app that fails on a secret usually quotes it the way its
/// language prints strings, so besides the raw value every form a secret takes in a JSON string (JavaScript's
/// <c>JSON.stringify</c>, Python's <c>json.dumps</c> with or without <c>ensure_ascii</c>) and in a Python or Node.js
/// string literal (<c>repr</c>, <c>util.inspect</c>: backslash escapes, <c>\xNN</c>, escaped quotes) is replaced too.
/// Longer forms are replaced first so a value that contains another secret is removed whole.
/// </summary>
/// <remarks>
/// This is a last line of defence, not a guarantee: an app can always print a secret in a form no redactor can know
/// (reversed, base64, one character per line). Values are kept as strings for the lifetime of the redactor because
/// the text they are searched in is a string too; callers hand the same strings to the app's environment anyway.
/// <para>The text is first cleaned of terminal control characters (<see cref="ForeignText.CleanLines"/>): an app could
/// otherwise print <c>TOP ESC[0m SECRET</c>, which no search for <c>TOPSECRET</c> finds and a terminal renders as
/// <c>TOPSECRET</c>. The secret forms are cleaned the same way, so a value holding control characters still matches.</para>
/// <para>A mask must not tell what it hides. A form shorter than <see cref="MinFreeFormLength"/> characters is masked
/// only as a whole token (not inside a word or number: masking the <c>6</c>s of <c>0x663fb50e…</c> next to a task id
/// everyone can read gives the value away), and no form is masked inside a hex id (<c>0x…</c>, or 32 and more hex
/// digits) unless it covers all of the id's digits. The price: a short value glued to letters or digits, or a value
/// embedded in a longer hex string, stays readable. A short value's occurrences inside words and numbers are
/// coincidences far more often than leaks.</para>
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>What each secret form is replaced by.</summary>
    public const string Mask = "***";

    /// <summary>Forms shorter than this are masked only where they stand as a whole token.</summary>
    public const int MinFreeFormLength = 8;

    private readonly string[] _forms;

    /// <summary>A redactor for <paramref name="values"/>; null and empty values are ignored.</summary>
    public SecretRedactor(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value)) continue;
            foreach (var form in FormsOf(value))
            {
                // The text is cleaned before it is searched, so only the cleaned form of a form can ever match.
                var cleaned = ForeignText.CleanLines(form);
                if (cleaned.Length > 0) forms.Add(cleaned);
            }
        }
        _forms = forms.OrderByDescending(form => form.Length).ThenBy(form => form, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A redactor for UTF-8 secret values (decoded the way the app's environment receives them).</summary>
    public static SecretRedactor FromUtf8(IEnumerable<ReadOnlyMemory<byte>> values) =>
        new(values.Where(value => !value.IsEmpty).Select(value => (string?)Encoding.UTF8.GetString(value.Span)));

    /// <summary>True when there is nothing to redact.</summary>
    public bool IsEmpty => _forms.Length == 0;

    /// <summary>The longest form of any secret, in characters; 0 when there is none.</summary>
    public int LongestForm => _forms.Length == 0 ? 0 : _forms[0].Length;

    /// <summary>
    /// <paramref name="text"/> cleaned of terminal control characters (lines and tabs kept), with every form of every
    /// secret replaced by <see cref="Mask"/> (overlapping occurrences as one), except short forms inside a word or number
    /// and forms inside a hex id (see the remarks).
    /// </summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        text = ForeignText.CleanLines(text);
        if (_forms.Length == 0) return text;
        var hexIds = HexIdDigits(text);
        var masks = new List<(int Start, int End)>();
        foreach (var form in _forms)
        {
            for (var at = text.IndexOf(form, StringComparison.Ordinal); at >= 0; at = text.IndexOf(form, at + 1, StringComparison.Ordinal))
            {
                var end = at + form.Length;
                if (form.Length < MinFreeFormLength && !IsWholeToken(text, at, end)) continue;
                if (hexIds.Any(id => at >= id.Start && end <= id.End && (at > id.Start || end < id.End))) continue;
                masks.Add((at, end));
            }
        }

        if (masks.Count == 0) return text;
        masks.Sort();
        var output = new StringBuilder(text.Length);
        var position = 0;
        var index = 0;
        while (index < masks.Count)
        {
            var (start, end) = masks[index++];
            while (index < masks.Count && masks[index].Start < end) end = Math.Max(end, masks[index++].End);
            output.Append(text, position, start - position).Append(Mask);
            position = end;
        }

        return output.Append(text, position, text.Length - position).ToString();
    }

    // Not glued to a letter or digit on a side where the form itself starts or ends with one.
    private static bool IsWholeToken(string text, int start, int end) =>
        (start == 0 || !char.IsLetterOrDigit(text[start - 1]) || !char.IsLetterOrDigit(text[start]))
        && (end == text.Length || !char.IsLetterOrDigit(text[end]) || !char.IsLetterOrDigit(text[end - 1]));

    // The digit spans of hex ids: 0x followed by hex digits, or a bare run of 32 and more hex digits, each not glued to
    // other letters or digits.
    private static List<(int Start, int End)> HexIdDigits(string text)
    {
        var spans = new List<(int Start, int End)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiHexDigit(text[i]) || (i > 0 && char.IsLetterOrDigit(text[i - 1])))
            {
                i++;
                continue;
            }

            var prefixed = text[i] == '0' && i + 2 < text.Length && text[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(text[i + 2]);
            var start = prefixed ? i + 2 : i;
            var end = start;
            while (end < text.Length && char.IsAsciiHexDigit(text[end])) end++;
            var alone = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (alone && (prefixed || end - start >= 32)) spans.Add((start, end));
            i = Math.Max(end, i + 1);
        }

        return spans;
    }

    /// <summary>
    /// <see cref="Redact"/>, then at most <paramref name="maxChars"/> characters. When the text is cut here, or was
    /// already cut by its reader (<paramref name="truncated"/>), its end is also cleared of any beginning of a secret the
    /// cut left behind, and a marker says the text was truncated.
    /// </summary>
    public string RedactAndTruncate(string? text, int maxChars, bool truncated = false)
    {
        var redacted = Redact(text);
        if (redacted.Length <= maxChars && !truncated) return redacted;
        var cut = redacted.Length <= maxChars ? redacted : redacted[..maxChars];
        // The cut may split a secret that Redact would have caught whole: drop any suffix that starts one.
        for (var start = Math.Max(0, cut.Length - LongestForm); start < cut.Length; start++)
        {
            var tail = cut[start..];
            if (_forms.Any(form => form.StartsWith(tail, StringComparison.Ordinal)))
            {
                cut = cut[..start];
                break;
            }
        }
        return cut + Environment.NewLine + "[truncated]";
    }

    /// <summary>The forms <paramref name="value"/> can take in text printed by an app.</summary>
    internal static IEnumerable<string> FormsOf(string value)
    {
        yield return value;
        foreach (var json in new[] { NonAscii.Keep, NonAscii.LowerHex, NonAscii.UpperHex })
        {
            yield return Escape(value, Quote.Double, json, Control.Json);
            yield return Escape(value, Quote.None, json, Control.Json);
        }
        foreach (var quote in new[] { Quote.None, Quote.Single, Quote.Double, Quote.Both })
        {
            yield return Escape(value, quote, NonAscii.Keep, Control.Python);
            yield return Escape(value, quote, NonAscii.LowerHex, Control.Python);
        }
    }

    private enum Quote { None, Single, Double, Both }

    private enum NonAscii { Keep, LowerHex, UpperHex }

    private enum Control { Json, Python }

    private static string Escape(string value, Quote quote, NonAscii nonAscii, Control control)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '"' when quote is Quote.Double or Quote.Both: text.Append("\\\""); break;
                case '\'' when quote is Quote.Single or Quote.Both: text.Append("\\'"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                case '\b' when control == Control.Json: text.Append(@"\b"); break;
                case '\f' when control == Control.Json: text.Append(@"\f"); break;
                case < ' ' or '\x7f' when control == Control.Python:
                    text.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    text.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case > '\x7f' and <= '\xff' when nonAscii == NonAscii.LowerHex && control == Control.Python:
                    // Python's ascii(): \xNN below U+0100, \uNNNN above.
                    text.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case > '\x7f' when nonAscii != NonAscii.Keep:
                    text.Append(@"\u").Append(((int)c).ToString(nonAscii == NonAscii.LowerHex ? "x4" : "X4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.ToString();
    }
}
