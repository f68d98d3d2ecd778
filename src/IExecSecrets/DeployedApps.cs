using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// The CLI's fallback when no app address is given: the app <c>iexec app deploy</c> / <c>Deploy-IExecApp</c>
/// recorded in <c>./deployed.json</c> for the chain.
/// </summary>
internal static class DeployedApps
{
    /// <summary>
    /// <paramref name="given"/> parsed (InvalidAddress naming <paramref name="parameterName"/>) when not null, else the
    /// app deployed on <paramref name="chainId"/> according to deployed.json in <paramref name="directory"/>, else
    /// AppNotInDeployedJson; a malformed deployed.json is InvalidProjectFile.
    /// </summary>
    public static EthAddress GivenOrDeployed(string? given, string parameterName, string directory, Func<ulong> chainId)
    {
        if (given is not null)
        {
            return AddressInput.Parse(given, parameterName);
        }

        var id = chainId();
        return ProjectFiles.ReadDeployedAddress(directory, "app", id) ?? throw new IExecException(
            ErrorIds.AppNotInDeployedJson,
            IExecErrorCategory.ObjectNotFound,
            $"Missing appAddress and no app found in \"{ProjectFiles.DeployedFileName}\" for chain {id}",
            Path.Combine(directory, ProjectFiles.DeployedFileName))
        {
            RecommendedAction = $"Pass -{parameterName} <address>, or deploy the app first with Deploy-IExecApp.",
        };
    }
}
