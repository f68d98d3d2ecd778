using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;

namespace IExecSecrets;

/// <summary>The fee cap of a command that sends transactions, resolved in one place for every such cmdlet.</summary>
internal static class FeeCapSetting
{
    /// <summary>
    /// -MaxFeePerGas (<paramref name="parameter"/>), else the saved default, else chain.json's maxFeePerGas, else the
    /// built-in cap of the chain id (see <see cref="FeeCap"/>). A value that is not an amount fails InvalidFeeCap before
    /// any network call; chain.json raising a built-in chain's cap is a warning.
    /// </summary>
    public static FeeCap Resolve(IExecCmdlet cmdlet, ChainProfile chain, string? parameter)
    {
        var cap = FeeCap.Resolve(chain, parameter, string.IsNullOrWhiteSpace(parameter) ? SavedDefaults.Shared.MaxFeePerGas : null);
        if (cap.Warning is { } warning) cmdlet.WriteWarning(warning);
        return cap;
    }
}
