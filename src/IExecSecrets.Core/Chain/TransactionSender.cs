using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// Sends transactions from one account and tells truthfully how each ended. The node's answers are checked before
/// anything is signed: its chain id (<see cref="ErrorIds.ChainIdMismatch"/>), its nonce count (a nonce is taken only
/// where the node's mined count and this process's own pending sends account for it, else
/// <see cref="ErrorIds.NonceGap"/>), its fee figures (at most <see cref="TransactionSenderOptions.FeeCap"/>, else
/// <see cref="ErrorIds.FeeAboveCap"/>) and its gas estimate (at most the call's ceiling, else
/// <see cref="ErrorIds.GasAboveCeiling"/>; an estimate that reverts is <see cref="ErrorIds.TransactionReverted"/>).
/// Fees are asked for before the estimate, so a refused fee never shows the node the calldata.
/// </summary>
/// <remarks>
/// <para>The raw transaction is sent once: if that call faults, the locally computed hash is looked up instead of
/// re-sending. A mined transaction with status 0 raises <see cref="ErrorIds.TransactionReverted"/> with the decoded
/// revert reason when the node can replay it.</para>
/// <para>A transaction not mined within <see cref="TransactionSenderOptions.ReceiptTimeout"/> is never reported as
/// failed while it can still be mined. It is replaced by a 0-value transfer to self with the same nonce and a higher
/// fee within the cap; once that is mined the original never can be (<see cref="ErrorIds.TransactionReplaced"/>).
/// When it cannot be replaced (a zero-price chain, a cap too low for the fee bump, a refusal) or neither is mined in
/// <see cref="TransactionSenderOptions.ReplacementTimeout"/>, it is reported
/// <see cref="ErrorIds.TransactionPending"/> with its hash and nonce; later sends of this process count it.</para>
/// </remarks>
public sealed class TransactionSender
{
    // One lock per chain and account, shared by every sender in the process: two senders for the same account (two
    // runspaces, a pipeline of runs, two RPC URLs of one chain) must not read the same nonce between each other's
    // read and send.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SendLocks = new();
    private readonly JsonRpcClient _rpc;
    private readonly IEthSigner _signer;
    private readonly TransactionSenderOptions _options;
    private bool _chainIdVerified;

