using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// Decides which TEE framework's SMS holds an app developer secret, as <c>iexec app push-secret</c> and
/// <c>iexec app check-secret</c> 8.24 do: an explicit framework wins without reading the chain; otherwise the app is
/// read on chain and the <c>framework</c> of its <c>m_appMREnclave()</c> JSON is used; an app without mrenclave gets
/// <see cref="TeeFramework.Tdx"/> (SDK ≤ 8.22 fell back to the chain default instead).
/// </summary>
public static class AppTeeFramework
{
    /// <summary>The framework of an app whose mrenclave is empty: <see cref="TeeFramework.Tdx"/>, as in SDK 8.24.</summary>
    public const TeeFramework WithoutMrEnclave = TeeFramework.Tdx;

    /// <summary>
    /// The framework for <paramref name="app"/>: <paramref name="explicitFramework"/> when given (no RPC call at all),
    /// else the one its on-chain mrenclave names. Reads only, so the RPC client's retries apply. Throws
    /// <see cref="ErrorIds.AppNotDeployed"/> when the chain's app registry has no app at that address and
    /// <see cref="ErrorIds.AppTeeFrameworkUnresolved"/> when the mrenclave is set but names no known framework.
    /// </summary>
    public static async Task<TeeFramework> ResolveAsync(
        JsonRpcClient rpc,
        ChainProfile chain,
        EthAddress app,
        TeeFramework? explicitFramework,
        CancellationToken cancellationToken = default)
    {
        if (explicitFramework is { } given) return given;
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(chain);
        var info = await new AppReader(rpc, chain).ReadAsync(app, cancellationToken).ConfigureAwait(false);
        return FromMrEnclave(info.MrEnclave, app);
    }

    /// <summary>
    /// The framework named by <paramref name="mrEnclave"/> (the UTF-8 text the chain stores): <see cref="WithoutMrEnclave"/>
    /// when it is empty, its <c>framework</c> in any case otherwise. A non-empty mrenclave without a known framework
    /// throws <see cref="ErrorIds.AppTeeFrameworkUnresolved"/>, where the CLI says <c>Failed to resolve TEE framework from app</c>.
    /// </summary>
    public static TeeFramework FromMrEnclave(string mrEnclave, EthAddress app)
    {
        ArgumentNullException.ThrowIfNull(mrEnclave);
        if (mrEnclave.Length == 0) return WithoutMrEnclave;
        return AppReader.FrameworkOf(mrEnclave) ?? throw new IExecException(
            ErrorIds.AppTeeFrameworkUnresolved,
            $"Failed to resolve TEE framework from app {app}",
            app.ToString())
        { RecommendedAction = "Pass -TeeFramework (scone, gramine or tdx) to choose the SMS yourself." };
    }
}
