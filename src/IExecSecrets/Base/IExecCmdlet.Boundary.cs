using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;

// The one boundary between the module's texts and the PowerShell streams. Warnings, verbose and debug lines, progress
// records, information messages, confirmation texts and error records quote other parties (an SMS reason phrase, an
// RPC error, a chain.json value, chain data, market and workerpool answers, app output), so each passes
// ForeignText.Clean here. BannedSymbols.txt makes the raw Cmdlet methods and the ErrorRecord/ErrorDetails
// constructors a build error anywhere else in this project; the members below hide them (same names, so a cmdlet's
// WriteWarning(...) binds here without any change at the call site).
#pragma warning disable RS0030

namespace IExecSecrets;

public abstract partial class IExecCmdlet
{
    /// <summary>
    /// Builds the error record for <paramref name="exception"/>: the error id (PowerShell appends the cmdlet class to
    /// make the fully qualified id), the <see cref="ErrorCategory"/> of the same name, the target (a name, address,
    /// file or URL, never a secret) and the recommended action. Message and action are cleaned of terminal control
    /// characters; the target stays the acted-on item as given, for scripts to match.
    /// </summary>
    public static ErrorRecord ToErrorRecord(IExecException exception) => ToErrorRecord(exception, exception.Target);

    /// <summary>
    /// Like <see cref="ToErrorRecord(IExecException)"/>, with <paramref name="target"/> as the TargetObject: the pipeline
    /// item that failed (a secret name) when the exception's own target is, say, the SMS URL it could not reach.
    /// </summary>
    public static ErrorRecord ToErrorRecord(IExecException exception, object? target)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var record = new ErrorRecord(exception, exception.ErrorId, ToErrorCategory(exception.Category), target);
        record.ErrorDetails = new ErrorDetails(ForeignText.Clean(exception.Message));
        if (!string.IsNullOrEmpty(exception.RecommendedAction))
        {
            record.ErrorDetails.RecommendedAction = ForeignText.Clean(exception.RecommendedAction);
        }

        return record;
    }

    /// <summary>
    /// The PowerShell category of the same name, one to one, written out rather than parsed by name so that a renamed
    /// member cannot turn into a silent NotSpecified (a Module test checks every member). The recommended action needs
    /// no mapping: <see cref="IExecException.RecommendedAction"/> already falls back to the catalogue's default.
    /// </summary>
    public static ErrorCategory ToErrorCategory(IExecErrorCategory category) => category switch
    {
        IExecErrorCategory.NotSpecified => ErrorCategory.NotSpecified,
        IExecErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        IExecErrorCategory.InvalidData => ErrorCategory.InvalidData,
        IExecErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        IExecErrorCategory.ResourceExists => ErrorCategory.ResourceExists,
        IExecErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        IExecErrorCategory.AuthenticationError => ErrorCategory.AuthenticationError,
        IExecErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
        IExecErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        IExecErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
        IExecErrorCategory.NotInstalled => ErrorCategory.NotInstalled,
        IExecErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        IExecErrorCategory.ProtocolError => ErrorCategory.ProtocolError,
        IExecErrorCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
        IExecErrorCategory.SecurityError => ErrorCategory.SecurityError,
        IExecErrorCategory.OperationStopped => ErrorCategory.OperationStopped,
        IExecErrorCategory.WriteError => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Writes a warning, cleaned of terminal control characters (it may quote another party).</summary>
    public new void WriteWarning(string text) => base.WriteWarning(ForeignText.Clean(text));

    /// <summary>Writes a verbose line, cleaned of terminal control characters.</summary>
    public new void WriteVerbose(string text) => base.WriteVerbose(ForeignText.Clean(text));

    /// <summary>Writes a debug line, cleaned of terminal control characters.</summary>
    public new void WriteDebug(string text) => base.WriteDebug(ForeignText.Clean(text));

    /// <summary>Writes a progress record whose activity, status and operation are cleaned of terminal control characters.</summary>
    public new void WriteProgress(ProgressRecord progressRecord)
    {
        ArgumentNullException.ThrowIfNull(progressRecord);
        progressRecord.Activity = ForeignText.Clean(progressRecord.Activity);
        progressRecord.StatusDescription = ForeignText.Clean(progressRecord.StatusDescription);
        if (progressRecord.CurrentOperation is { } operation) progressRecord.CurrentOperation = ForeignText.Clean(operation);
        base.WriteProgress(progressRecord);
    }

    /// <summary>Writes an information record; a text or host message is cleaned of terminal control characters.</summary>
    public new void WriteInformation(object messageData, string[] tags)
    {
        messageData = messageData switch
        {
            string text => ForeignText.Clean(text),
            HostInformationMessage message => new HostInformationMessage
            {
                Message = ForeignText.Clean(message.Message),
                NoNewLine = message.NoNewLine,
                ForegroundColor = message.ForegroundColor,
                BackgroundColor = message.BackgroundColor,
            },
            _ => messageData,
        };
        base.WriteInformation(messageData, tags);
    }

    /// <summary><see cref="Cmdlet.ShouldProcess(string)"/> with a cleaned target (the -WhatIf and -Confirm text).</summary>
    public new bool ShouldProcess(string target) => base.ShouldProcess(ForeignText.Clean(target));

    /// <summary><see cref="Cmdlet.ShouldProcess(string, string)"/> with a cleaned target and action.</summary>
    public new bool ShouldProcess(string target, string action) => base.ShouldProcess(ForeignText.Clean(target), ForeignText.Clean(action));

    /// <summary><see cref="Cmdlet.ShouldContinue(string, string)"/> with a cleaned query and caption.</summary>
    public new bool ShouldContinue(string query, string caption) => base.ShouldContinue(ForeignText.Clean(query), ForeignText.Clean(caption));

    /// <summary>
    /// Writes <paramref name="text"/> to the host's UI without a newline (a prompt), cleaned of terminal control
    /// characters; throws what the host throws when it has no UI.
    /// </summary>
    protected void WriteToHost(System.Management.Automation.Host.PSHostUserInterface ui, string text)
    {
        ArgumentNullException.ThrowIfNull(ui);
        ui.Write(ForeignText.Clean(text));
    }

    /// <summary>
    /// Writes a warning line straight to the host's UI (for when the pipeline takes no more output, after a stop),
    /// cleaned of terminal control characters.
    /// </summary>
    protected void WriteWarningToHost(System.Management.Automation.Host.PSHostUserInterface ui, string text)
    {
        ArgumentNullException.ThrowIfNull(ui);
        ui.WriteWarningLine(ForeignText.Clean(text));
    }
}
