using System.Numerics;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Core.Chain;

/// <summary>How a <see cref="TransactionSender"/> prices, sizes and waits for transactions.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>The fee model; bellecour-like native chains need <see cref="FeeMode.ZeroGasPriceLegacy"/>.</summary>
    public FeeMode FeeMode { get; init; } = FeeMode.Eip1559;

    /// <summary>
    /// The most a transaction may pay per gas (legacy gas price, or base fee + tip and the max fee of a type-2
    /// transaction); above it nothing is signed (<see cref="Errors.ErrorIds.FeeAboveCap"/>). Default: the generic
    /// built-in cap, <see cref="FeeCap.GenericDefault"/>.
    /// </summary>
    public FeeCap FeeCap { get; init; } = new(FeeCap.GenericDefault, "the built-in cap");

    /// <summary>Percent added to <c>eth_estimateGas</c> for the gas limit (never beyond the call's ceiling).</summary>
    public int GasMarginPercent { get; init; } = 20;

    /// <summary>The gas ceiling of a call that names none (<see cref="TransactionCall.GasCeiling"/>): a block's worth.</summary>
    public BigInteger DefaultGasCeiling { get; init; } = 30_000_000;

    /// <summary>
    /// What every call's gas ceiling is multiplied by: 1, or 3 on Arbitrum, whose gas figures include the L1 data fee
    /// (see <see cref="ForChain"/>).
    /// </summary>
    public int GasCeilingFactor { get; init; } = 1;

    /// <summary>
    /// How long to wait for a receipt; then the transaction is replaced (see <see cref="ReplaceWhenNotMined"/>) or
    /// reported pending (<see cref="Errors.ErrorIds.TransactionPending"/>), never failed.
    /// </summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// When a transaction is not mined in time, send a 0-value transfer to self with the same nonce and a higher fee
    /// (within the cap): once that is mined the first one never can be (<see cref="Errors.ErrorIds.TransactionReplaced"/>).
    /// </summary>
    public bool ReplaceWhenNotMined { get; init; } = true;

    /// <summary>How long to wait for either the transaction or its replacement to be mined.</summary>
    public TimeSpan ReplacementTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The first receipt poll delay; it doubles up to <see cref="MaxPollDelay"/>. One millisecond: a node that mines on
    /// receipt (anvil, a devnet) has the receipt a few milliseconds after the send, and a 5 ms first delay measured
    /// 9 ms lost per transaction there; on a 5-second chain it costs two more polls in the first seconds.
    /// </summary>
    public TimeSpan FirstPollDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest pause between receipt polls.</summary>
    public TimeSpan MaxPollDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The options for <paramref name="chain"/>: its fee model (<see cref="FeeModeOf"/>), <paramref name="feeCap"/>
    /// (default: <see cref="FeeCap.Resolve"/> without parameter or saved default) and its gas ceiling factor.
    /// </summary>
    public static TransactionSenderOptions ForChain(ChainProfile chain, FeeCap? feeCap = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new TransactionSenderOptions
        {
            FeeMode = FeeModeOf(chain),
            FeeCap = feeCap ?? FeeCap.Resolve(chain),
            GasCeilingFactor = GasCeilingFactorOf(chain),
        };
    }

    /// <summary>
    /// The fee model the SDK uses on <paramref name="chain"/>: a forced zero gas price (bellecour, <c>useGas: false</c>)
    /// means legacy zero-price transactions; otherwise EIP-1559.
    /// </summary>
    public static FeeMode FeeModeOf(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.GasPriceOverride is { IsZero: true } ? FeeMode.ZeroGasPriceLegacy : FeeMode.Eip1559;
    }

    /// <summary>3 on Arbitrum One and Sepolia (L1 data fee counted in gas), else 1.</summary>
    public static int GasCeilingFactorOf(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.ChainId is 42161 or 421614 ? 3 : 1;
    }
}

/// <summary>The fee models a sender can use.</summary>
public enum FeeMode
{
    /// <summary>Type-2 transactions: max fee = 2·base fee + tip (at most the cap), tip from <c>eth_maxPriorityFeePerGas</c>.</summary>
    Eip1559,
    /// <summary>Legacy EIP-155 transactions with gas price 0, as the iexec SDK 8 sends on bellecour (native chains).</summary>
    ZeroGasPriceLegacy,
    /// <summary>Legacy EIP-155 transactions at the node's <c>eth_gasPrice</c> (at most the cap).</summary>
    LegacyNodeGasPrice,
}

/// <summary>
/// One transaction to send: the call, and the most gas it can need (<see cref="GasCeiling"/>, e.g. from
/// <see cref="PoCo.GasCeilings"/>; null for the sender's default).
/// </summary>
/// <param name="To">The recipient; null deploys <see cref="Data"/> as init code.</param>
/// <param name="Data">Calldata or init code.</param>
public sealed record TransactionCall(Crypto.EthAddress? To, byte[] Data)
{
    /// <summary>Wei sent along.</summary>
    public BigInteger Value { get; init; }

    /// <summary>The most gas this call can need, before <see cref="TransactionSenderOptions.GasCeilingFactor"/>.</summary>
    public BigInteger? GasCeiling { get; init; }

    /// <summary>What the call does, for messages ("createApp", "matchOrders").</summary>
    public string? Label { get; init; }

    /// <summary>
    /// A gas limit that sufficed for a call of the same shape moments ago (the gas it used plus the margin), or null.
    /// The sender tries it first with one <c>eth_call</c> at exactly that gas on the latest block and uses it when the
    /// call goes through; otherwise (or when the hint is above the call's ceiling) it estimates as usual. The hint
    /// decides only which request sizes the gas: a node that lies about the probe makes the transaction run out of gas
    /// and revert, which is reported as <see cref="Errors.ErrorIds.TransactionReverted"/>, never as done.
    /// </summary>
    public BigInteger? GasHint { get; init; }
}
