using System.Numerics;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// An unsigned transaction. <see cref="Type"/> picks the envelope: <see cref="TransactionType.Legacy"/> signs with
/// EIP-155 replay protection (v = chainId·2 + 35 + recovery id) and uses <see cref="GasPrice"/>;
/// <see cref="TransactionType.Eip1559"/> is the type-2 envelope with <see cref="MaxFeePerGas"/> and
/// <see cref="MaxPriorityFeePerGas"/> and an empty access list. <see cref="To"/> null means contract creation.
/// </summary>
public sealed record EthTransaction
{
    /// <summary>The envelope and fee model.</summary>
    public TransactionType Type { get; init; } = TransactionType.Eip1559;

    /// <summary>The chain id the signature commits to.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The sender's account nonce.</summary>
    public required BigInteger Nonce { get; init; }

    /// <summary>The recipient; null deploys <see cref="Data"/> as init code.</summary>
    public EthAddress? To { get; init; }

    /// <summary>Wei sent along.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Calldata or init code.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The gas limit.</summary>
    public required BigInteger GasLimit { get; init; }

    /// <summary>Legacy only: the gas price in wei (0 on bellecour-like chains).</summary>
    public BigInteger GasPrice { get; init; }

    /// <summary>EIP-1559 only: the fee cap per gas.</summary>
    public BigInteger MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 only: the tip per gas.</summary>
    public BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>The digest the sender signs (keccak256 of the signing payload).</summary>
    public byte[] SigningHash() => Keccak256.Hash(Type == TransactionType.Legacy
        ? Rlp.EncodeList([.. CommonLegacyFields(), Rlp.EncodeInteger(ChainId), Rlp.EncodeInteger(0), Rlp.EncodeInteger(0)])
        : TypedEnvelope(Rlp.EncodeList(Common1559Fields())));

    /// <summary>Signs with <paramref name="signer"/>; gives the raw bytes for <c>eth_sendRawTransaction</c> and the hash.</summary>
    public SignedTransaction Sign(IEthSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = signer.SignDigest(SigningHash());
        var r = Rlp.EncodeInteger(new BigInteger(signature.R, isUnsigned: true, isBigEndian: true));
        var s = Rlp.EncodeInteger(new BigInteger(signature.S, isUnsigned: true, isBigEndian: true));
        byte[] raw = Type == TransactionType.Legacy
            ? Rlp.EncodeList([.. CommonLegacyFields(), Rlp.EncodeInteger(new BigInteger(ChainId) * 2 + 35 + signature.RecoveryId), r, s])
            : TypedEnvelope(Rlp.EncodeList([.. Common1559Fields(), Rlp.EncodeInteger(signature.RecoveryId), r, s]));
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    private byte[][] CommonLegacyFields() =>
    [
        Rlp.EncodeInteger(Nonce), Rlp.EncodeInteger(GasPrice), Rlp.EncodeInteger(GasLimit),
        Rlp.EncodeBytes(To is { } to ? to.Span : []), Rlp.EncodeInteger(Value), Rlp.EncodeBytes(Data),
    ];

    private byte[][] Common1559Fields() =>
    [
        Rlp.EncodeInteger(ChainId), Rlp.EncodeInteger(Nonce), Rlp.EncodeInteger(MaxPriorityFeePerGas),
        Rlp.EncodeInteger(MaxFeePerGas), Rlp.EncodeInteger(GasLimit), Rlp.EncodeBytes(To is { } to ? to.Span : []),
        Rlp.EncodeInteger(Value), Rlp.EncodeBytes(Data), Rlp.EncodeList(),
    ];

    private static byte[] TypedEnvelope(byte[] payload) => [0x02, .. payload];
}

/// <summary>The transaction envelopes the sender produces.</summary>
public enum TransactionType
{
    /// <summary>Type 0 with an EIP-155 signature.</summary>
    Legacy = 0,
    /// <summary>Type 2 (EIP-1559).</summary>
    Eip1559 = 2,
}

/// <summary>A signed transaction: <see cref="Raw"/> for <c>eth_sendRawTransaction</c>, <see cref="Hash"/> its id.</summary>
public sealed record SignedTransaction(byte[] Raw, byte[] Hash)
{
    /// <summary>The hash as <c>0x</c> hex, the form RPC nodes use.</summary>
    public string HashHex => Hex.Encode(Hash);
}
