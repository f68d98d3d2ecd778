using System.Text;
using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// The rules of a <c>.dockerignore</c> exactly as the <c>docker</c> CLI applies them when it sends a build context
/// (moby <c>patternmatcher</c> and <c>ignorefile</c>, the CLI's <c>TrimBuildFilesFromExcludes</c>, and the walk of
/// <c>go-archive</c>'s <c>TarWithOptions</c>), so the module sends the same files Docker would:
/// <list type="bullet">
/// <item>a UTF-8 BOM is dropped; a line starting with <c>#</c> (before any trimming) is a comment; blank lines are skipped;</item>
/// <item>each pattern is trimmed and path-cleaned (<c>a//b/./c/../d/</c> is <c>a/b/d</c>) and a leading <c>/</c> dropped, so
/// <c>/x</c>, <c>x/</c> and <c>./x</c> all mean <c>x</c>;</item>
/// <item><c>*</c> matches within one path segment, <c>?</c> one character other than <c>/</c>, <c>[...]</c> a character class
/// (<c>[^...]</c> negated, ranges allowed), <c>\</c> escapes the next character; <c>**</c> matches any number of
/// segments (<c>**/*.pem</c> matches <c>a.pem</c> and <c>x/y/a.pem</c>);</item>
/// <item>a pattern matching a folder excludes everything inside it;</item>
/// <item><c>!pattern</c> re-includes what earlier patterns excluded, and the last matching pattern wins; a folder that is
/// excluded is still entered only when an exception names a path inside it literally (<c>!secrets/public.pem</c>), as in Docker;</item>
/// <item><c>.dockerignore</c> and <c>Dockerfile</c> are always sent (the daemon drops them from <c>COPY</c> when they are excluded).</item>
/// </list>
/// Patterns Docker rejects (an unclosed or empty <c>[</c>, a trailing <c>\</c>, a lone <c>!</c>, a reversed range) fail with
/// <see cref="ErrorIds.InvalidDockerIgnore"/>, and so do the few that Docker turns into a regular expression this
/// module does not reproduce (<c>*</c>, <c>?</c> or <c>[:</c> inside a class, a backslash before a letter or digit):
/// refusing is safer than sending a file Docker would have left out.
/// </summary>
public sealed class DockerIgnore
{
    /// <summary>The name of the file in a build context.</summary>
    public const string FileName = ".dockerignore";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly Pattern[] _patterns;

    private DockerIgnore(Pattern[] patterns)
    {
        _patterns = patterns;
        HasExclusions = patterns.Any(pattern => pattern.Exclusion);
    }

    /// <summary>The patterns in effect, in order, each as Docker prints it (<c>!</c> first for an exception).</summary>
    public IReadOnlyList<string> Patterns => _patterns.Select(pattern => (pattern.Exclusion ? "!" : "") + pattern.Text).ToArray();

    /// <summary>True when at least one pattern is an exception (<c>!</c>).</summary>
    public bool HasExclusions { get; }

    /// <summary>No pattern at all: everything is sent.</summary>
    public static DockerIgnore None { get; } = new([]);

    /// <summary>
    /// The rules for the build context in <paramref name="contextFolder"/>: its <c>.dockerignore</c> (none when the
    /// file is absent) plus the CLI's exceptions that keep <c>.dockerignore</c> and <paramref name="dockerfile"/> in
    /// the context. Throws <see cref="ErrorIds.InvalidDockerIgnore"/> for a pattern Docker would refuse.
    /// </summary>
    public static DockerIgnore ForContext(string contextFolder, string dockerfile = "Dockerfile")
    {
        var path = Path.Combine(contextFolder, FileName);
        if (!File.Exists(path)) return None;
        var lines = ReadPatterns(File.ReadAllBytes(path));
        var rules = Parse(lines, path);
        var patterns = lines.Select(line => line.Pattern).ToList();
        // The CLI keeps the files the daemon needs: it appends exceptions for them when they are excluded.
        if (rules.Matches(FileName)) patterns.Add("!" + FileName);
        if (rules.Matches(dockerfile)) patterns.Add("!" + dockerfile);
        return patterns.Count == lines.Count ? rules : Parse(patterns.Select(p => (p, 0)).ToList(), path);
    }

