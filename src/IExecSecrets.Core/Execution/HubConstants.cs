using System.Collections.Concurrent;
using System.Numerics;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// What a PoCo hub fixes at deployment and never changes — its EIP-712 domain (checked against the profile's chain id
/// and hub before it is kept), its three registries and <c>final_deadline_ratio</c> — as read through one RPC node, kept
/// for the process so a warm run does not ask again. Keyed by node URL, chain id and hub: another node, chain or hub is
/// read afresh, so a cached answer is only ever the same node's earlier answer for the same contract.
/// </summary>
internal sealed record HubConstants(Eip712Domain Domain, Crypto.EthAddress AppRegistry, Crypto.EthAddress WorkerpoolRegistry, Crypto.EthAddress DatasetRegistry)
{
    private static readonly ConcurrentDictionary<string, HubConstants> Known = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, BigInteger> Ratios = new(StringComparer.Ordinal);

    public static string KeyOf(Uri node, ulong chainId, Crypto.EthAddress hub) =>
        string.Join('|', node.AbsoluteUri, chainId.ToString(System.Globalization.CultureInfo.InvariantCulture), hub.ToLowerHex());

    public static HubConstants? Find(string key) => Known.TryGetValue(key, out var found) ? found : null;

    public static void Remember(string key, HubConstants constants) => Known[key] = constants;

    public static BigInteger? FindRatio(string key) => Ratios.TryGetValue(key, out var ratio) ? ratio : null;

    public static void RememberRatio(string key, BigInteger ratio) => Ratios[key] = ratio;
}
