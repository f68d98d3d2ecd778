using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using IExecSecrets.HelpGen;

// IExecSecrets.HelpGen <module manifest> <xml doc file> <output MAML file> [--markdown <folder>] [related link ...]
// Imports the laid-out module in an embedded engine, asks PowerShell for each exported cmdlet's parameter sets (so
// the help shows exactly what Get-Command shows), and writes the MAML with the texts of the XML doc comments; with
// --markdown, also one markdown page per cmdlet and a README.md index into that folder (docs/cmdlets is the committed
// copy), from the same model. A cmdlet or parameter without text, or a HelpUri off the convention
// (<ProjectUri>/blob/main/docs/cmdlets/<Verb-Noun>.md), gives "warning HG0002" lines (MSBuild shows them as build
// warnings) and the help tests fail; the files are still written so that everything else keeps working.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: IExecSecrets.HelpGen <module.psd1> <Assembly.xml> <out/…-Help.xml> [--markdown <folder>] [related link ...]");
    return 2;
}

var manifest = Path.GetFullPath(args[0]);
var docs = new DocComments(Path.GetFullPath(args[1]));
var output = Path.GetFullPath(args[2]);
string? markdown = null;
var related = new List<string>();
for (var i = 3; i < args.Length; i++)
{
    if (args[i] == "--markdown" && i + 1 < args.Length)
    {
        markdown = Path.GetFullPath(args[++i]);
    }
    else
    {
        related.Add(args[i]);
    }
}

var iss = InitialSessionState.CreateDefault2();
iss.ImportPSModule(new[] { manifest });
using var runspace = RunspaceFactory.CreateRunspace(iss);
runspace.Open();
using var powershell = PowerShell.Create();
powershell.Runspace = runspace;
var moduleName = Path.GetFileNameWithoutExtension(manifest);
var cmdlets = powershell.AddCommand("Get-Command").AddParameter("Module", moduleName).AddParameter("CommandType", CommandTypes.Cmdlet)
    .Invoke<CmdletInfo>()
    .OrderBy(c => c.Name, StringComparer.Ordinal)
    .ToList();
if (cmdlets.Count == 0)
{
    Console.Error.WriteLine($"error HG0001: module {manifest} exports no cmdlet");
    return 1;
}

var problems = new List<string>();
var project = cmdlets[0].Module?.ProjectUri?.AbsoluteUri.TrimEnd('/');
if (project is null)
{
    problems.Add($"{manifest}: no PrivateData.PSData.ProjectUri, the base of every cmdlet's HelpUri");
}

var commands = cmdlets.Select(c => CommandHelp.From(c, docs, related, problems)).ToList();
foreach (var command in commands)
{
    // The page of a cmdlet, relative to the project's repository: the committed docs/cmdlets on the main branch.
    var expected = $"{project}/blob/main/docs/cmdlets/{command.Name}.md";
    if (project is not null && command.OnlineUri is not null && command.OnlineUri != expected)
    {
        problems.Add($"{command.Name}: HelpUri is {command.OnlineUri}, expected {expected}");
    }
}

var document = MamlWriter.Write(commands);
foreach (var problem in problems)
{
    Console.WriteLine($"warning HG0002: {problem}");
}

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
var temporary = output + ".tmp";
document.Save(temporary);
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"HelpGen: {cmdlets.Count} cmdlets -> {output}");

if (markdown is not null)
{
    Directory.CreateDirectory(markdown);
    var pages = MarkdownWriter.Write(commands, moduleName);
    // A page of a cmdlet that no longer exists goes, so the folder is exactly what the module has.
    foreach (var stale in Directory.EnumerateFiles(markdown, "*.md").Where(f => !pages.ContainsKey(Path.GetFileName(f))))
    {
        File.Delete(stale);
    }

    var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    foreach (var (name, text) in pages)
    {
        var path = Path.Combine(markdown, name);
        if (!File.Exists(path) || File.ReadAllText(path, utf8) != text)
        {
            File.WriteAllText(path, text, utf8);
        }
    }

    Console.WriteLine($"HelpGen: {pages.Count} markdown pages -> {markdown}");
}

return 0;
