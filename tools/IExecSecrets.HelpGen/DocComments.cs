using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace IExecSecrets.HelpGen;

/// <summary>
/// The compiler's XML documentation file of the module (IExecSecrets.xml), read as the source of every help text.
/// The compiler does not expand <c>&lt;inheritdoc/&gt;</c>, so a property that inherits its comment is resolved here
/// by walking the base types.
/// </summary>
internal sealed partial class DocComments
{
    private readonly Dictionary<string, XElement> _members;

    public DocComments(string path)
    {
        var document = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        _members = document.Root!.Element("members")!.Elements("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => (string)m.Attribute("name")!)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public XElement? ForType(Type type) => _members.GetValueOrDefault("T:" + DocName(type));

    /// <summary>The comment of a property, following <c>inheritdoc</c> (or a missing comment) to the base declaration.</summary>
    public XElement? ForProperty(PropertyInfo property)
    {
        for (var type = property.DeclaringType; type is not null; type = type.BaseType)
        {
            var declared = type.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (declared is null)
            {
                continue;
            }

            if (_members.TryGetValue("P:" + DocName(type) + "." + property.Name, out var member) && member.Element("inheritdoc") is null)
            {
                return member;
            }
        }

        return null;
    }

    // A constructed generic base (GetOrderCommandBase<AppOrderQuery, AppOrder>) is documented under its definition's
    // id ("T:IExecSecrets.GetOrderCommandBase`2").
    private static string DocName(Type type) =>
        ((type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type).FullName ?? type.Name).Replace('+', '.');

    /// <summary>
    /// The paragraphs of a comment element: each <c>&lt;para&gt;</c> is one paragraph, loose text between paragraphs is
    /// another, list items become "- " lines, inline tags (<c>c</c>, <c>see</c>, <c>paramref</c>) become their text,
    /// and runs of whitespace (the comment's line wrapping) become one space.
    /// </summary>
    public static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        var paragraphs = new List<string>();
        if (element is null)
        {
            return paragraphs;
        }

        var current = new StringBuilder();
        void Flush()
        {
            var text = Normalize(current.ToString());
            if (text.Length > 0)
            {
                paragraphs.Add(text);
            }

            current.Clear();
        }

        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement { Name.LocalName: "para" } para:
                    Flush();
                    paragraphs.AddRange(Paragraphs(para));
                    break;
                case XElement { Name.LocalName: "list" } list:
                    Flush();
                    foreach (var item in list.Elements("item"))
                    {
                        var term = item.Element("term") is { } t ? Inline(t) : null;
                        var description = item.Element("description") is { } d ? Inline(d) : Inline(item);
                        paragraphs.Add(Normalize("- " + (term is null ? description : $"{term}: {description}")));
                    }

                    break;
                case XElement { Name.LocalName: "code" } code:
                    Flush();
                    paragraphs.Add(Code(code));
                    break;
                default:
                    current.Append(InlineNode(node));
                    break;
            }
        }

        Flush();
        return paragraphs;
    }

    /// <summary>A code block with its common indentation removed and blank edge lines trimmed.</summary>
    public static string Code(XElement code)
    {
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    private static string Inline(XElement element) => string.Concat(element.Nodes().Select(InlineNode));

    private static string InlineNode(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("langword") is { } word => word.Value switch
        {
            "null" => "$null",
            "true" => "$true",
            "false" => "$false",
            _ => word.Value,
        },
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref && see.IsEmpty => CrefText(cref.Value),
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("href") is { } href && see.IsEmpty => href.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name") ?? string.Empty,
        XElement element => Inline(element),
        _ => string.Empty,
    };

    // "T:IExecSecrets.Output.IExecDeal" -> "IExecDeal"; "P:Ns.Type.Name" -> "Name".
    private static string CrefText(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name[..paren];
        }

        return name[(name.LastIndexOf('.') + 1)..];
    }

    /// <summary>
    /// The value of a "Default: …" sentence in a paragraph ("Default: the current folder." gives "the current
    /// folder"), else of a "(default: …)" or "(default …)" aside, else null. The sentence ends at a full stop followed by a capital letter or the paragraph's end, so
    /// that paths and names with dots (~/.ethereum, chain.json) stay whole.
    /// </summary>
    public static string? DefaultSentence(string paragraph)
    {
        var match = DefaultPattern().Match(paragraph);
        if (!match.Success)
        {
            match = DefaultInParentheses().Match(paragraph);
        }

        return match.Success ? match.Groups["value"].Value.Trim() : null;
    }

    // "… with -Requester (default: the 100,000 blocks before the latest)", "… may take (default 30)".
    [GeneratedRegex(@"\([Dd]efault:?\s+(?<value>[^()]+)\)")]
    private static partial Regex DefaultInParentheses();

    [GeneratedRegex(@"(?:^|(?<=[.;:)]\s))[Dd]efault:\s+(?<value>.+?)(?=\.\s+[A-Z$(-]|\.?$)")]
    private static partial Regex DefaultPattern();

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
