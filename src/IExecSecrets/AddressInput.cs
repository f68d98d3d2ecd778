using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// Parses addresses typed by the user: any case, with <c>0x</c>; a bad checksum is accepted like the SDK does, but
/// anything that is not 20 bytes of hex fails with <see cref="ErrorIds.InvalidAddress"/> before any network call.
/// </summary>
internal static class AddressInput
{
    /// <summary>Returns the address, or throws InvalidAddress naming the parameter and the offending text.</summary>
    public static EthAddress Parse(string? text, string parameterName)
    {
        if (EthAddress.TryParse(text?.Trim(), out var address))
        {
            return address;
        }

        throw new IExecException(
            ErrorIds.InvalidAddress,
            IExecErrorCategory.InvalidArgument,
            $"{text} is not a valid ethereum address (-{parameterName} expects 0x followed by 40 hex digits).",
            text)
        {
            RecommendedAction = "Pass a 0x-prefixed 20-byte hex address, e.g. the Address of Get-IExecWallet.",
        };
    }
}
