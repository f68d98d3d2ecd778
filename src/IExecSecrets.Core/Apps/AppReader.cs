using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// Reads a deployed app from the chain (<c>iexec app show</c>): checks the chain's app registry knows the address,
/// then reads owner, name, type, multiaddr, checksum and mrenclave. Reads only; safe to retry.
/// </summary>
public sealed class AppReader : RegistryEntryClient
{
    /// <summary>Reads from <paramref name="chain"/> through <paramref name="rpc"/>.</summary>
    public AppReader(JsonRpcClient rpc, ChainProfile chain)
        : base(rpc, chain)
    {
    }

    /// <summary>
    /// The app at <paramref name="address"/>. Throws <see cref="ErrorIds.AppNotDeployed"/> when the chain's app
    /// registry has no app there.
    /// </summary>
    public async Task<AppInfo> ReadAsync(EthAddress address, CancellationToken cancellationToken = default)
    {
        var registry = await AppRegistry.FromHubAsync(Rpc, Hub(), cancellationToken).ConfigureAwait(false);
        if (!await registry.IsRegisteredAsync(address, cancellationToken).ConfigureAwait(false))
        {
            throw new IExecException(
                ErrorIds.AppNotDeployed,
                $"No app found for id {address} on chain {Profile.ChainId}",
                address.ToString())
            { RecommendedAction = "Check the address and the chain (-Chain)." };
        }

        var app = await new AppContract(Rpc, address).ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        var mrEnclaveText = Encoding.UTF8.GetString(app.MrEnclave);
        return new AppInfo(
            address,
            Profile.ChainId,
            app.Owner,
            app.Name,
            app.Type,
            MultiaddrCodec.Decode(app.Multiaddr),
            Hex.Encode(app.Checksum),
            mrEnclaveText,
            FrameworkOf(mrEnclaveText));
    }

    /// <summary>The <c>framework</c> of mrenclave JSON text, or null when the text is empty, not JSON or names none.</summary>
    public static TeeFramework? FrameworkOf(string mrEnclave)
    {
        if (string.IsNullOrWhiteSpace(mrEnclave)) return null;
        try
        {
            return JsonNode.Parse(mrEnclave) is JsonObject obj
                && obj["framework"] is JsonValue value
                && value.TryGetValue<string>(out var text)
                && TeeFrameworks.TryParse(text, out var framework)
                ? framework
                : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Anyone writes an app's mrenclave on chain: text that is not JSON, or an object naming a key twice (which
            // JsonObject refuses with ArgumentException), names no framework rather than failing the read.
            return null;
        }
    }
}
