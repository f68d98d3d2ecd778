using System.Globalization;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// Reads the app address <c>iexec app deploy</c> / <c>Deploy-IExecApp</c> recorded in <c>./deployed.json</c>
/// (<c>{"app":{"&lt;chainId&gt;":"0x…"}}</c>), the CLI's fallback when no app address is given.
/// </summary>
internal static class DeployedApps
{
    /// <summary>The app deployed on <paramref name="chainId"/> according to deployed.json in <paramref name="directory"/>, or AppNotInDeployedJson.</summary>
    public static EthAddress Find(string directory, ulong chainId)
    {
        var path = Path.Combine(directory, "deployed.json");
        var key = chainId.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("app", out var apps)
                    && apps.ValueKind == JsonValueKind.Object
                    && apps.TryGetProperty(key, out var app)
                    && EthAddress.TryParse(app.GetString(), out var address))
                {
                    return address;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new IExecException(ErrorIds.InvalidProjectFile, IExecErrorCategory.InvalidData, $"\"deployed.json\" is not valid JSON: {ex.Message}", path, ex);
        }

        throw new IExecException(
            ErrorIds.AppNotInDeployedJson,
            IExecErrorCategory.ObjectNotFound,
            $"Missing appAddress and no app found in \"deployed.json\" for chain {key}",
            path)
        {
            RecommendedAction = "Pass -App <address>, or deploy the app first with Deploy-IExecApp.",
        };
    }
}
