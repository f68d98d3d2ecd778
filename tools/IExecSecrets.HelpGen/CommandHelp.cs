using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace IExecSecrets.HelpGen;

/// <summary>
/// The help of one cmdlet: metadata from PowerShell's own view of the cmdlet (CmdletInfo.ParameterSets, so the
/// help cannot disagree with Get-Command), texts from the XML doc comments of the cmdlet class and its parameter
/// properties.
/// </summary>
/// <remarks>
/// Conventions on the cmdlet class: <c>summary</c> is the synopsis; <c>remarks</c> the description (one paragraph
/// per <c>para</c>); each <c>example</c> holds a <c>code</c> block and <c>para</c> explanations; <c>input
/// type="…"</c> and <c>output type="…"</c> describe pipeline input and output (outputs default to [OutputType]);
/// <c>notes</c> the NOTES section; <c>parameter name="…"</c> overrides an inherited parameter's text for this
/// cmdlet. On a parameter property: <c>summary</c> (and optional <c>remarks</c>) is the parameter's description.
/// </remarks>
internal sealed record CommandHelp(
    string Name,
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxItem> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<string> Related,
    string? OnlineUri)
{
    /// <summary>The parameters every cmdlet has; Get-Help shows them as [&lt;CommonParameters&gt;].</summary>
    public static readonly IReadOnlySet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static readonly Dictionary<string, string> ShouldProcessText = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run: nothing is signed, sent or written.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    public static CommandHelp From(CmdletInfo cmdlet, DocComments docs, IReadOnlyList<string> related, List<string> problems)
    {
        var type = cmdlet.ImplementingType;
        var doc = docs.ForType(type);
        var synopsis = string.Join(" ", DocComments.Paragraphs(doc?.Element("summary")));
        var description = DocComments.Paragraphs(doc?.Element("remarks"));
        if (synopsis.Length == 0)
        {
            problems.Add($"{cmdlet.Name} ({type.FullName}): no <summary> (the synopsis) on the cmdlet class");
        }

        if (description.Count == 0)
        {
            problems.Add($"{cmdlet.Name} ({type.FullName}): no <remarks> (the description) on the cmdlet class");
        }

        var sets = cmdlet.ParameterSets
            .OrderBy(s => s.IsDefault ? 0 : 1)
            .ToList();
        var syntax = sets.Select(s => new SyntaxItem(s.Name, Ordered(s.Parameters).Select(p => SyntaxParameter.From(p)).ToList())).ToList();

        var defaults = DefaultValues(type);
        var parameters = new List<ParameterHelp>();
        var names = sets.SelectMany(s => Ordered(s.Parameters)).Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var name in names)
        {
            var uses = sets
                .Select(s => (Set: s.Name, Parameter: s.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))))
                .Where(u => u.Parameter is not null)
                .Select(u => (u.Set, Parameter: u.Parameter!))
                .ToList();
            var text = ParameterText(type, doc, docs, name);
            if (text.Count == 0)
            {
                problems.Add($"{cmdlet.Name} -{name}: no <summary> on the parameter property (or <parameter name=\"{name}\"> on the cmdlet class)");
            }

            parameters.Add(ParameterHelp.From(uses, text, DefaultValue(type, name, text, defaults.GetValueOrDefault(name))));
        }

        var inputs = PipelineInputs(cmdlet, doc, sets, problems);

        var outputs = doc?.Elements("output").Select(e => new TypeHelp((string?)e.Attribute("type") ?? "Object", DocComments.Paragraphs(e))).ToList() ?? new List<TypeHelp>();
        if (outputs.Count == 0)
        {
            outputs.AddRange(cmdlet.OutputType.Select(t => new TypeHelp(t.Type?.FullName ?? t.Name, Array.Empty<string>())));
        }

        if (outputs.Count == 0)
        {
            outputs.Add(new TypeHelp("None", new[] { "This cmdlet writes no output." }));
        }

        var examples = doc?.Elements("example").Select(e => new ExampleHelp(
            (string?)e.Attribute("title"),
            e.Element("code") is { } code ? DocComments.Code(code) : string.Empty,
            DocComments.Paragraphs(new XElement("remarks", e.Nodes().Where(n => n is not XElement { Name.LocalName: "code" }))))).ToList() ?? new List<ExampleHelp>();
        if (examples.Count < 2)
        {
            problems.Add($"{cmdlet.Name}: {examples.Count} <example> element(s) on the cmdlet class, at least 2 are required");
        }

        foreach (var (example, index) in examples.Select((e, i) => (e, i + 1)))
        {
            if (example.Code.Length == 0 || example.Remarks.Count == 0)
            {
                problems.Add($"{cmdlet.Name}: example {index} needs a <code> block and a <para> explaining it");
            }
        }

        var notes = DocComments.Paragraphs(doc?.Element("notes"));
        var links = doc?.Elements("seealso").Select(e => (string?)e.Attribute("cref") is { } cref ? CrefLink(cref, type.Assembly) : e.Value.Trim()).ToList() ?? new List<string>();
        links.AddRange(related.Where(r => !links.Contains(r, StringComparer.OrdinalIgnoreCase)));

        var online = type.GetCustomAttribute<CmdletAttribute>()?.HelpUri is { Length: > 0 } uri ? uri : null;
        if (online is null)
        {
            problems.Add($"{cmdlet.Name}: no HelpUri on its [Cmdlet] attribute (Get-Help -Online has nowhere to go)");
        }

        return new CommandHelp(cmdlet.Name, cmdlet.Verb, cmdlet.Noun, synopsis, description, syntax, parameters, inputs, outputs, notes, examples, links, online);
    }

    /// <summary>
    /// The order Get-Help users expect: positional parameters by position, then mandatory named ones, then optional
    /// ones (each in PowerShell's order), -WhatIf and -Confirm last, common parameters left out.
    /// </summary>
    public static IEnumerable<CommandParameterInfo> Ordered(IEnumerable<CommandParameterInfo> parameters)
    {
        var list = parameters.Where(p => !CommonParameters.Contains(p.Name)).ToList();
        return list
            .Select((p, i) => (p, i))
            .OrderBy(x => ShouldProcessText.ContainsKey(x.p.Name) ? 1 : 0)
            .ThenBy(x => x.p.Position >= 0 ? 0 : x.p.IsMandatory ? 1 : 2)
            .ThenBy(x => x.p.Position >= 0 ? x.p.Position : 0)
            .ThenBy(x => x.i)
            .Select(x => x.p);
    }

    /// <summary>
    /// INPUTS from what the parameter binder accepts, never from prose alone: one entry per type that a parameter
    /// binds from the pipeline by value (its element type for an array), then one for property-name binding (any
    /// object with a property of the parameter's name or alias). The <c>input</c> doc comments give the text of the
    /// entry whose type they name; a cmdlet that binds nothing from the pipeline reads "None" whatever they say.
    /// </summary>
    private static List<TypeHelp> PipelineInputs(CmdletInfo cmdlet, XElement? doc, IReadOnlyList<CommandParameterSetInfo> sets, List<string> problems)
    {
        var documented = doc?.Elements("input")
            .Select(e => (Type: ((string?)e.Attribute("type") ?? string.Empty).Trim().TrimEnd('.'), Text: DocComments.Paragraphs(e)))
            .ToList() ?? new List<(string Type, IReadOnlyList<string> Text)>();
        var bindable = sets.SelectMany(s => s.Parameters)
            .Where(p => !CommonParameters.Contains(p.Name) && (p.ValueFromPipeline || p.ValueFromPipelineByPropertyName))
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .ToList();
        if (bindable.Count == 0)
        {
            if (documented.Any(d => !string.Equals(d.Type, "None", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{cmdlet.Name}: <input> names a type but no parameter binds from the pipeline");
            }

            return new List<TypeHelp> { new("None", new[] { "You cannot pipe objects to this cmdlet." }) };
        }

        if (documented.Count == 0)
        {
            problems.Add($"{cmdlet.Name}: parameters accept pipeline input but the cmdlet class has no <input type=\"…\"> element");
        }

        var inputs = new List<TypeHelp>();
        var byValue = bindable.Where(p => p.ValueFromPipeline)
            .GroupBy(p => TypeNames.FullName(ElementType(p.ParameterType)), StringComparer.Ordinal)
            .ToList();
        foreach (var group in byValue)
        {
            var text = documented.Where(d => string.Equals(d.Type, group.Key, StringComparison.OrdinalIgnoreCase)).SelectMany(d => d.Text).ToList();
            var binding = $"Binds by value to {string.Join(", ", group.Select(p => "-" + p.Name))}.";
            inputs.Add(new TypeHelp(group.Key, text.Count > 0 ? text.Append(binding).ToList() : new[] { binding }));
        }

        var byName = bindable.Where(p => p.ValueFromPipelineByPropertyName).ToList();
        if (byName.Count > 0)
        {
            var names = byName.Select(p => p.Aliases.Count == 0 ? p.Name : $"{p.Name} (or {string.Join(", ", p.Aliases)})");
            var binding = $"Any object with one of these properties, bound by property name: {string.Join("; ", names)}.";
            // The documented text, when it was not already shown under a by-value type.
            var text = documented
                .Where(d => !byValue.Any(g => string.Equals(g.Key, d.Type, StringComparison.OrdinalIgnoreCase)) && !string.Equals(d.Type, "None", StringComparison.OrdinalIgnoreCase))
                .SelectMany(d => d.Text)
                .ToList();
            inputs.Add(new TypeHelp("System.Management.Automation.PSObject", text.Append(binding).ToList()));
        }

        if (documented.Any(d => string.Equals(d.Type, "None", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{cmdlet.Name}: <input type=\"None\"> but parameters bind from the pipeline");
        }

        return inputs;
    }

    private static Type ElementType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? type.GetElementType()! : type;
    }

    /// <summary>
    /// The default a user reads in help, first found of: [PSDefaultValue(Help = …)] (or its Value) on the property;
    /// the "Default: …" sentence of the parameter's doc comment (the convention of this module's comments, for
    /// defaults computed when the cmdlet runs, such as the current folder or the connected wallet); the value a fresh
    /// cmdlet object holds. "None" only when none of them says anything.
    /// </summary>
    private static string? DefaultValue(Type type, string name, IReadOnlyList<string> text, string? instanceValue)
    {
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.Name == name);
        if (property?.GetCustomAttribute<PSDefaultValueAttribute>() is { } attribute)
        {
            if (!string.IsNullOrWhiteSpace(attribute.Help))
            {
                return attribute.Help;
            }

            if (attribute.Value is not null)
            {
                return Render(attribute.Value);
            }
        }

        foreach (var paragraph in text)
        {
            if (DocComments.DefaultSentence(paragraph) is { } sentence)
            {
                return sentence;
            }
        }

        return instanceValue;
    }

    private static IReadOnlyList<string> ParameterText(Type type, XElement? cmdletDoc, DocComments docs, string name)
    {
        var specific = cmdletDoc?.Elements("parameter").FirstOrDefault(e => string.Equals((string?)e.Attribute("name"), name, StringComparison.OrdinalIgnoreCase));
        if (specific is not null)
        {
            return DocComments.Paragraphs(specific);
        }

        if (ShouldProcessText.TryGetValue(name, out var standard))
        {
            return new[] { standard };
        }

        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.Name == name);
        var member = property is null ? null : docs.ForProperty(property);
        return DocComments.Paragraphs(member?.Element("summary")).Concat(DocComments.Paragraphs(member?.Element("remarks"))).ToList();
    }

    // Defaults as a fresh cmdlet object holds them (e.g. ThrottleLimit = 8); constructors of cmdlets have no effects.
    private static Dictionary<string, string> DefaultValues(Type type)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        object? instance;
        try
        {
            instance = Activator.CreateInstance(type);
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            return values;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttributes<ParameterAttribute>().Any() && property.GetMethod is not null)
            {
                values[property.Name] = Render(property.GetValue(instance));
            }
        }

        return values;
    }

    private static string Render(object? value) => value switch
    {
        null => "None",
        string s when s.Length == 0 => "None",
        SwitchParameter s => s.IsPresent ? "True" : "False",
        string s => s,
        IDictionary d when d.Count == 0 => "None",
        IEnumerable e => e.Cast<object?>().Any() ? string.Join(", ", e.Cast<object?>().Select(Render)) : "None",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "None",
    };

    private static string CrefLink(string cref, Assembly assembly)
    {
        var typeName = cref.StartsWith("T:", StringComparison.Ordinal) ? cref[2..] : cref;
        var type = assembly.GetType(typeName);
        return type?.GetCustomAttribute<CmdletAttribute>() is { } attribute ? $"{attribute.VerbName}-{attribute.NounName}" : typeName[(typeName.LastIndexOf('.') + 1)..];
    }
}

