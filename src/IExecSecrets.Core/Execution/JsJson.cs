using System.Globalization;
using System.Text;

namespace IExecSecrets.Core.Execution;

// JSON text exactly as JavaScript's JSON.stringify writes it (compact; only quote, backslash and control characters
// are escaped, lone surrogates as \udxxx), because the params string is hashed and signed and must match the SDK's
// bytes. System.Text.Json's encoders escape more than that.
internal static class JsJson
{
    public static void WriteString(StringBuilder output, string value)
    {
        output.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPairAt(value, i)))
                    {
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                        if (char.IsHighSurrogate(c)) output.Append(value[++i]);
                    }
                    break;
            }
        }
        output.Append('"');
    }

    private static bool IsPairAt(string value, int index) =>
        char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]);
}
