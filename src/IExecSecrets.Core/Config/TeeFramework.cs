namespace IExecSecrets.Core.Config;

/// <summary>
/// The TEE technologies iExec SDK 8.24 knows. Each has its own SMS, so a secret pushed for one framework is invisible
/// to tasks of another. Convert to and from the lower-case wire names with <see cref="TeeFrameworks"/>.
/// </summary>
public enum TeeFramework
{
    /// <summary>SGX SCONE, the framework of the bellecour workerpools (wire name <c>scone</c>).</summary>
    Scone,

    /// <summary>SGX Gramine (wire name <c>gramine</c>).</summary>
    Gramine,

    /// <summary>Intel TDX, the Arbitrum framework (wire name <c>tdx</c>).</summary>
    Tdx,
}
