using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using IExecSecrets.Interop.Tests.Sms;

namespace IExecSecrets.Interop.Tests.Fixtures;

/// <summary>
/// The built module imported into a real PowerShell engine (SMA 7.6.9, <c>CreateDefault2</c>), with its location set
/// to a work directory so <c>./chain.json</c> and <c>deployed.json</c> are resolved there as the CLI would.
/// </summary>
public sealed class HostedModule : IDisposable
{
    private readonly Runspace _runspace;

    public HostedModule(string workDirectory)
    {
        var manifest = Path.Combine(IExecSecrets.TestSupport.RepoPaths.Root, "out", "IExecSecrets", "IExecSecrets.psd1");
        if (!File.Exists(manifest)) throw new FileNotFoundException($"Build the module first (dotnet build): {manifest} is missing.", manifest);
        var session = InitialSessionState.CreateDefault2();
        session.ImportPSModule(manifest);
        _runspace = RunspaceFactory.CreateRunspace(session);
        _runspace.Open();
        _runspace.SessionStateProxy.Path.SetLocation(workDirectory);
    }

    /// <summary>Runs a script with named arguments; returns output and the error records it wrote.</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(string script, IDictionary<string, object?>? arguments = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        if (arguments is not null) ps.AddParameters((System.Collections.IDictionary)arguments);
        var output = ps.Invoke();
        return (output, ps.Streams.Error.ToList());
    }

    /// <summary>Runs a script with variables set in the session; returns every stream, a terminating error among the errors.</summary>
    public (List<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<string> Verbose) RunAll(string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>()) _runspace.SessionStateProxy.SetVariable(name, value);
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        var errors = new List<ErrorRecord>();
        try
        {
            ps.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings());
        }
        catch (RuntimeException e)
        {
            errors.Add(e.ErrorRecord);
        }
        errors.InsertRange(0, ps.Streams.Error);
        return (output.ToList(), errors, ps.Streams.Warning.Select(w => w.Message).ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList());
    }

    /// <summary>A read-only SecureString built char by char, as a user's host would.</summary>
    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public void Dispose() => _runspace.Dispose();
}
