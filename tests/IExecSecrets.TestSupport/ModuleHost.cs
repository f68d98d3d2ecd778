using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;
using Xunit;

namespace IExecSecrets.TestSupport;

/// <summary>
/// A real PowerShell engine (SMA, <c>CreateDefault2</c>) with the built module imported from out/IExecSecrets (what a
/// user imports), optionally the SecretManagement stand-in on PSModulePath, and its location set to a work folder so
/// <c>./chain.json</c>, <c>iexec.json</c> and <c>deployed.json</c> are resolved there. The one PowerShell host of the
/// xunit suites.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    /// <summary>A throw-away key (not a devnet account) for tests that need a connected wallet and no chain.</summary>
    public const string TestPrivateKey = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly string? _previousModulePath;

    /// <summary>
    /// Opens the engine. <paramref name="withSecretManagement"/> puts the SecretManagement stand-in (tests/
    /// SecretManagementStandIn) alone on PSModulePath, false an empty folder (SecretManagement absent); PSModulePath is a
    /// process-wide variable, restored on dispose. <paramref name="psHost"/> is the host whose UI answers prompts.
    /// </summary>
    public ModuleHost(bool withSecretManagement = true, string? location = null, PSHost? psHost = null)
    {
        _previousModulePath = Environment.GetEnvironmentVariable("PSModulePath");
        Environment.SetEnvironmentVariable("PSModulePath", withSecretManagement ? RepoPaths.SecretManagementStandIn : Path.Combine(Path.GetTempPath(), "no-modules-here"));
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { ManifestPath });
        Runspace = psHost is null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(psHost, iss);
        Runspace.Open();
        if (location is not null)
        {
            Runspace.SessionStateProxy.Path.SetLocation(location);
        }
    }

    /// <summary>The built module's manifest.</summary>
    public static string ManifestPath => RepoPaths.ModuleManifest;

    /// <summary>The engine's runspace.</summary>
    public Runspace Runspace { get; }

    /// <summary>A read-only SecureString built char by char, as a user's host would.</summary>
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

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="variables"/> set in the session and returns every stream;
    /// what a command wrote before a terminating error is kept, as a console shows it.
    /// </summary>
    public RunResult Run(string script, Dictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            Runspace.SessionStateProxy.SetVariable(name, value);
        }

        using var powershell = PowerShell.Create();
        powershell.Runspace = Runspace;
        powershell.AddScript(script);
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

        var errorVariable = Runspace.SessionStateProxy.GetVariable("Error") is System.Collections.IEnumerable all ? all.Cast<object?>().ToList() : [];
        return new RunResult(
            output.ToList(),
            powershell.Streams.Error.ToList(),
            powershell.Streams.Verbose.Select(v => v.Message).ToList(),
            powershell.Streams.Debug.Select(v => v.Message).ToList(),
            powershell.Streams.Warning.Select(v => v.Message).ToList(),
            powershell.Streams.Information.Select(v => Convert.ToString(v.MessageData, CultureInfo.InvariantCulture) ?? string.Empty).ToList(),
            powershell.Streams.Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}").ToList(),
            powershell.Streams.Progress.ToList(),
            terminating)
        {
            ErrorVariable = errorVariable,
        };
    }

    /// <summary>
    /// Runs <paramref name="script"/> and returns its output, every error and <see cref="RunResult.Everything"/> (all a
    /// user could see or log), for canary checks.
    /// </summary>
    public (List<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, string Everything) RunCapturingEverything(string script, Dictionary<string, object?>? variables = null)
    {
        var result = Run(script, variables);
        return (result.Output, result.AllErrors, result.Everything());
    }

    /// <summary>Connects <see cref="TestPrivateKey"/> as the session's wallet.</summary>
    public void ConnectTestWallet() =>
        Run("Connect-IExecWallet -PrivateKey $k | Out-Null", new Dictionary<string, object?> { ["k"] = Secure(TestPrivateKey) }).ThrowIfFailed();

    /// <inheritdoc />
    public void Dispose()
    {
        Runspace.Dispose();
        Environment.SetEnvironmentVariable("PSModulePath", _previousModulePath);
    }
}

/// <summary>Everything one script run produced.</summary>
public sealed record RunResult(
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
    /// <summary>$Error after the run (what a user could still read, and log, afterwards).</summary>
    public IReadOnlyList<object?> ErrorVariable { get; init; } = [];

    /// <summary>Every error record, the terminating one included (last).</summary>
    public IReadOnlyList<ErrorRecord> AllErrors =>
        Terminating is IContainsErrorRecord withRecord ? [.. Errors, withRecord.ErrorRecord] : Errors;

    /// <summary>The output and every error (the terminating one included): <c>var (output, errors) = host.Run(…)</c>.</summary>
    public void Deconstruct(out List<PSObject> output, out IReadOnlyList<ErrorRecord> errors)
    {
        output = Output;
        errors = AllErrors;
    }

    /// <summary>Output, every error, progress records and the terminating exception: <c>var (output, errors, progress, _) = host.Run(…)</c>.</summary>
    public void Deconstruct(out List<PSObject> output, out IReadOnlyList<ErrorRecord> errors, out List<ProgressRecord> progress, out Exception? terminating)
    {
        output = Output;
        errors = AllErrors;
        progress = Progress;
        terminating = Terminating;
    }

    /// <summary>Throws with every error's id and message when the run wrote an error or ended on one.</summary>
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

    /// <summary>
    /// One text holding everything a user could see or log: every output object and its properties, every record of
    /// every stream, and for each error its message, id, category, details, target, script stack and exception chain
    /// (with the exceptions' Data), plus $Error afterwards. Canary tests search it.
    /// </summary>
    public string Everything()
    {
        var text = new StringBuilder();
        if (Terminating is not null) text.AppendLine(Terminating.ToString());
        foreach (var item in Output)
        {
            text.AppendLine(item?.ToString());
            foreach (var property in item?.Properties ?? Enumerable.Empty<PSPropertyInfo>())
            {
                text.Append(property.Name).Append(" = ").AppendLine(Convert.ToString(SafeValue(property), CultureInfo.InvariantCulture));
            }
        }
        foreach (var record in AllErrors) Describe(record, text);
        foreach (var line in Warning.Concat(Verbose).Concat(Debug).Concat(Information).Concat(ProgressText)) text.AppendLine(line);
        foreach (var item in ErrorVariable)
        {
            if (item is ErrorRecord record) Describe(record, text);
            else text.AppendLine(Convert.ToString(item, CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException ex)
        {
            return ex.Message;
        }
    }

    private static void Describe(ErrorRecord record, StringBuilder text)
    {
        text.AppendLine(record.ToString());
        text.AppendLine(record.FullyQualifiedErrorId);
        text.AppendLine(record.CategoryInfo.ToString());
        text.AppendLine(Convert.ToString(record.TargetObject, CultureInfo.InvariantCulture));
        text.AppendLine(record.ErrorDetails?.Message);
        text.AppendLine(record.ErrorDetails?.RecommendedAction);
        text.AppendLine(record.ScriptStackTrace);
        text.AppendLine(record.InvocationInfo?.PositionMessage);
        for (var exception = record.Exception; exception is not null; exception = exception.InnerException)
        {
            text.AppendLine(exception.ToString());
            if (exception is IExecSecrets.Core.Errors.IExecException iexec) text.AppendLine(iexec.RecommendedAction);
            foreach (System.Collections.DictionaryEntry entry in exception.Data) text.AppendLine($"{entry.Key} = {entry.Value}");
        }
    }
}
