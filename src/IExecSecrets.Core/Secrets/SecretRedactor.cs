using System.Globalization;
using System.Text;

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
/// Every occurrence is replaced, so a one-character secret such as <c>1</c> blanks every <c>1</c> of the text: safety
/// wins over readability.
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>What each secret form is replaced by.</summary>
    public const string Mask = "***";

    private readonly string[] _forms;

    /// <summary>A redactor for <paramref name="values"/>; null and empty values are ignored.</summary>
    public SecretRedactor(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value)) continue;
            foreach (var form in FormsOf(value)) forms.Add(form);
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

    /// <summary><paramref name="text"/> with every form of every secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        foreach (var form in _forms)
        {
            text = text.Replace(form, Mask, StringComparison.Ordinal);
        }
        return text;
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
