namespace IExecSecrets.Core.Chain;

/// <summary>How a <see cref="TransactionSender"/> prices, sizes and waits for transactions.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>The fee model; bellecour-like native chains need <see cref="FeeMode.ZeroGasPriceLegacy"/>.</summary>
    public FeeMode FeeMode { get; init; } = FeeMode.Eip1559;

    /// <summary>Percent added to <c>eth_estimateGas</c> for the gas limit.</summary>
    public int GasMarginPercent { get; init; } = 20;

    /// <summary>How long to wait for a receipt before <see cref="Errors.ErrorIds.TransactionNotMined"/>.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The first receipt poll delay; it doubles up to <see cref="MaxPollDelay"/>.</summary>
    public TimeSpan FirstPollDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause between receipt polls.</summary>
    public TimeSpan MaxPollDelay { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The fee models a sender can use.</summary>
public enum FeeMode
{
    /// <summary>Type-2 transactions: max fee = 2·base fee + tip, tip from <c>eth_maxPriorityFeePerGas</c>.</summary>
    Eip1559,
    /// <summary>Legacy EIP-155 transactions with gas price 0, as the iexec SDK 8 sends on bellecour (native chains).</summary>
    ZeroGasPriceLegacy,
    /// <summary>Legacy EIP-155 transactions at the node's <c>eth_gasPrice</c>.</summary>
    LegacyNodeGasPrice,
}
