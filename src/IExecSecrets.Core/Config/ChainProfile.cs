using System.Numerics;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Config;

/// <summary>
/// Everything the module needs to talk to one iExec chain: RPC, hub, SMS per TEE framework and the off-chain
/// services. A resolved profile is the SDK 8.24 shallow merge of the chain id, the built-in defaults for that id and
/// the <c>chain.json</c> entry (see <see cref="ChainResolver"/>); a key set in <c>chain.json</c> replaces the default
/// whole, so an <c>sms</c> map there drops every framework it does not name.
/// </summary>
public sealed record ChainProfile
{
    /// <summary>The name the chain is selected by (the <c>chain.json</c> key or the built-in name).</summary>
    public required string Name { get; init; }

    /// <summary>The EIP-155 chain id that transactions are signed for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The JSON-RPC endpoint, or null when neither <c>chain.json</c> nor the defaults give one.</summary>
    public string? Host { get; init; }

    /// <summary>The iExec PoCo proxy ("hub"); also the EIP-712 verifying contract of orders.</summary>
    public EthAddress? Hub { get; init; }

    /// <summary>
    /// <see cref="Hub"/>, or <see cref="ErrorIds.InvalidChainConfig"/> (target: the chain name) when neither chain.json
    /// nor the built-in defaults give one: nothing on chain can be read or sent without it.
    /// </summary>
    public EthAddress RequireHub() => Hub ?? throw new IExecException(ErrorIds.InvalidChainConfig,
        $"Missing hub in \"{ChainConfigFile.FileName}\" for chain {ChainId}", Name);

    /// <summary>The ENS registry (bellecour only).</summary>
    public string? EnsRegistry { get; init; }

    /// <summary>The ENS public resolver.</summary>
    public string? EnsPublicResolver { get; init; }

    /// <summary>The voucher hub contract, where vouchers exist.</summary>
    public string? VoucherHub { get; init; }

    /// <summary>The SMS URL or per-framework URLs; use <see cref="ChainResolver.ResolveSmsUrl"/> to pick one.</summary>
    public ChainSms? Sms { get; init; }

    /// <summary>The result proxy URL.</summary>
    public string? ResultProxy { get; init; }

    /// <summary>The IPFS gateway URL.</summary>
    public string? IpfsGateway { get; init; }

    /// <summary>The IPFS upload node URL (a built-in default only; <c>chain.json</c> cannot set it in SDK 8.24).</summary>
    public string? IpfsNode { get; init; }

    /// <summary>The market API URL (<c>iexecGateway</c>).</summary>
    public string? IExecGateway { get; init; }

    /// <summary>The iExec Compass URL.</summary>
    public string? Compass { get; init; }

    /// <summary>The PoCo subgraph URL.</summary>
    public string? PocoSubgraph { get; init; }

    /// <summary>The voucher subgraph URL.</summary>
    public string? VoucherSubgraph { get; init; }

    /// <summary>
    /// The <c>native</c> setting of <c>chain.json</c>, or null when absent; <see cref="IsNative"/> applies the SDK
    /// default.
    /// </summary>
    public bool? Native { get; init; }

    /// <summary>
    /// True when RLC is the chain's native coin (the <c>IexecInterfaceNative</c> ABI): the <c>native</c> setting when
    /// given, else true for chain 134 only, as the SDK decides.
    /// </summary>
    public bool IsNative => Native ?? ChainId == 134;

    /// <summary>The <c>useGas</c> setting; false forces a zero gas price. Defaults to true as in SDK 8.24.</summary>
    public bool UseGas { get; init; } = true;

    /// <summary>
    /// The gas price every transaction must use, or null to ask the node: zero when <see cref="UseGas"/> is false,
    /// and zero on chain 134 whatever the settings (the SDK's <c>gasPriceByNetwork</c>).
    /// </summary>
    public BigInteger? GasPriceOverride => !UseGas || ChainId == 134 ? BigInteger.Zero : null;

    /// <summary>
    /// The <c>maxFeePerGas</c> of <c>chain.json</c> in wei, or null when absent: the cap on the fee per gas of every
    /// transaction on this chain unless <c>-MaxFeePerGas</c> or a saved default says otherwise (see
    /// <see cref="Chain.FeeCap"/>, which also holds the built-in default per chain).
    /// </summary>
    public BigInteger? MaxFeePerGas { get; init; }

    /// <summary>The framework used when a command names none; null means <see cref="TeeFramework.Scone"/>.</summary>
    public TeeFramework? DefaultTeeFramework { get; init; }

    /// <summary>The bridged chain name of a <c>bridge</c> setting from <c>chain.json</c>, if any.</summary>
    public string? BridgedChainName { get; init; }

    /// <summary>The bridge contract of a <c>bridge</c> setting from <c>chain.json</c>, if any.</summary>
    public EthAddress? BridgeContract { get; init; }
}
