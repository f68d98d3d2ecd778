using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text;
using IExecSecrets.ScriptHost;

// iexec-pwsh: runs a PowerShell script in an embedded engine (SMA 7.6.9) where pwsh is not installed.
//   iexec-pwsh -File script.ps1 [-Name value ...]
//   iexec-pwsh -Command "<script text>"
// Exit code: the script's `exit N`, else 1 when it threw or wrote any error record, else 0.
if (args.Length < 2 || args[0] is not ("-File" or "-Command"))
{
    Console.Error.WriteLine("usage: iexec-pwsh -File <script.ps1> [arguments] | -Command <text>");
    return 2;
}

string script;
if (args[0] == "-File")
{
    var text = new StringBuilder("& '").Append(CodeGeneration.EscapeSingleQuotedStringContent(Path.GetFullPath(args[1]))).Append('\'');
    foreach (var arg in args.Skip(2))
    {
        // Tokens that look like parameter names stay bare; everything else is passed as a literal string.
        if (arg.Length > 1 && arg[0] == '-' && char.IsLetter(arg[1])) text.Append(' ').Append(arg);
        else text.Append(" '").Append(CodeGeneration.EscapeSingleQuotedStringContent(arg)).Append('\'');
    }
    script = text.ToString();
}
else
{
    script = string.Join(' ', args.Skip(1));
}

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
var errorCount = 0;
// Errors are printed as they happen (not merged into the formatted output) so that any of them, terminating or not,
// makes the exit code 1: a walk-through that wrote an error did not succeed.
ps.Streams.Error.DataAdded += (_, e) =>
{
    var record = ps.Streams.Error[e.Index];
    Interlocked.Increment(ref errorCount);
    Console.Error.WriteLine(record.ToString());
    if (record.InvocationInfo?.PositionMessage is { Length: > 0 } position) Console.Error.WriteLine(position);
};
ps.AddScript(script).AddCommand("Out-Default");
try
{
    ps.Invoke();
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine(ex.ErrorRecord?.ToString() ?? ex.Message);
    if (ex.ErrorRecord?.InvocationInfo?.PositionMessage is { } position) Console.Error.WriteLine(position);
    return host.ExitCode ?? 1;
}

if (host.ExitCode is int code) return code;
var lastExit = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
if (lastExit is int exit && exit != 0) return exit;
return errorCount > 0 || ps.HadErrors ? 1 : 0;
