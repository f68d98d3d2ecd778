using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Ens;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Addresses as users type them: any case, with <c>0x</c>, a bad checksum accepted like the SDK does; anything that is
/// not 20 bytes of hex fails with <see cref="ErrorIds.InvalidAddress"/> before any network call. Names ending in
/// <c>.eth</c> are resolved on the chain's ENS registry.
/// </summary>
public static class RunAddress
{
    /// <summary>True for text that names an ENS name (ends with <c>.eth</c>).</summary>
    public static bool IsEns(string? text) => EnsResolver.IsEnsName(text);

    /// <summary>Returns the address, or throws InvalidAddress naming <paramref name="parameterName"/> and the text.</summary>
    public static EthAddress Parse(string? text, string parameterName)
    {
        if (EthAddress.TryParse(text?.Trim(), out var address)) return address;
        throw new IExecException(ErrorIds.InvalidAddress,
            $"{text} is not a valid ethereum address (-{parameterName} expects 0x followed by 40 hex digits).", text)
        {
            RecommendedAction = "Pass a 0x-prefixed 20-byte hex address, e.g. the Address of Get-IExecWallet.",
        };
    }

    /// <summary>
    /// <paramref name="text"/> parsed, or, for an ENS name, resolved on <paramref name="chain"/>'s ENS registry through
    /// <paramref name="rpc"/> (<see cref="ErrorIds.EnsNameNotResolved"/> when the chain has none or the name is unknown).
    /// </summary>
    public static async Task<EthAddress> ResolveAsync(string text, string parameterName, JsonRpcClient rpc, ChainProfile chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (!IsEns(text)) return Parse(text, parameterName);
        if (!EthAddress.TryParse(chain.EnsRegistry, out var registry))
        {
            throw new IExecException(ErrorIds.EnsNameNotResolved,
                $"Unable to resolve ENS {text}: chain {chain.Name} has no ENS registry", text)
            { RecommendedAction = $"Pass the {parameterName} address instead of a name." };
        }
        return await new EnsResolver(rpc, registry).ResolveAsync(text, cancellationToken).ConfigureAwait(false);
    }
}