    /// <summary>
    /// The patterns of a <c>.dockerignore</c> file's bytes with their line numbers, as moby's <c>ignorefile.ReadAll</c>
    /// returns them: BOM dropped, comments and blank lines skipped, each pattern trimmed and cleaned, leading <c>/</c>
    /// dropped, <c>!</c> kept in front.
    /// </summary>
    public static IReadOnlyList<(string Pattern, int Line)> ReadPatterns(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = new UTF8Encoding(false, false).GetString(content);
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var result = new List<(string, int)>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            // A trailing empty piece after the last newline is not a line.
            if (index == lines.Length - 1 && line.Length == 0) break;
            if (line.EndsWith('\r')) line = line[..^1];
            if (line.StartsWith('#')) continue;
            var pattern = line.Trim();
            if (pattern.Length == 0) continue;
            var invert = pattern[0] == '!';
            if (invert) pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = CleanPath(pattern);
                if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            }
            result.Add(((invert ? "!" : "") + pattern, index + 1));
        }
        return result;
    }

    /// <summary>
    /// Compiles <paramref name="patterns"/> (as <see cref="ReadPatterns"/> returns them) like moby's
    /// <c>patternmatcher.New</c>. <paramref name="source"/> names the file in error messages.
    /// </summary>
    public static DockerIgnore Parse(IReadOnlyList<(string Pattern, int Line)> patterns, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var compiled = new List<Pattern>();
        foreach (var (raw, line) in patterns)
        {
            var text = raw.Trim();
            if (text.Length == 0) continue;
            text = CleanPath(text);
            var exclusion = false;
            if (text[0] == '!')
            {
                if (text.Length == 1) throw Invalid(source, line, raw, "a lone '!' excludes nothing (Docker: illegal exclusion pattern)");
                exclusion = true;
                text = text[1..];
            }
            compiled.Add(Pattern.Compile(text, exclusion, source, line, raw));
        }
        return new DockerIgnore(compiled.ToArray());
    }

    /// <summary>
    /// True when <paramref name="path"/> (relative to the context, <c>/</c>-separated) or one of its parent folders is
    /// excluded and no later exception re-includes it (moby's <c>MatchesOrParentMatches</c>).
    /// </summary>
    public bool Matches(string path) => MatchesUsingParentResults(CleanPath(path), null).Excluded;

    /// <summary>
    /// The decision for <paramref name="path"/> given the per-pattern results of its parent folder (null for an entry
    /// at the top of the context, or when they are unknown), as moby's <c>MatchesUsingParentResults</c>: a pattern the
    /// parent matched counts as matching, and without parent results every parent folder is tried against each pattern.
    /// </summary>
    public (bool Excluded, bool[] PerPattern) MatchesUsingParentResults(string path, bool[]? parentMatched)
    {
        var matched = false;
        var perPattern = new bool[_patterns.Length];
        for (var i = 0; i < _patterns.Length; i++)
        {
            var pattern = _patterns[i];
            var match = parentMatched is not null && parentMatched[i];
            if (!match)
            {
                // An inclusion cannot change an already excluded path, nor an exception a path not excluded yet.
                if (pattern.Exclusion != matched) continue;
                match = pattern.IsMatch(path);
                if (!match && parentMatched is null)
                {
                    var slash = path.IndexOf('/', StringComparison.Ordinal);
                    while (!match && slash > 0)
                    {
                        match = pattern.IsMatch(path[..slash]);
                        slash = path.IndexOf('/', slash + 1);
                    }
                }
            }
            perPattern[i] = match;
            if (match) matched = !pattern.Exclusion;
        }
        return (matched, perPattern);
    }

    /// <summary>
    /// Whether an excluded folder must still be entered because an exception names a path inside it (the literal
    /// prefix test of Docker's archive walk: <c>!dir/keep.txt</c> enters <c>dir</c>, <c>!**/keep.txt</c> does not).
    /// </summary>
    public bool MustEnterExcludedFolder(string folder)
    {
        if (!HasExclusions) return false;
        var prefix = folder + "/";
        return _patterns.Any(pattern => pattern.Exclusion && (pattern.Text + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The entries of <paramref name="contextFolder"/> a Docker build context holds under these rules, as paths
    /// relative to it with <c>/</c> separators, in walk order (folders before their content). An excluded folder that
    /// is entered for an exception is not listed itself, as in Docker. Symbolic links are listed, never followed.
    /// </summary>
    public IEnumerable<string> SelectEntries(string contextFolder)
    {
        var root = Path.GetFullPath(contextFolder);
        var pending = new Stack<(string Path, string Relative, bool[]? Parent)>();
        foreach (var child in Children(root).Reverse()) pending.Push((child, Path.GetFileName(child), null));
        while (pending.Count > 0)
        {
            var (path, relative, parent) = pending.Pop();
            var info = new FileInfo(path);
            var isFolder = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
            var (excluded, perPattern) = MatchesUsingParentResults(relative, parent);
            if (excluded && !(isFolder && MustEnterExcludedFolder(relative))) continue;
            if (!excluded) yield return relative;
            if (isFolder)
            {
                foreach (var child in Children(path).Reverse()) pending.Push((child, relative + "/" + Path.GetFileName(child), perPattern));
            }
        }
    }

    private static IEnumerable<string> Children(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal);

    /// <summary>
    /// Go's <c>path.Clean</c>: one <c>/</c> between names, no <c>.</c> names, <c>..</c> removed with the name before it
    /// (and at the start of a rooted path), no trailing <c>/</c>; an empty result is <c>.</c>.
    /// </summary>
    public static string CleanPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) return ".";
        var rooted = path[0] == '/';
        var names = new List<string>();
        foreach (var name in path.Split('/'))
        {
            if (name.Length == 0 || name == ".") continue;
            if (name == "..")
            {
                if (names.Count > 0 && names[^1] != "..") names.RemoveAt(names.Count - 1);
                else if (!rooted) names.Add("..");
                continue;
            }
            names.Add(name);
        }
        var joined = string.Join('/', names);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static IExecException Invalid(string source, int line, string pattern, string reason) =>
        new(ErrorIds.InvalidDockerIgnore,
            $"{source}{(line > 0 ? $" line {line}" : "")}: the pattern \"{pattern}\" is not usable: {reason}.", source)
        { RecommendedAction = "Fix or remove the pattern; see https://docs.docker.com/build/concepts/context/#dockerignore-files." };

    private enum MatchKind { Exact, Prefix, Suffix, Regex }

    private sealed class Pattern
    {
        private MatchKind _kind;
        private Regex? _regex;

        public required string Text { get; init; }

        public required bool Exclusion { get; init; }

        public bool IsMatch(string path) => _kind switch
        {
            MatchKind.Exact => path == Text,
            MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
            MatchKind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal)
                || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
            _ => _regex!.IsMatch(path),
        };

        /// <summary>Checks the syntax as Go's <c>filepath.Match</c> does, then builds the matcher moby's <c>compile</c> builds.</summary>
        public static Pattern Compile(string text, bool exclusion, string source, int line, string raw)
        {
            if (CheckSyntax(text) is { } syntaxError) throw Invalid(source, line, raw, syntaxError);
            var regex = new StringBuilder("^");
            var kind = MatchKind.Exact;
            var inClass = false;
            for (var (i, step) = (0, 0); i < text.Length; step++)
            {
                var c = text[i++];
                if (inClass && c is '*' or '?')
                {
                    throw Invalid(source, line, raw, $"'{c}' inside [...] is turned by Docker into an expression this module does not reproduce");
                }
                if (c == '*')
                {
                    if (i < text.Length && text[i] == '*')
                    {
                        i++;
                        if (i < text.Length && text[i] == '/') i++;
                        if (i == text.Length)
                        {
                            if (kind == MatchKind.Exact) kind = MatchKind.Prefix;
                            else
                            {
                                regex.Append(".*");
                                kind = MatchKind.Regex;
                            }
                        }
                        else
                        {
                            regex.Append("(.*/)?");
                            kind = MatchKind.Regex;
                        }
                        if (step == 0) kind = MatchKind.Suffix;
                    }
                    else
                    {
                        regex.Append("[^/]*");
                        kind = MatchKind.Regex;
                    }
                }
                else if (c == '?')
                {
                    regex.Append("[^/]");
                    kind = MatchKind.Regex;
                }
                else if (c is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
                {
                    regex.Append('\\').Append(c);
                }
                else if (c == '\\')
                {
                    // CheckSyntax guarantees a next character.
                    var next = text[i++];
                    if (char.IsAsciiLetterOrDigit(next) || next > '\x7f')
                    {
                        throw Invalid(source, line, raw, $"'\\{next}' is a regular-expression escape in Docker, not the character '{next}'");
                    }
                    // Go's expressions take any escaped ASCII punctuation literally; .NET refuses "\_" but not the others.
                    regex.Append(next == '_' ? "_" : "\\" + next);
                    kind = MatchKind.Regex;
                }
                else if (c == '[' && !inClass)
                {
                    regex.Append('[');
                    inClass = true;
                    kind = MatchKind.Regex;
                    if (i < text.Length && text[i] == '^')
                    {
                        regex.Append('^');
                        i++;
                    }
                }
                else if (c == '[')
                {
                    if (i < text.Length && text[i] == ':')
                    {
                        throw Invalid(source, line, raw, "'[:' inside [...] is a POSIX class in Docker, which this module does not reproduce");
                    }
                    regex.Append(@"\[");
                }
                else if (c == ']' && inClass)
                {
                    regex.Append(']');
                    inClass = false;
                }
                else if (c == ']')
                {
                    regex.Append(@"\]");
                    kind = MatchKind.Regex;
                }
                else if (inClass && c is '^')
                {
                    regex.Append(@"\^");
                }
                else
                {
                    // '^' outside a class anchors in Go's and .NET's expressions alike (the pattern then matches nothing).
                    regex.Append(c);
                }
            }

            var pattern = new Pattern { Text = text, Exclusion = exclusion, _kind = kind };
            if (kind == MatchKind.Regex)
            {
                try
                {
                    pattern._regex = new Regex(regex.Append(@"\z").ToString(), RegexOptions.CultureInvariant, MatchTimeout);
                }
                catch (ArgumentException)
                {
                    throw Invalid(source, line, raw, "Docker cannot compile it (for example a reversed range such as [z-a])");
                }
            }
            return pattern;
        }

        /// <summary>The reason Go's <c>filepath.Match</c> (on Unix) would call <paramref name="text"/> a bad pattern, or null.</summary>
        private static string? CheckSyntax(string text)
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i++];
                if (c == '\\')
                {
                    if (i == text.Length) return "it ends with a lone '\\'";
                    i++;
                }
                else if (c == '[')
                {
                    if (i < text.Length && text[i] == '^') i++;
                    var ranges = 0;
                    while (true)
                    {
                        if (i < text.Length && text[i] == ']' && ranges > 0)
                        {
                            i++;
                            break;
                        }
                        if (!ClassChar(text, ref i)) return "a [...] class is empty, unclosed, or starts a range with '-' or ']'";
                        if (i < text.Length && text[i] == '-')
                        {
                            i++;
                            if (!ClassChar(text, ref i)) return "a range in [...] has no end";
                        }
                        ranges++;
                    }
                }
            }
            return null;
        }

        // Go's getEsc: one (possibly escaped) character that is not '-' or ']', followed by more pattern.
        private static bool ClassChar(string text, ref int i)
        {
            if (i >= text.Length || text[i] is '-' or ']') return false;
            if (text[i] == '\\')
            {
                i++;
                if (i >= text.Length) return false;
            }
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            return i < text.Length;
        }
    }
}