/// <summary>One syntax line: one parameter set.</summary>
internal sealed record SyntaxItem(string SetName, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter as one parameter set declares it.</summary>
internal sealed record SyntaxParameter(string Name, bool Required, string Position, string PipelineInput, string TypeName, bool IsSwitch, IReadOnlyList<string> Values)
{
    public static SyntaxParameter From(CommandParameterInfo parameter) => new(
        parameter.Name,
        parameter.IsMandatory,
        TypeNames.Position(parameter),
        TypeNames.PipelineInput(parameter),
        TypeNames.Friendly(parameter.ParameterType),
        parameter.ParameterType == typeof(SwitchParameter),
        TypeNames.AllowedValues(parameter));
}

/// <summary>
/// A parameter's entry in the PARAMETERS section. A value that differs between the parameter sets that declare the
/// parameter is shown per set ("true (Path), false (Address)") so that no set is misdescribed.
/// </summary>
internal sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Required,
    string Position,
    string PipelineInput,
    string Aliases,
    bool Globbing,
    bool VariableLength,
    string TypeName,
    string TypeFullName,
    bool IsSwitch,
    string DefaultValue,
    IReadOnlyList<string> Values,
    IReadOnlyList<string> Sets)
{
    public bool AcceptsPipeline => PipelineInput != "False";

    public static ParameterHelp From(IReadOnlyList<(string Set, CommandParameterInfo Parameter)> uses, IReadOnlyList<string> description, string? defaultValue)
    {
        var first = uses[0].Parameter;
        var elementType = Nullable.GetUnderlyingType(first.ParameterType) ?? first.ParameterType;
        return new ParameterHelp(
            first.Name,
            description,
            PerSet(uses, p => p.IsMandatory ? "true" : "false"),
            PerSet(uses, TypeNames.Position),
            PerSet(uses, TypeNames.PipelineInput),
            first.Aliases.Count == 0 ? "None" : string.Join(", ", first.Aliases),
            first.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
            elementType.IsArray,
            TypeNames.Friendly(first.ParameterType),
            TypeNames.FullName(first.ParameterType),
            first.ParameterType == typeof(SwitchParameter),
            defaultValue ?? "None",
            TypeNames.AllowedValues(first),
            uses.Select(u => u.Set).ToList());
    }

    /// <summary>One value when every set agrees, else "value (Set), value (Set)" in set order.</summary>
    public static string PerSet(IReadOnlyList<(string Set, CommandParameterInfo Parameter)> uses, Func<CommandParameterInfo, string> value)
    {
        var values = uses.Select(u => (u.Set, Value: value(u.Parameter))).ToList();
        return values.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count() == 1
            ? values[0].Value
            : string.Join(", ", values.Select(v => $"{v.Value} ({v.Set})"));
    }
}

internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

internal sealed record ExampleHelp(string? Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>How parameter metadata is spelled in help, the same way Get-Help users read it.</summary>
internal static class TypeNames
{
    public static string Position(CommandParameterInfo parameter) =>
        parameter.Position >= 0 ? parameter.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named";

    public static string PipelineInput(CommandParameterInfo parameter) => (parameter.ValueFromPipeline, parameter.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    /// <summary>"String", "String[]", "Int32" for int?, "Hashtable": the short name Get-Help prints in syntax.</summary>
    public static string Friendly(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return Friendly(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`')];
            return $"{name}[{string.Join(", ", type.GetGenericArguments().Select(Friendly))}]";
        }

        return type.Name;
    }

    /// <summary>The full name, without Nullable (Get-Help shows int? as System.Int32).</summary>
    public static string FullName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return FullName(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType)
        {
            var name = type.GetGenericTypeDefinition().FullName!;
            return $"{name[..name.IndexOf('`')]}[{string.Join(", ", type.GetGenericArguments().Select(FullName))}]";
        }

        return type.FullName ?? type.Name;
    }

    /// <summary>[ValidateSet] values, else the names of an enum type: shown as {a | b} in syntax.</summary>
    public static IReadOnlyList<string> AllowedValues(CommandParameterInfo parameter)
    {
        if (parameter.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault() is { } set)
        {
            return set.ValidValues.ToList();
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        type = type.IsArray ? type.GetElementType()! : type;
        return type.IsEnum ? Enum.GetNames(type) : Array.Empty<string>();
    }
}
