using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace IExecSecrets.ScriptHost;

/// <summary>
/// A minimal console host: enough for scripts to print objects, errors, warnings, verbose text and progress, and to
/// answer prompts from standard input. It exists because pwsh itself cannot be installed on every machine we run on.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();

    public ConsoleHost() => UI = new ConsoleHostUserInterface();

    public int? ExitCode { get; private set; }
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId => _id;
    public override string Name => "IExecSecrets.ScriptHost";
    public override PSHostUserInterface UI { get; }
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
}

internal sealed partial class ConsoleHostUserInterface : PSHostUserInterface
{
    // PowerShell's formatter writes ANSI styling itself and leaves stripping to the host; logs want plain text.
    private static readonly bool StripStyling = Console.IsOutputRedirected;

    public override PSHostRawUserInterface? RawUI => null;

    [System.Text.RegularExpressions.GeneratedRegex("\u001b\\[[0-9;]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex AnsiSequence();

    private static string Plain(string value) => StripStyling ? AnsiSequence().Replace(value, string.Empty) : value;

    public override string ReadLine() => Console.ReadLine() ?? string.Empty;

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        int ch;
        while ((ch = Console.In.Read()) is not (-1 or '\n'))
        {
            if (ch != '\r') secure.AppendChar((char)ch);
        }
        secure.MakeReadOnly();
        return secure;
    }

    public override void Write(string value) => Console.Out.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(Plain(value));
    public override void WriteLine(string value) => Console.Out.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => Console.Error.WriteLine(Plain(value));
    public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        // Without a raw console there is no bar to redraw; one line per completed activity keeps logs readable.
        if (record.RecordType == ProgressRecordType.Completed) Console.Error.WriteLine($"PROGRESS: {record.Activity} done");
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions)
    {
        var result = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            Console.Error.Write($"{field.Name}: ");
            result[field.Name] = field.ParameterTypeFullName == typeof(SecureString).FullName
                ? PSObject.AsPSObject(ReadLineAsSecureString())
                : PSObject.AsPSObject(ReadLine());
        }
        return result;
    }

    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
    {
        Console.Error.WriteLine(caption);
        Console.Error.WriteLine(message);
        for (var i = 0; i < choices.Count; i++) Console.Error.WriteLine($"[{i}] {choices[i].Label.Replace("&", string.Empty)}");
        var answer = ReadLine().Trim();
        return int.TryParse(answer, out var index) && index >= 0 && index < choices.Count ? index : defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        Console.Error.WriteLine(message);
        if (string.IsNullOrEmpty(userName))
        {
            Console.Error.Write("User: ");
            userName = ReadLine();
        }
        Console.Error.Write("Password: ");
        return new PSCredential(userName, ReadLineAsSecureString());
    }
}