    /// <summary>Creates a sender for <paramref name="signer"/>'s account on the node behind <paramref name="rpc"/>.</summary>
    public TransactionSender(JsonRpcClient rpc, IEthSigner signer, ulong expectedChainId, TransactionSenderOptions? options = null)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        ExpectedChainId = expectedChainId;
        _options = options ?? new TransactionSenderOptions();
    }

    /// <summary>The chain id every transaction is signed for.</summary>
    public ulong ExpectedChainId { get; }

    /// <summary>The sending account.</summary>
    public EthAddress From => _signer.Address;

    /// <summary>The RPC client this sender uses.</summary>
    public JsonRpcClient Rpc => _rpc;

    /// <summary>The options (fee cap, ceilings, timeouts) this sender applies.</summary>
    public TransactionSenderOptions Options => _options;

    /// <summary>Calls <paramref name="to"/> with <paramref name="data"/> (and <paramref name="value"/> wei) and returns the successful receipt.</summary>
    public Task<Receipt> SendAsync(EthAddress to, byte[] data, BigInteger value = default, CancellationToken cancellationToken = default) =>
        SendAsync(new TransactionCall(to, data) { Value = value }, cancellationToken);

    /// <summary>Deploys <paramref name="initCode"/> (bytecode followed by ABI-encoded constructor arguments); the receipt has the contract address.</summary>
    public Task<Receipt> DeployAsync(byte[] initCode, BigInteger value = default, CancellationToken cancellationToken = default) =>
        SendAsync(new TransactionCall(null, initCode) { Value = value, Label = "a contract creation" }, cancellationToken);

    /// <summary>Sends <paramref name="call"/> within its gas ceiling and the fee cap, and returns the successful receipt.</summary>
    public async Task<Receipt> SendAsync(TransactionCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(call.Data);
        await EnsureChainIdAsync(cancellationToken).ConfigureAwait(false);
        var key = AccountKey;
        var sendLock = SendLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        Sent sent;
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // In this order: the calldata (signed orders included) reaches the node in eth_estimateGas only once the
            // nonce and the fees are known to be acceptable, so a refused send exposes nothing.
            var nonce = await NextNonceAsync(cancellationToken).ConfigureAwait(false);
            var fees = await FeesAsync(cancellationToken).ConfigureAwait(false);
            var gasLimit = await GasLimitAsync(call, cancellationToken).ConfigureAwait(false);
            var transaction = fees.Apply(new EthTransaction
            {
                ChainId = ExpectedChainId,
                Nonce = nonce,
                To = call.To,
                Value = call.Value,
                Data = call.Data,
                GasLimit = gasLimit,
            });
            var signed = transaction.Sign(_signer);
            await BroadcastAsync(call, transaction, signed, cancellationToken).ConfigureAwait(false);
            sent = new Sent(transaction, signed, fees);
        }
        finally
        {
            sendLock.Release();
        }

        Receipt receipt;
        try
        {
            receipt = await PollReceiptAsync(sent.Signed.HashHex, _options.ReceiptTimeout, cancellationToken).ConfigureAwait(false)
                ?? await ReplaceOrReportPendingAsync(call, sent, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException e) when (e is not TransactionException && e.ErrorId is ErrorIds.RpcUnreachable)
        {
            throw Pending(call, sent.Transaction, sent.Signed.HashHex, null, "The node stopped answering while the module waited for its receipt.", e);
        }
        Forget(sent.Transaction.Nonce);
        if (!receipt.Succeeded)
        {
            var reason = await ReplayForReasonAsync(call, receipt.BlockNumber, cancellationToken).ConfigureAwait(false);
            throw Reverted(call, reason, receipt.TransactionHash);
        }
        return receipt;
    }

    /// <summary>
    /// Records that the caller has just checked this sender's node's chain id against <see cref="ExpectedChainId"/>
    /// through the same client, so the first send does not ask again.
    /// </summary>
    internal void ChainIdCheckedElsewhere() => _chainIdVerified = true;

    /// <summary>Checks <c>eth_chainId</c> against <see cref="ExpectedChainId"/> (once per sender).</summary>
    public async Task EnsureChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (_chainIdVerified) return;
        var actual = await _rpc.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (actual != ExpectedChainId)
        {
            throw new IExecException(ErrorIds.ChainIdMismatch,
                $"The RPC node at {_rpc.DisplayUrl} serves chain id {actual}, not the expected {ExpectedChainId}; nothing was signed.", _rpc.DisplayUrl)
            {
                RecommendedAction = "Point the chain's host at a node of the configured chain, or fix the chain id.",
            };
        }
        _chainIdVerified = true;
    }

    /// <summary>
    /// Polls for the receipt of <paramref name="transactionHash"/> with backoff until
    /// <see cref="TransactionSenderOptions.ReceiptTimeout"/>; then <see cref="ErrorIds.TransactionPending"/> (the
    /// transaction may still be mined).
    /// </summary>
    public async Task<Receipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        await PollReceiptAsync(transactionHash, _options.ReceiptTimeout, cancellationToken).ConfigureAwait(false)
        ?? throw new IExecException(ErrorIds.TransactionPending,
            $"Transaction {transactionHash} was not mined within {Seconds(_options.ReceiptTimeout)} s; it may still be mined.", transactionHash);

    private string AccountKey => ExpectedChainId.ToString(CultureInfo.InvariantCulture) + "|" + From.ToLowerHex();

    // Called under the account's send lock.
    private Task<BigInteger> NextNonceAsync(CancellationToken cancellationToken) => NonceLedger.NextAsync(_rpc, From, AccountKey, cancellationToken);

    private async Task<Fees> FeesAsync(CancellationToken cancellationToken)
    {
        var cap = _options.FeeCap;
        switch (_options.FeeMode)
        {
            case FeeMode.ZeroGasPriceLegacy:
                return Fees.Legacy(BigInteger.Zero);
            case FeeMode.LegacyNodeGasPrice:
                var price = JsonRpcClient.ParseQuantity(await _rpc.CallAsync("eth_gasPrice", null, cancellationToken).ConfigureAwait(false));
                if (price > cap.MaxFeePerGas) throw AboveCap($"a gas price of {Wei(price)}", price);
                return Fees.Legacy(price);
            default:
                var block = await _rpc.CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken).ConfigureAwait(false);
                var baseFee = block.TryGetProperty("baseFeePerGas", out var fee) ? JsonRpcClient.ParseQuantity(fee) : BigInteger.Zero;
                BigInteger tip;
                try
                {
                    tip = JsonRpcClient.ParseQuantity(await _rpc.CallAsync("eth_maxPriorityFeePerGas", null, cancellationToken).ConfigureAwait(false));
                }
                catch (RpcException)
                {
                    tip = BigInteger.Zero;
                }
                if (baseFee + tip > cap.MaxFeePerGas)
                {
                    throw AboveCap($"a base fee of {Wei(baseFee)} plus a tip of {Wei(tip)}", baseFee + tip);
                }
                // 2·base fee + tip leaves room for the base fee to rise, as ethers does; never above the cap.
                return Fees.Eip1559(BigInteger.Min(baseFee * 2 + tip, cap.MaxFeePerGas), tip);
        }
    }

    private async Task<BigInteger> GasLimitAsync(TransactionCall call, CancellationToken cancellationToken)
    {
        var ceiling = (call.GasCeiling ?? _options.DefaultGasCeiling) * Math.Max(1, _options.GasCeilingFactor);
        if (call.GasHint is { } hint && hint.Sign > 0 && hint <= ceiling && await HintSufficesAsync(call, hint, cancellationToken).ConfigureAwait(false))
        {
            return hint;
        }
        BigInteger estimate;
        try
        {
            estimate = JsonRpcClient.ParseQuantity(await _rpc.CallAsync("eth_estimateGas", [CallObject(call)], cancellationToken).ConfigureAwait(false));
        }
        catch (RpcException e) when (IsRevert(e))
        {
            throw Reverted(call, RevertReason.TryDecode(e.RevertData) ?? e.NodeMessage, null, e);
        }
        catch (IExecException e) when (e is not TransactionException)
        {
            // the node may have seen the calldata before failing
            throw new TransactionException(TransactionExposure.CalldataToNode, e.ErrorId, e.Message, e.Target, e) { RecommendedAction = e.RecommendedAction };
        }
        if (estimate > ceiling)
        {
            throw new TransactionException(TransactionExposure.CalldataToNode, ErrorIds.GasAboveCeiling,
                $"The RPC node at {_rpc.DisplayUrl} estimates {estimate.ToString(CultureInfo.InvariantCulture)} gas for {LabelOf(call)}, above the "
                + $"{ceiling.ToString(CultureInfo.InvariantCulture)} gas it can need; nothing was signed.", call.To?.ToString() ?? LabelOf(call))
            {
                RecommendedAction = "Use another RPC node: the estimate is not one the real contracts give.",
            };
        }
        return BigInteger.Min(estimate * (100 + _options.GasMarginPercent) / 100, ceiling);
    }

    // One eth_call at exactly the hinted gas: it costs what eth_estimateGas costs in exposure (the same calldata to the
    // same node) and saves the estimate's binary search. Any refusal of the probe (out of gas, a revert) falls back to
    // the estimate, which reports a real revert with its reason.
    private async Task<bool> HintSufficesAsync(TransactionCall call, BigInteger hint, CancellationToken cancellationToken)
    {
        var probe = CallObject(call);
        probe["gas"] = JsonRpcClient.ToQuantity(hint);
        try
        {
            await _rpc.CallAsync("eth_call", [probe, "latest"], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
        catch (IExecException e) when (e is not TransactionException)
        {
            // the node may have seen the calldata before failing
            throw new TransactionException(TransactionExposure.CalldataToNode, e.ErrorId, e.Message, e.Target, e) { RecommendedAction = e.RecommendedAction };
        }
    }

    // Called under the account's send lock. Records the nonce as this process's own once the node may have it.
    private async Task BroadcastAsync(TransactionCall call, EthTransaction transaction, SignedTransaction signed, CancellationToken cancellationToken)
    {
        try
        {
            await _rpc.SendOnceAsync("eth_sendRawTransaction", [Hex.Encode(signed.Raw)], cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException sendFailure) when (sendFailure is not RpcException)
        {
            // The node may have accepted the transaction before the connection broke: ask for it by hash rather than re-sending.
            bool known;
            try
            {
                known = await _rpc.IsTransactionKnownAsync(signed.HashHex, cancellationToken).ConfigureAwait(false);
            }
            catch (IExecException)
            {
                // Unknowable now: it may be in the pool, so it is pending, not failed, and its nonce stays taken.
                Remember(transaction.Nonce, signed.HashHex);
                throw Pending(call, transaction, signed.HashHex, null,
                    "The node could not be reached to confirm that it received the transaction, so it may be in its pool.", sendFailure);
            }
            if (!known)
            {
                throw new TransactionException(TransactionExposure.SignedToNode, sendFailure.ErrorId,
                    $"{LabelOf(call)} was not sent: {sendFailure.Message} The node does not know transaction {signed.HashHex}; it cannot be mined once nonce "
                    + $"{transaction.Nonce.ToString(CultureInfo.InvariantCulture)} of {From} is used by another transaction.", signed.HashHex, sendFailure)
                { RecommendedAction = sendFailure.RecommendedAction };
            }
        }
        catch (RpcException refused)
        {
            throw new TransactionException(TransactionExposure.SignedToNode, ErrorIds.RpcError,
                $"The RPC node at {_rpc.DisplayUrl} refused {LabelOf(call)} (transaction {signed.HashHex}, nonce {transaction.Nonce.ToString(CultureInfo.InvariantCulture)} of {From}): "
                + $"{refused.NodeMessage} (code {refused.Code.ToString(CultureInfo.InvariantCulture)}).", signed.HashHex, refused);
        }
        Remember(transaction.Nonce, signed.HashHex);
    }

    private async Task<Receipt> ReplaceOrReportPendingAsync(TransactionCall call, Sent sent, CancellationToken cancellationToken)
    {
        var original = sent.Signed.HashHex;
        if (!_options.ReplaceWhenNotMined)
        {
            throw Pending(call, sent.Transaction, original, null, "It was not replaced (replacement is turned off).");
        }
        if (_options.FeeMode == FeeMode.ZeroGasPriceLegacy)
        {
            throw Pending(call, sent.Transaction, original, null, "On a chain whose gas price is forced to 0 there is no higher fee to replace it with.");
        }

        SignedTransaction replacement;
        try
        {
            replacement = await SignReplacementAsync(sent, cancellationToken).ConfigureAwait(false);
            await _rpc.SendOnceAsync("eth_sendRawTransaction", [Hex.Encode(replacement.Raw)], cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException e) when (e.ErrorId is not ErrorIds.ChainIdMismatch)
        {
            // The original may have been mined meanwhile (then the replacement is refused as "nonce too low").
            if (await _rpc.GetReceiptAsync(original, cancellationToken).ConfigureAwait(false) is { } mined) return Checked(mined, original);
            throw Pending(call, sent.Transaction, original, null, $"Replacing it with a transfer to self failed: {e.Message}", e);
        }

        var deadline = DateTime.UtcNow + _options.ReplacementTimeout;
        var delay = _options.FirstPollDelay;
        while (true)
        {
            if (await _rpc.GetReceiptAsync(original, cancellationToken).ConfigureAwait(false) is { } mined) return Checked(mined, original);
            if (await _rpc.GetReceiptAsync(replacement.HashHex, cancellationToken).ConfigureAwait(false) is { } cancelled)
            {
                Checked(cancelled, replacement.HashHex);
                throw new TransactionException(TransactionExposure.SignedToNode, ErrorIds.TransactionReplaced,
                    $"Transaction {original} ({LabelOf(call)}) was not mined within {Seconds(_options.ReceiptTimeout)} s, so it was cancelled: nonce "
                    + $"{sent.Transaction.Nonce.ToString(CultureInfo.InvariantCulture)} of {From} went to a 0-value transfer to self ({replacement.HashHex}, block "
                    + $"{cancelled.BlockNumber.ToString(CultureInfo.InvariantCulture)}), so the original can never be mined: nothing it would have done happened.", original)
                {
                    RecommendedAction = "Check the RPC node (it did not get the transaction mined), then run the command again.",
                };
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw Pending(call, sent.Transaction, original, replacement.HashHex,
                    $"Its replacement by a transfer to self ({replacement.HashHex}) was not mined within {Seconds(_options.ReplacementTimeout)} s either; whichever is mined first takes the nonce.");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollDelay.Ticks));
        }
    }

    // A 0-value transfer to self with the same nonce and fees at least 12.5 % higher (nodes want 10 %), within the cap.
    private async Task<SignedTransaction> SignReplacementAsync(Sent sent, CancellationToken cancellationToken)
    {
        var fresh = await FeesAsync(cancellationToken).ConfigureAwait(false);
        var old = sent.Fees;
        var tip = BigInteger.Max(fresh.Tip, Bump(old.Tip));
        var maxFee = BigInteger.Max(BigInteger.Max(fresh.MaxFee, Bump(old.MaxFee)), tip);
        if (maxFee > _options.FeeCap.MaxFeePerGas)
        {
            throw AboveCap($"a replacement fee of {Wei(maxFee)} (the first transaction's plus 12.5 %)", maxFee);
        }
        var self = new TransactionCall(From, []) { GasCeiling = GasCeilings.Transfer, Label = "a transfer to self" };
        var gas = await GasLimitAsync(self, cancellationToken).ConfigureAwait(false);
        var replacement = new EthTransaction
        {
            ChainId = ExpectedChainId,
            Nonce = sent.Transaction.Nonce,
            To = From,
            Data = [],
            GasLimit = gas,
        };
        return (old.Type == TransactionType.Legacy ? Fees.Legacy(maxFee) : Fees.Eip1559(maxFee, tip)).Apply(replacement).Sign(_signer);
    }

    private static BigInteger Bump(BigInteger fee) => fee + fee / 8 + 1;

    private async Task<Receipt?> PollReceiptAsync(string transactionHash, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = _options.FirstPollDelay;
        while (true)
        {
            // A pause first: a node seldom has the receipt the moment the send returns (anvil mines just after it; a
            // public chain, seconds later), so a poll at once mostly costs a request.
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            var receipt = await _rpc.GetReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null) return Checked(receipt, transactionHash);
            if (DateTime.UtcNow >= deadline) return null;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollDelay.Ticks));
        }
    }

    // A receipt for another transaction is a lie, not an outcome.
    private Receipt Checked(Receipt receipt, string transactionHash) =>
        string.Equals(receipt.TransactionHash, transactionHash, StringComparison.OrdinalIgnoreCase) ? receipt
            : throw new TransactionException(TransactionExposure.SignedToNode, ErrorIds.RpcError,
                $"The RPC node at {_rpc.DisplayUrl} answered the receipt of {receipt.TransactionHash} when asked for {transactionHash}.", transactionHash);

    private void Remember(BigInteger nonce, string hash) => NonceLedger.Remember(AccountKey, nonce, hash);

    private void Forget(BigInteger nonce) => NonceLedger.Forget(AccountKey, nonce);

    private async Task<string?> ReplayForReasonAsync(TransactionCall call, long blockNumber, CancellationToken cancellationToken)
    {
        try
        {
            await _rpc.CallAsync("eth_call", [CallObject(call), JsonRpcClient.ToQuantity(blockNumber - 1)], cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e)
        {
            return RevertReason.TryDecode(e.RevertData) ?? e.NodeMessage;
        }
    }

    private JsonObject CallObject(TransactionCall call)
    {
        var json = new JsonObject { ["from"] = From.ToLowerHex(), ["data"] = Hex.Encode(call.Data) };
        if (call.To is { } recipient) json["to"] = recipient.ToLowerHex();
        if (!call.Value.IsZero) json["value"] = JsonRpcClient.ToQuantity(call.Value);
        return json;
    }

    private IExecException AboveCap(string figure, BigInteger perGas) =>
        new(ErrorIds.FeeAboveCap,
            $"The RPC node at {_rpc.DisplayUrl} asks for {figure}: {Wei(perGas)} per gas is above the fee cap of {Wei(_options.FeeCap.MaxFeePerGas)} "
            + $"({_options.FeeCap.Source}); nothing was signed.", From.ToString())
        {
            RecommendedAction = "If fees on this chain really are that high, raise the cap with -MaxFeePerGas (or Set-IExecConfiguration -MaxFeePerGas); otherwise use another RPC node.",
        };

    private TransactionException Pending(TransactionCall call, EthTransaction transaction, string hash, string? replacementHash, string reason, Exception? inner = null) =>
        new(TransactionExposure.SignedToNode, ErrorIds.TransactionPending,
            $"Transaction {hash} ({LabelOf(call)}, nonce {transaction.Nonce.ToString(CultureInfo.InvariantCulture)} of {From}) is not mined yet and may still be, so it is not reported as failed. {reason}",
            hash, inner)
        {
            RecommendedAction = $"Look transaction {hash} up later{(replacementHash is null ? "" : $" (and {replacementHash})")}; commands from {From} report a nonce gap while it is pending. "
                + $"To make sure it never happens, get any transaction with nonce {transaction.Nonce.ToString(CultureInfo.InvariantCulture)} from this account mined first.",
        };

    private static string Wei(BigInteger wei) => $"{FeeCap.FormatPerGas(wei)} ({wei.ToString(CultureInfo.InvariantCulture)} wei)";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string LabelOf(TransactionCall call) =>
        call.Label ?? (call.To is { } to ? $"a call to {to}" : "a contract creation");

    private static bool IsRevert(RpcException e) =>
        e.Code == 3 || e.NodeMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);

    private static TransactionException Reverted(TransactionCall call, string? reason, string? transactionHash, Exception? inner = null) =>
        new(transactionHash is null ? TransactionExposure.CalldataToNode : TransactionExposure.SignedToNode, ErrorIds.TransactionReverted,
            $"The transaction to {(call.To is { } t ? t.ToString() : "a new contract")} reverted{(reason is null ? "" : ": " + reason)}"
            + (transactionHash is null ? " (refused at gas estimation, nothing was sent)." : $" (tx {transactionHash})."),
            transactionHash ?? call.To?.ToString(), inner);

    private sealed record Sent(EthTransaction Transaction, SignedTransaction Signed, Fees Fees);

}
