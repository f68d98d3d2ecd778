using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using IExecSecrets.Core.Apps;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Money;

/// <summary>The built module in a real PowerShell engine at a work directory; each run returns output, errors, warnings and verbose text.</summary>
internal sealed class ModuleSession : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleSession(string location)
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule([Path.Combine(AppContext.BaseDirectory, "IExecSecrets.dll")]);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        _runspace.SessionStateProxy.Path.SetLocation(location);
    }

    public (List<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<string> Verbose) Run(string script, Dictionary<string, object?> variables)
    {
        using var powershell = PowerShell.Create(_runspace);
        foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        powershell.AddScript(script);
        List<PSObject> output;
        var errors = new List<ErrorRecord>();
        try
        {
            output = powershell.Invoke().ToList();
        }
        catch (RuntimeException e)
        {
            output = [];
            errors.Add(e.ErrorRecord);
        }
        errors.AddRange(powershell.Streams.Error);
        return (output, errors, powershell.Streams.Warning.Select(w => w.Message).ToList(), powershell.Streams.Verbose.Select(v => v.Message).ToList());
    }

    public void Dispose() => _runspace.Dispose();
}
