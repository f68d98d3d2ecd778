// The ids and categories are self-describing names; a summary on each would only repeat it.
#pragma warning disable CS1591
namespace IExecSecrets.Core.Errors;

/// <summary>
/// The kind of failure, named like PowerShell's <c>ErrorCategory</c> members so the module maps it one to one
/// without Core referencing PowerShell.
/// </summary>
public enum IExecErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    AuthenticationError,
    ConnectionError,
    OperationTimeout,
    InvalidOperation,
    NotInstalled,
    ResourceUnavailable,
    ProtocolError,
    LimitsExceeded,
    SecurityError,
    OperationStopped,
    WriteError,
}
