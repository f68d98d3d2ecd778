using System.Management.Automation;
using System.Management.Automation.Runspaces;
using IExecSecrets.HelpGen;

// IExecSecrets.HelpGen <module manifest> <xml doc file> <output MAML file> [related link ...]
// Imports the laid-out module in an embedded engine, asks PowerShell for each exported cmdlet's parameter sets (so
// the help shows exactly what Get-Command shows), and writes the MAML with the texts of the XML doc comments.
// A cmdlet or parameter without text gives "warning HG0002" lines (MSBuild shows them as build warnings) and the
// help tests fail; the MAML is still written so that everything else keeps working while the text is missing.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: IExecSecrets.HelpGen <module.psd1> <Assembly.xml> <out/…-Help.xml> [related link ...]");
    return 2;
}

var manifest = Path.GetFullPath(args[0]);
var docs = new DocComments(Path.GetFullPath(args[1]));
var output = Path.GetFullPath(args[2]);
var related = args.Skip(3).ToArray();

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
var document = MamlWriter.Write(cmdlets.Select(c => CommandHelp.From(c, docs, related, problems)).ToList());
foreach (var problem in problems)
{
    Console.WriteLine($"warning HG0002: {problem}");
}

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
var temporary = output + ".tmp";
document.Save(temporary);
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"HelpGen: {cmdlets.Count} cmdlets -> {output}");
return 0;
