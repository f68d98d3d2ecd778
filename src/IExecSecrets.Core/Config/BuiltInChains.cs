namespace IExecSecrets.Core.Config;

/// <summary>
/// The chains iExec SDK 8.24.0 knows by default (<c>src/common/utils/config.js</c>): bellecour (134), mainnet (1, no
/// protocol running), arbitrum-sepolia-testnet (421614) and arbitrum-mainnet (42161), with their exact addresses and
/// URLs. A <c>chain.json</c> entry is merged on top of the defaults for its id.
/// </summary>
public static class BuiltInChains
{
    /// <summary>The chain the CLI 8.24 <c>chain.json</c> template selects as <c>default</c>.</summary>
    public const string DefaultChainName = "arbitrum-sepolia-testnet";

    /// <summary>Bellecour, the iExec sidechain where RLC is native and SCONE/Gramine SMSs run.</summary>
    public static ChainProfile Bellecour { get; } = Chain("bellecour", 134, "https://bellecour.iex.ec", "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f") with
    {
        EnsRegistry = "0x5f5B93fca68c9C79318d1F3868A354EE67D8c006",
        EnsPublicResolver = "0x1347d8a1840A810B990d0B774A6b7Bb8A1bd62BB",
        VoucherHub = "0x3137B6DF4f36D338b82260eDBB2E7bab034AFEda",
        Sms = ChainSms.Map([
            new(TeeFramework.Scone, "https://sms.iex.ec"),
            new(TeeFramework.Gramine, "https://sms.gramine.v8-bellecour.iex.ec"),
        ]),
        ResultProxy = "https://result.v8-bellecour.iex.ec",
        IpfsGateway = "https://ipfs-gateway.v8-bellecour.iex.ec",
        IpfsNode = "https://ipfs-upload.v8-bellecour.iex.ec",
        IExecGateway = "https://api.market.v8-bellecour.iex.ec",
        PocoSubgraph = "https://thegraph.iex.ec/subgraphs/name/bellecour/poco-v5",
        VoucherSubgraph = "https://thegraph.iex.ec/subgraphs/name/bellecour/iexec-voucher",
    };

    /// <summary>
    /// Ethereum mainnet: the SDK knows the hub and bridge, but no protocol (SMS, market) runs there. Its host "mainnet"
    /// is a name ethers resolves to its default provider, not a URL.
    /// </summary>
    public static ChainProfile Mainnet { get; } = Chain("mainnet", 1, "mainnet", "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f") with
    {
        EnsPublicResolver = "0x4976fb03C32e5B8cfe2b6cCB31c09Ba78EBaBa41",
    };

    /// <summary>Arbitrum Sepolia, the testnet (RLC is an ERC-20); one SMS serves SCONE and TDX.</summary>
    public static ChainProfile ArbitrumSepoliaTestnet { get; } = Arbitrum(
        "arbitrum-sepolia-testnet",
        421614,
        "https://sepolia-rollup.arbitrum.io/rpc",
        "0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E",
        "https://api-market.arbitrum-sepolia-testnet.iex.ec",
        "https://thegraph.arbitrum-sepolia-testnet.iex.ec/api/subgraphs/id/2GCj8gzLCihsiEDq8cYvC5nUgK6VfwZ6hm3Wj8A3kcxz");

    /// <summary>Arbitrum One (RLC is an ERC-20); one SMS serves SCONE and TDX.</summary>
    public static ChainProfile ArbitrumMainnet { get; } = Arbitrum(
        "arbitrum-mainnet",
        42161,
        "https://arb1.arbitrum.io/rpc",
        "0x098bFCb1E50ebcA0BaA92C12eA0c3F045A1aD9f0",
        "https://api.market.arbitrum-mainnet.iex.ec",
        "https://thegraph.arbitrum.iex.ec/api/subgraphs/id/B1comLe9SANBLrjdnoNTJSubbeC7cY7EoNu6zD82HeKy");

    /// <summary>All built-in chains, in the order of the CLI 8.24 <c>chain.json</c> template.</summary>
    public static IReadOnlyList<ChainProfile> All { get; } = [Mainnet, Bellecour, ArbitrumMainnet, ArbitrumSepoliaTestnet];

    /// <summary>The built-in defaults for a chain id, or null when the SDK has none for it.</summary>
    public static ChainProfile? FindById(ulong chainId) => All.FirstOrDefault(chain => chain.ChainId == chainId);

    /// <summary>The built-in chain called <paramref name="nameOrId"/> (exact name, or decimal id), or null.</summary>
    public static ChainProfile? Find(string nameOrId) =>
        All.FirstOrDefault(chain => chain.Name == nameOrId || chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture) == nameOrId);

    // The SDK's Arbitrum chains name their services after the chain (sms., ipfs-gateway., ipfs-upload., compass.
    // <name>.iex.ec, one SMS for SCONE and TDX); only the RPC, hub, market API and subgraph differ beyond the name.
    private static ChainProfile Arbitrum(string name, ulong chainId, string host, string hub, string iexecGateway, string pocoSubgraph)
    {
        var sms = $"https://sms.{name}.iex.ec";
        return Chain(name, chainId, host, hub) with
        {
            Sms = ChainSms.Map([new(TeeFramework.Scone, sms), new(TeeFramework.Tdx, sms)]),
            IpfsGateway = $"https://ipfs-gateway.{name}.iex.ec",
            IpfsNode = $"https://ipfs-upload.{name}.iex.ec",
            IExecGateway = iexecGateway,
            Compass = $"https://compass.{name}.iex.ec",
            PocoSubgraph = pocoSubgraph,
        };
    }

    // What every built-in chain has: its name, id, RPC host and hub; the rest is added per chain.
    private static ChainProfile Chain(string name, ulong chainId, string host, string hub) =>
        new() { Name = name, ChainId = chainId, Host = host, Hub = EthAddress.Parse(hub) };
}
