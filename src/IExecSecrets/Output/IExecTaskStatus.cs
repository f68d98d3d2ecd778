namespace IExecSecrets.Output;

/// <summary>
/// A task's status by name, as the iExec SDK and CLI spell it, so that <c>(Get-IExecTask $t).Status -eq 'COMPLETED'</c>
/// and <c>Where-Object Status -eq FAILED</c> compare by name (PowerShell converts the string to the enum). The values
/// 0-4 are PoCo's on-chain <c>TaskStatusEnum</c>; <see cref="TIMEOUT"/> is the SDK's name for a task that is not final
/// after its final deadline.
/// </summary>
// Upper-case like the SDK: these names are what users type and read in logs.
public enum IExecTaskStatus
{
    /// <summary>Not initialized on chain yet.</summary>
    UNSET = 0,

    /// <summary>Initialized; workers are computing.</summary>
    ACTIVE = 1,

    /// <summary>The consensus is reached; contributions are being revealed.</summary>
    REVEALING = 2,

    /// <summary>Finalized with a result.</summary>
    COMPLETED = 3,

    /// <summary>Claimed after its deadline (the requester was refunded).</summary>
    FAILED = 4,

    /// <summary>Not final and past its final deadline (not an on-chain status; the task can be claimed).</summary>
    TIMEOUT = 5,
}
