using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// Sends transactions from one account and waits for them to be mined. Before anything is signed it checks that
/// the node's <c>eth_chainId</c> equals the expected chain id (<see cref="ErrorIds.ChainIdMismatch"/> otherwise).
/// The nonce is the larger of the node's <c>pending</c> count and a local per-account cache, so back-to-back sends
/// do not collide; gas comes from <c>eth_estimateGas</c> plus a margin (an estimate that reverts fails early with
/// <see cref="ErrorIds.TransactionReverted"/>); fees follow <see cref="TransactionSenderOptions.FeeMode"/>.
/// The raw transaction is sent once: if that call faults, the locally computed hash is looked up instead of
/// re-sending. A mined transaction with status 0 raises <see cref="ErrorIds.TransactionReverted"/> with the decoded
/// revert reason when the node can replay it; no receipt within the timeout raises <see cref="ErrorIds.TransactionNotMined"/>.
/// </summary>
public sealed class TransactionSender
{
    private static readonly ConcurrentDictionary<string, BigInteger> NextNonceCache = new();

    // One lock per node and account, shared by every sender in the process: two senders for the same account (two
    // runspaces, a pipeline of runs) must not read the same nonce between each other's read and send.
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

    /// <summary>Calls <paramref name="to"/> with <paramref name="data"/> (and <paramref name="value"/> wei) and returns the successful receipt.</summary>
    public Task<Receipt> SendAsync(EthAddress to, byte[] data, BigInteger value = default, CancellationToken cancellationToken = default) =>
        SendCoreAsync(to, data, value, cancellationToken);

    /// <summary>Deploys <paramref name="initCode"/> (bytecode followed by ABI-encoded constructor arguments); the receipt has the contract address.</summary>
    public Task<Receipt> DeployAsync(byte[] initCode, BigInteger value = default, CancellationToken cancellationToken = default) =>
        SendCoreAsync(null, initCode, value, cancellationToken);

