using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;

namespace IExecSecrets.Core.Config;

/// <summary>Opens the JSON-RPC connection a <see cref="ChainProfile"/> describes.</summary>
public static class ChainRpc
{
    /// <summary>
    /// A client for the chain's <see cref="ChainProfile.Host"/>. Throws <see cref="ErrorIds.MissingRpcHost"/> when
    /// there is none, and <see cref="ErrorIds.InvalidChainConfig"/> when it is not an http(s) URL (the SDK's
    /// <c>mainnet</c> host names an ethers default provider, which this module does not have), and
    /// <see cref="ErrorIds.InsecureRpcUrl"/> for plain http to a non-loopback host unless
    /// <paramref name="allowInsecureHttp"/>. Nothing is sent; the host is never printed beyond scheme, host and port.
    /// </summary>
    public static JsonRpcClient Connect(ChainProfile chain, bool allowInsecureHttp = false)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (string.IsNullOrEmpty(chain.Host))
        {
            throw new IExecException(
                ErrorIds.MissingRpcHost,
                $"Missing RPC host, no \"host\" key in \"{ChainConfigFile.FileName}\" and no default value for chain {chain.ChainId}",
                chain.Name);
        }
        if (!Uri.TryCreate(chain.Host, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new IExecException(
                ErrorIds.InvalidChainConfig,
                $"RPC host \"{TransportPolicy.Display(chain.Host)}\" of chain {chain.Name} is not an http(s) URL",
                chain.Name)
            { RecommendedAction = $"Set \"host\" to the node's URL in the \"{chain.Name}\" entry of chain.json." };
        }
        return new JsonRpcClient(uri, allowInsecureHttp: allowInsecureHttp);
    }
}
