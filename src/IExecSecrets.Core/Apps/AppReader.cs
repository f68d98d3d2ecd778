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

        var app = new AppContract(Rpc, address);
        var owner = app.OwnerAsync(cancellationToken);
        var name = app.NameAsync(cancellationToken);
        var type = app.TypeAsync(cancellationToken);
        var multiaddr = app.MultiaddrAsync(cancellationToken);
        var checksum = app.ChecksumAsync(cancellationToken);
        var mrEnclave = app.MrEnclaveAsync(cancellationToken);
        await Task.WhenAll(owner, name, type, multiaddr, checksum, mrEnclave).ConfigureAwait(false);

        var mrEnclaveText = Encoding.UTF8.GetString(mrEnclave.Result);
        return new AppInfo(
            address,
            Profile.ChainId,
            owner.Result,
            name.Result,
            type.Result,
            MultiaddrCodec.Decode(multiaddr.Result),
            Hex.Encode(checksum.Result),
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
        catch (JsonException)
        {
            return null;
        }
    }
}
