using System.Text;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// Splits the deal's <c>iexec_args</c> string into argv the way a POSIX shell splits a word list, without any
/// expansion (no variables, globs or command substitution): blanks separate arguments, <c>'…'</c> groups literally,
/// <c>"…"</c> groups with <c>\"</c> and <c>\\</c> escapes, and a backslash outside quotes escapes the next character.
/// This matches the iExec worker's tokenizer for the quoting tutorials use (<c>--args "hello world" 2</c>); an
/// unterminated quote keeps the rest of the string as the last argument.
/// </summary>
public static class WorkerArguments
{
    /// <summary>The arguments of <paramref name="args"/>; empty for null or blank.</summary>
    public static IReadOnlyList<string> Split(string? args)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(args)) return result;
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < args.Length; i++)
        {
            var c = args[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) result.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            switch (c)
            {
                case '\'':
                    for (i++; i < args.Length && args[i] != '\''; i++) current.Append(args[i]);
                    break;
                case '"':
                    for (i++; i < args.Length && args[i] != '"'; i++)
                    {
                        if (args[i] == '\\' && i + 1 < args.Length && args[i + 1] is '"' or '\\') i++;
                        current.Append(args[i]);
                    }
                    break;
                case '\\' when i + 1 < args.Length:
                    current.Append(args[++i]);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }
        if (inWord) result.Add(current.ToString());
        return result;
    }
}