    /// <summary>Checks <c>eth_chainId</c> against <see cref="ExpectedChainId"/> (once per sender).</summary>
    public async Task EnsureChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (_chainIdVerified) return;
        var actual = await _rpc.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (actual != ExpectedChainId)
        {
            throw new IExecException(ErrorIds.ChainIdMismatch, IExecErrorCategory.InvalidOperation,
                $"The RPC node at {_rpc.DisplayUrl} serves chain id {actual}, not the expected {ExpectedChainId}; nothing was signed.", _rpc.DisplayUrl)
            {
                RecommendedAction = "Point the chain's host at a node of the configured chain, or fix the chain id.",
            };
        }
        _chainIdVerified = true;
    }

    private async Task<Receipt> SendCoreAsync(EthAddress? to, byte[] data, BigInteger value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        await EnsureChainIdAsync(cancellationToken).ConfigureAwait(false);
        SignedTransaction signed;
        var cacheKey = _rpc.Endpoint + "|" + From.ToLowerHex();
        var sendLock = SendLocks.GetOrAdd(cacheKey, _ => new SemaphoreSlim(1, 1));
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = await _rpc.GetTransactionCountAsync(From, "pending", cancellationToken).ConfigureAwait(false);
            var nonce = NextNonceCache.TryGetValue(cacheKey, out var cached) && cached > pending ? cached : pending;
            var gas = await EstimateGasAsync(to, data, value, cancellationToken).ConfigureAwait(false);
            var transaction = await WithFeesAsync(new EthTransaction
            {
                ChainId = ExpectedChainId,
                Nonce = nonce,
                To = to,
                Value = value,
                Data = data,
                GasLimit = gas * (100 + _options.GasMarginPercent) / 100,
            }, cancellationToken).ConfigureAwait(false);
            signed = transaction.Sign(_signer);
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
                    NextNonceCache.TryRemove(cacheKey, out _);
                    throw sendFailure;
                }
                if (!known)
                {
                    NextNonceCache.TryRemove(cacheKey, out _);
                    throw;
                }
            }
            catch (RpcException)
            {
                NextNonceCache.TryRemove(cacheKey, out _);
                throw;
            }
            NextNonceCache[cacheKey] = nonce + 1;
        }
        finally
        {
            sendLock.Release();
        }

        var receipt = await WaitForReceiptAsync(signed.HashHex, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded)
        {
            var reason = await ReplayForReasonAsync(to, data, value, receipt.BlockNumber, cancellationToken).ConfigureAwait(false);
            throw Reverted(to, reason, receipt.TransactionHash);
        }
        return receipt;
    }

    /// <summary>Polls for the receipt of <paramref name="transactionHash"/> with backoff until <see cref="TransactionSenderOptions.ReceiptTimeout"/>.</summary>
    public async Task<Receipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + _options.ReceiptTimeout;
        var delay = _options.FirstPollDelay;
        while (true)
        {
            var receipt = await _rpc.GetReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null) return receipt;
            if (DateTime.UtcNow >= deadline)
            {
                throw new IExecException(ErrorIds.TransactionNotMined, IExecErrorCategory.OperationTimeout,
                    $"Transaction {transactionHash} was not mined within {_options.ReceiptTimeout.TotalSeconds:0} s.", transactionHash);
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollDelay.Ticks));
        }
    }

    private async Task<BigInteger> EstimateGasAsync(EthAddress? to, byte[] data, BigInteger value, CancellationToken cancellationToken)
    {
        try
        {
            return JsonRpcClient.ParseQuantity(await _rpc.CallAsync("eth_estimateGas", [CallObject(to, data, value)], cancellationToken).ConfigureAwait(false));
        }
        catch (RpcException e) when (IsRevert(e))
        {
            throw Reverted(to, RevertReason.TryDecode(e.RevertData) ?? e.NodeMessage, null, e);
        }
    }

    private async Task<EthTransaction> WithFeesAsync(EthTransaction transaction, CancellationToken cancellationToken)
    {
        if (_options.FeeMode == FeeMode.ZeroGasPriceLegacy)
            return transaction with { Type = TransactionType.Legacy, GasPrice = BigInteger.Zero };
        if (_options.FeeMode == FeeMode.LegacyNodeGasPrice)
        {
            var price = JsonRpcClient.ParseQuantity(await _rpc.CallAsync("eth_gasPrice", null, cancellationToken).ConfigureAwait(false));
            return transaction with { Type = TransactionType.Legacy, GasPrice = price };
        }
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
        return transaction with { Type = TransactionType.Eip1559, MaxPriorityFeePerGas = tip, MaxFeePerGas = baseFee * 2 + tip };
    }

    private async Task<string?> ReplayForReasonAsync(EthAddress? to, byte[] data, BigInteger value, long blockNumber, CancellationToken cancellationToken)
    {
        try
        {
            await _rpc.CallAsync("eth_call", [CallObject(to, data, value), JsonRpcClient.ToQuantity(blockNumber - 1)], cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e)
        {
            return RevertReason.TryDecode(e.RevertData) ?? e.NodeMessage;
        }
    }

    private JsonObject CallObject(EthAddress? to, byte[] data, BigInteger value)
    {
        var call = new JsonObject { ["from"] = From.ToLowerHex(), ["data"] = Hex.Encode(data) };
        if (to is { } recipient) call["to"] = recipient.ToLowerHex();
        if (!value.IsZero) call["value"] = JsonRpcClient.ToQuantity(value);
        return call;
    }

    private static bool IsRevert(RpcException e) =>
        e.Code == 3 || e.NodeMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);

    private static IExecException Reverted(EthAddress? to, string? reason, string? transactionHash, Exception? inner = null) =>
        new(ErrorIds.TransactionReverted, IExecErrorCategory.InvalidOperation,
            $"The transaction to {(to is { } t ? t.ToString() : "a new contract")} reverted{(reason is null ? "" : ": " + reason)}"
            + (transactionHash is null ? " (refused at gas estimation, nothing was sent)." : $" (tx {transactionHash})."),
            transactionHash ?? to?.ToString(), inner);
}
