using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Ens;

/// <summary>
/// Resolves ENS names (<c>prod-v8-bellecour.main.pools.iexec.eth</c>) the way the SDK does on bellecour:
/// <c>registry.resolver(namehash)</c>, then <c>resolver.addr(namehash)</c>, both in one JSON-RPC round trip where
/// possible. A name without a resolver or an address fails with <see cref="ErrorIds.EnsNameNotResolved"/>
/// (<c>Unable to resolve ENS &lt;name&gt;</c>).
/// </summary>
public sealed class EnsResolver
{
    private readonly JsonRpcClient _rpc;

    /// <summary>Binds the ENS registry at <paramref name="registry"/>.</summary>
    public EnsResolver(JsonRpcClient rpc, EthAddress registry)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Registry = registry;
    }

    /// <summary>The ENS registry contract.</summary>
    public EthAddress Registry { get; }

    /// <summary>True when <paramref name="text"/> looks like an ENS name (ends with <c>.eth</c>) rather than an address.</summary>
    public static bool IsEnsName(string? text) => text is not null && text.EndsWith(".eth", StringComparison.OrdinalIgnoreCase);

    /// <summary>The EIP-137 namehash of <paramref name="name"/> (labels lower-cased, as the names iExec uses are ASCII).</summary>
    public static byte[] NameHash(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var node = new byte[32];
        if (name.Length == 0) return node;
        foreach (var label in Enumerable.Reverse(name.ToLowerInvariant().Split('.')))
            node = Keccak256.Hash(node, Keccak256.HashUtf8(label));
        return node;
    }

    /// <summary>The address <paramref name="name"/> resolves to.</summary>
    public async Task<EthAddress> ResolveAsync(string name, CancellationToken cancellationToken = default)
    {
        var node = NameHash(name);
        EthAddress resolver;
        try
        {
            var result = await _rpc.EthCallAsync(Registry, Abi.EncodeCall("resolver(bytes32)", node), cancellationToken: cancellationToken).ConfigureAwait(false);
            resolver = result.Length < 32 ? EthAddress.Zero : (EthAddress)Abi.Decode("address", result)[0]!;
            if (resolver.IsZero) throw Unresolved(name);
            var address = await _rpc.EthCallAsync(resolver, Abi.EncodeCall("addr(bytes32)", node), cancellationToken: cancellationToken).ConfigureAwait(false);
            var resolved = address.Length < 32 ? EthAddress.Zero : (EthAddress)Abi.Decode("address", address)[0]!;
            return resolved.IsZero ? throw Unresolved(name) : resolved;
        }
        catch (RpcException e)
        {
            throw Unresolved(name, e);
        }
    }

    private static IExecException Unresolved(string name, Exception? inner = null) =>
        new(ErrorIds.EnsNameNotResolved, $"Unable to resolve ENS {name}", name, inner)
        { RecommendedAction = "Check the name, or pass the address instead." };
}
