using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace IExecSecrets.Module.Tests;

/// <summary>
/// A real PowerShell engine (SMA, CreateDefault2) with the built module imported from out/IExecSecrets, and
/// optionally the SecretManagement stand-in on PSModulePath.
/// </summary>
internal sealed class ModuleHost : IDisposable
{
    public const string TestPrivateKey = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly string? _previousModulePath;

    public ModuleHost(bool withSecretManagement = true, string? location = null, System.Management.Automation.Host.PSHost? psHost = null)
    {
        _previousModulePath = Environment.GetEnvironmentVariable("PSModulePath");
        var standIn = Path.Combine(AppContext.BaseDirectory, "SecretManagementStandIn");
        Environment.SetEnvironmentVariable("PSModulePath", withSecretManagement ? standIn : Path.Combine(Path.GetTempPath(), "no-modules-here"));
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { ManifestPath });
        Runspace = psHost is null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(psHost, iss);
        Runspace.Open();
        if (location is not null)
        {
            Runspace.SessionStateProxy.Path.SetLocation(location);
        }
    }

    public static string RepoRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IExecSecrets.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("IExecSecrets.sln not found above the test folder.");
        }
    }

    public static string ManifestPath => Path.Combine(RepoRoot, "out", "IExecSecrets", "IExecSecrets.psd1");

    public Runspace Runspace { get; }

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public RunResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            Runspace.SessionStateProxy.SetVariable(name, value);
        }

        using var powershell = PowerShell.Create();
        powershell.Runspace = Runspace;
        powershell.AddScript(script);
        // Streamed into a collection, so what a command wrote before a terminating error is kept, as a console shows it.
        var output = new PSDataCollection<PSObject>();
        Exception? terminating = null;
        try
        {
            powershell.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings());
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }

        return new RunResult(
            output.ToList(),
            powershell.Streams.Error.ToList(),
            powershell.Streams.Verbose.Select(v => v.Message).ToList(),
            powershell.Streams.Debug.Select(v => v.Message).ToList(),
            powershell.Streams.Warning.Select(v => v.Message).ToList(),
            powershell.Streams.Information.Select(v => v.MessageData?.ToString() ?? string.Empty).ToList(),
            powershell.Streams.Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}").ToList(),
            powershell.Streams.Progress.ToList(),
            terminating);
    }

    public void ConnectTestWallet() =>
        Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new Dictionary<string, object?> { ["k"] = Secure(TestPrivateKey) }).ThrowIfFailed();

    public void Dispose()
    {
        Runspace.Dispose();
        Environment.SetEnvironmentVariable("PSModulePath", _previousModulePath);
    }
}

/// <summary>Everything one script run produced.</summary>
internal sealed record RunResult(
    List<PSObject> Output,
    List<ErrorRecord> Errors,
    List<string> Verbose,
    List<string> Debug,
    List<string> Warning,
    List<string> Information,
    List<string> ProgressText,
    List<ProgressRecord> Progress,
    Exception? Terminating)
{
    /// <summary>Every error record, the terminating one included.</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        Terminating is IContainsErrorRecord withRecord ? Errors.Append(withRecord.ErrorRecord) : Errors;

    public RunResult ThrowIfFailed()
    {
        if (Terminating is not null || Errors.Count > 0)
        {
            throw new InvalidOperationException("Script failed: " + string.Join(" | ", AllErrors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")), Terminating);
        }

        return this;
    }

    /// <summary>The single error the run produced (terminating or not).</summary>
    public ErrorRecord SingleError() => Assert.Single(AllErrors);
}
