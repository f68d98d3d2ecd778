using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Execution;

namespace IExecSecrets;

/// <summary>
/// Parses addresses typed by the user with Core's rule (<see cref="RunAddress.Parse"/>): any case, with <c>0x</c>; a bad
/// checksum is accepted like the SDK does, but anything that is not 20 bytes of hex fails with InvalidAddress before
/// any network call.
/// </summary>
internal static class AddressInput
{
    /// <summary>Returns the address, or throws InvalidAddress naming the parameter and the offending text.</summary>
    public static EthAddress Parse(string? text, string parameterName) => RunAddress.Parse(text, parameterName);
}
