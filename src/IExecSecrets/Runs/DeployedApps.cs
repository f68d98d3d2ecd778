using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// The CLI's fallback when no app or dataset address is given: the app (dataset) <c>iexec app deploy</c> /
/// <c>Deploy-IExecApp</c> (<c>Deploy-IExecDataset</c>) recorded in <c>./deployed.json</c> for the chain.
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
            $"Missing appAddress and no app found in \"{ProjectFiles.DeployedFileName}\" for chain {id}",
            Path.Combine(directory, ProjectFiles.DeployedFileName))
        {
            RecommendedAction = $"Pass -{parameterName} <address>, or deploy the app first with Deploy-IExecApp.",
        };
    }

    /// <summary>
    /// Like <see cref="GivenOrDeployed"/> for datasets: <paramref name="given"/> parsed, else the dataset deployed on
    /// <paramref name="chainId"/> according to deployed.json, else DatasetNotInDeployedJson.
    /// </summary>
    public static EthAddress GivenOrDeployedDataset(string? given, string parameterName, string directory, Func<ulong> chainId)
    {
        if (given is not null)
        {
            return AddressInput.Parse(given, parameterName);
        }

        var id = chainId();
        return ProjectFiles.ReadDeployedAddress(directory, "dataset", id) ?? throw new IExecException(
            ErrorIds.DatasetNotInDeployedJson,
            $"Missing datasetAddress argument and no dataset found in \"{ProjectFiles.DeployedFileName}\" for chain {id}",
            Path.Combine(directory, ProjectFiles.DeployedFileName))
        {
            RecommendedAction = $"Pass -{parameterName} <address>, or deploy the dataset first with Deploy-IExecDataset.",
        };
    }
}
