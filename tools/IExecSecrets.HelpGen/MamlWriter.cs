using System.Xml.Linq;

namespace IExecSecrets.HelpGen;

/// <summary>Writes the MAML (PowerShell's cmdlet help schema) that Get-Help reads from en-US/&lt;dll&gt;-Help.xml.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IReadOnlyList<CommandHelp> commands) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XComment(" Generated at build time by tools/IExecSecrets.HelpGen from the cmdlet metadata and XML doc comments. Do not edit. "),
        new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help) => new(
        Command + "command",
        new XElement(
            Command + "details",
            new XElement(Command + "name", help.Name),
            Description(help.Synopsis.Length == 0 ? Array.Empty<string>() : new[] { help.Synopsis }),
            new XElement(Command + "verb", help.Verb),
            new XElement(Command + "noun", help.Noun)),
        Description(help.Description),
        new XElement(Command + "syntax", help.Syntax.Select(item => SyntaxItem(help.Name, item))),
        new XElement(Command + "parameters", help.Parameters.Select(Parameter)),
        new XElement(Command + "inputTypes", help.Inputs.Select(i => new XElement(Command + "inputType", TypeElement(i.TypeName), Description(i.Description)))),
        new XElement(Command + "returnValues", help.Outputs.Select(o => new XElement(Command + "returnValue", TypeElement(o.TypeName), Description(o.Description)))),
        help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(Para))),
        new XElement(Command + "examples", help.Examples.Select((e, i) => Example(e, i + 1))),
        new XElement(
            Command + "relatedLinks",
            // The first link with a URI is where Get-Help -Online goes: the cmdlet's HelpUri, the page docs/cmdlets has.
            help.OnlineUri is null ? null : NavigationLink("Online Version:", help.OnlineUri),
            help.Related.Select(link => NavigationLink(link, link.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? link : string.Empty))));

    private static XElement NavigationLink(string text, string uri) => new(
        Maml + "navigationLink",
        new XElement(Maml + "linkText", text),
        new XElement(Maml + "uri", uri));

    private static XElement SyntaxItem(string name, SyntaxItem item) => new(
        Command + "syntaxItem",
        new XElement(Maml + "name", name),
        item.Parameters.Select(p => new XElement(
            Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("variableLength", "false"),
            new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", p.PipelineInput),
            new XAttribute("position", p.Position),
            new XElement(Maml + "name", p.Name),
            // A switch has no value: Get-Help prints [-PassThru], not [-PassThru <SwitchParameter>].
            p.IsSwitch ? null : p.Values.Count > 0 ? ValueGroup(p.Values) : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.TypeName))));

    private static XElement Parameter(ParameterHelp p) => new(
        Command + "parameter",
        new XAttribute("required", p.Required),
        new XAttribute("variableLength", p.VariableLength ? "true" : "false"),
        new XAttribute("globbing", p.Globbing ? "true" : "false"),
        new XAttribute("pipelineInput", p.PipelineInput),
        new XAttribute("position", p.Position),
        new XAttribute("aliases", p.Aliases),
        new XElement(Maml + "name", p.Name),
        Description(p.Description),
        p.Values.Count > 0 ? ValueGroup(p.Values) : null,
        new XElement(Command + "parameterValue", new XAttribute("required", p.IsSwitch ? "false" : "true"), new XAttribute("variableLength", p.VariableLength ? "true" : "false"), p.TypeName),
        TypeElement(p.TypeFullName),
        new XElement(Dev + "defaultValue", p.DefaultValue));

    private static XElement ValueGroup(IReadOnlyList<string> values) => new(
        Command + "parameterValueGroup",
        values.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)));

    private static XElement Example(ExampleHelp example, int index)
    {
        var title = example.Title is { Length: > 0 } t ? $"Example {index}: {t}" : $"Example {index}";
        return new XElement(
            Command + "example",
            new XElement(Maml + "title", $"-------------------------- {title} --------------------------"),
            new XElement(Dev + "code", "PS> " + example.Code),
            // The trailing empty paragraph is the blank line Get-Help then prints before the next example.
            new XElement(Dev + "remarks", example.Remarks.Select(Para), Para(string.Empty)));
    }

    private static XElement TypeElement(string name) => new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
