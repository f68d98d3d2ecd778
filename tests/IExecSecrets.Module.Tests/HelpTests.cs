using System.Reflection;
using System.Xml.Linq;

namespace IExecSecrets.Module.Tests;

public sealed class HelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static TheoryData<string> ExportedCmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(IExecCmdlet).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<CmdletAttribute>() is { } attribute)
            {
                data.Add($"{attribute.VerbName}-{attribute.NounName}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void Maml_IsCompleteForCmdlet(string cmdletName)
    {
        // Generated at build time by tools/IExecSecrets.HelpGen into the module layout (never committed).
        var document = XDocument.Load(Path.Combine(RepoPaths.Root, "out", "IExecSecrets", "en-US", "IExecSecrets.dll-Help.xml"));
        var type = typeof(IExecCmdlet).Assembly.GetTypes().Single(t => t.GetCustomAttribute<CmdletAttribute>() is { } a && $"{a.VerbName}-{a.NounName}" == cmdletName);

        var help = document.Root!.Elements(Command + "command").SingleOrDefault(c => (string?)c.Element(Command + "details")?.Element(Command + "name") == cmdletName);

        Assert.True(help is not null, $"{cmdletName} has no <command:command> block");
        var synopsis = help!.Element(Command + "details")!.Element(Maml + "description")?.Value.Trim();
        Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{cmdletName}: no synopsis");
        Assert.False(string.IsNullOrWhiteSpace(help.Element(Maml + "description")?.Value), $"{cmdletName}: no description");
        var examples = help.Element(Command + "examples")?.Elements(Command + "example").ToList() ?? new List<XElement>();
        Assert.True(examples.Count >= 2, $"{cmdletName}: {examples.Count} examples, need 2");
        Assert.All(examples, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "code")?.Value), $"{cmdletName}: example without code");
            Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "remarks")?.Value), $"{cmdletName}: example without explanation");
        });
        Assert.False(string.IsNullOrWhiteSpace(help.Element(Command + "inputTypes")?.Value), $"{cmdletName}: no INPUTS");
        Assert.False(string.IsNullOrWhiteSpace(help.Element(Command + "returnValues")?.Value), $"{cmdletName}: no OUTPUTS");
        var documented = help.Element(Command + "parameters")?.Elements(Command + "parameter")
            .Where(p => !string.IsNullOrWhiteSpace(p.Element(Maml + "description")?.Value))
            .Select(p => (string)p.Element(Maml + "name")!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase) ?? new HashSet<string>();
        var declared = type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()).Select(p => p.Name).Where(n => !CommonParameters.Contains(n));
        Assert.All(declared, name => Assert.True(documented.Contains(name), $"{cmdletName}: parameter -{name} is not documented"));
    }

    [Fact]
    public void GetHelp_InHostedEngine_ShowsMamlSynopsisAndExamples()
    {
        using var host = new ModuleHost();

        var result = host.Run("$h = Get-Help Push-IExecRequesterSecret -Full; $h.Synopsis; @($h.examples.example).Count").ThrowIfFailed();

        Assert.Equal("Pushes a requester secret of the connected wallet to the iExec SMS.", result.Output[0].BaseObject.ToString()!.Trim());
        Assert.True((int)result.Output[1].BaseObject >= 2);
    }

    [Fact]
    public void AboutTopic_Exists()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "en-US", "about_IExecSecrets.help.txt"));

        Assert.Contains("about_IExecSecrets", text);
        Assert.Contains("SecretAlreadyExists", text);
    }
}
