using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace IExecSecrets.Enclave.Tests;

/// <summary>A real PowerShell engine with the built module (out/IExecSecrets) and the SecretManagement stand-in.</summary>
internal sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellHost()
    {
        Environment.SetEnvironmentVariable("PSModulePath", Path.Combine(AppContext.BaseDirectory, "SecretManagementStandIn"));
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Path.Combine(RepoPaths.Root, "out", "IExecSecrets", "IExecSecrets.psd1") });
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<ProgressRecord> Progress, Exception? Terminating) Run(
        string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }
        using var powershell = PowerShell.Create();
        powershell.Runspace = _runspace;
        powershell.AddScript(script);
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = powershell.Invoke();
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }
        var errors = powershell.Streams.Error.ToList();
        if (terminating is RuntimeException { ErrorRecord: { } record }) errors.Add(record);
        return (output, errors, powershell.Streams.Progress.ToList(), terminating);
    }

    public void Dispose() => _runspace.Dispose();
}
