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

    /// <summary>
    /// Runs <paramref name="script"/> and returns its output with one text holding everything a user could see or
    /// log: every output object's properties, every record of every stream, and for each error its message, details,
    /// target, exception chain and script stack, plus $Error afterwards. Canary tests search this text.
    /// </summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, string Everything) RunCapturingEverything(
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
        var text = new System.Text.StringBuilder();
        try
        {
            output = powershell.Invoke();
        }
        catch (RuntimeException ex)
        {
            text.AppendLine(ex.ToString());
            if (ex.ErrorRecord is { } record) Describe(record, text);
        }
        foreach (var item in output)
        {
            text.AppendLine(item?.ToString());
            foreach (var property in item?.Properties ?? Enumerable.Empty<PSPropertyInfo>())
            {
                text.Append(property.Name).Append(" = ").AppendLine(Convert.ToString(SafeValue(property), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        foreach (var record in powershell.Streams.Error) Describe(record, text);
        foreach (var record in powershell.Streams.Warning) text.AppendLine(record.Message);
        foreach (var record in powershell.Streams.Verbose) text.AppendLine(record.Message);
        foreach (var record in powershell.Streams.Debug) text.AppendLine(record.Message);
        foreach (var record in powershell.Streams.Information) text.AppendLine(Convert.ToString(record.MessageData, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var record in powershell.Streams.Progress) text.AppendLine(record.Activity + " " + record.StatusDescription + " " + record.CurrentOperation);
        if (_runspace.SessionStateProxy.GetVariable("Error") is System.Collections.IEnumerable all)
        {
            foreach (var item in all)
            {
                if (item is ErrorRecord record) Describe(record, text);
                else text.AppendLine(item?.ToString());
            }
        }
        var errors = powershell.Streams.Error.ToList();
        return (output, errors, text.ToString());
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

    private static void Describe(ErrorRecord record, System.Text.StringBuilder text)
    {
        text.AppendLine(record.ToString());
        text.AppendLine(record.FullyQualifiedErrorId);
        text.AppendLine(record.CategoryInfo.ToString());
        text.AppendLine(Convert.ToString(record.TargetObject, System.Globalization.CultureInfo.InvariantCulture));
        text.AppendLine(record.ErrorDetails?.Message);
        text.AppendLine(record.ErrorDetails?.RecommendedAction);
        text.AppendLine(record.ScriptStackTrace);
        text.AppendLine(record.InvocationInfo?.PositionMessage);
        for (var exception = record.Exception; exception is not null; exception = exception.InnerException)
        {
            text.AppendLine(exception.ToString());
            foreach (System.Collections.DictionaryEntry entry in exception.Data) text.AppendLine($"{entry.Key} = {entry.Value}");
        }
    }

    public void Dispose() => _runspace.Dispose();
}
