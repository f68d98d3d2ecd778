using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation.Host;
using System.Security;

namespace IExecSecrets.Module.Tests;

/// <summary>
/// A PowerShell host whose UI answers masked prompts with a given SecureString, or refuses them the way
/// <c>pwsh -NonInteractive</c> does when no answer is given; it records what was written and how often it was asked.
/// </summary>
internal sealed class PromptingHost : PSHost
{
    private readonly PromptingUI _ui;

    public PromptingHost(Func<SecureString>? answer) => _ui = new PromptingUI(answer);

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "PromptingTestHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public int SecurePrompts => _ui.SecurePrompts;

    public string Written => _ui.Written.ToString();

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class PromptingUI(Func<SecureString>? answer) : PSHostUserInterface
    {
        public int SecurePrompts;

        public System.Text.StringBuilder Written { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override SecureString ReadLineAsSecureString()
        {
            Interlocked.Increment(ref SecurePrompts);
            return answer is null
                ? throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.")
                : answer();
        }

        public override string ReadLine() => throw new PSInvalidOperationException("plain-text reads are not expected");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override void Write(string value) => Written.Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Written.Append(value);

        public override void WriteLine(string value) => Written.AppendLine(value);

        public override void WriteErrorLine(string value) => Written.AppendLine(value);

        public override void WriteDebugLine(string message) => Written.AppendLine(message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Written.AppendLine(message);

        public override void WriteWarningLine(string message) => Written.AppendLine(message);
    }
}
