using System.Numerics;
using System.Text;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Crypto;

/// <summary>
/// EIP-712 hashing for flat structs, as <c>eth_signTypedData_v4</c>, ethers' <c>TypedDataEncoder</c> and PoCo's
/// <c>IexecLibOrders_v5</c> compute it: <c>hashStruct = keccak256(typeHash ‖ encodeData)</c> and
/// <c>digest = keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct)</c>.
/// </summary>
/// <remarks>
/// Member values are .NET values: <see cref="EthAddress"/> for <c>address</c>; <see cref="BigInteger"/> (or
/// int/long/uint/ulong) in [0, 2^256) for <c>uint256</c>; a 32-byte <c>byte[]</c> for <c>bytes32</c>; a
/// <see cref="string"/> (hashed as UTF-8) for <c>string</c>; a <c>byte[]</c> for <c>bytes</c>. Anything else throws
/// <see cref="IExecException"/> <see cref="ErrorIds.InvalidTypedDataValue"/>.
/// </remarks>
public static class TypedDataHasher
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary><c>EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)</c>.</summary>
    public static TypedDataType DomainType { get; } = new("EIP712Domain",
    [
        new("name", "string"),
        new("version", "string"),
        new("chainId", "uint256"),
        new("verifyingContract", "address"),
    ]);

    /// <summary>The domain separator: hashStruct of <see cref="DomainType"/> with these four values.</summary>
    public static byte[] DomainSeparator(string name, string version, BigInteger chainId, EthAddress verifyingContract) =>
        HashStruct(DomainType, [name, version, chainId, verifyingContract]);

    /// <summary>
    /// keccak256(typeHash ‖ enc(value1) ‖ … ‖ enc(valueN)), each member encoded as one 32-byte word; the values are
    /// given in <see cref="TypedDataType.Fields"/> order.
    /// </summary>
    public static byte[] HashStruct(TypedDataType type, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != type.Fields.Count)
            throw new ArgumentException($"{type.Name} has {type.Fields.Count} members but {values.Count} values were given.", nameof(values));
        var encoded = new byte[32 * (1 + values.Count)];
        type.TypeHash.CopyTo(encoded, 0);
        for (var i = 0; i < values.Count; i++)
        {
            EncodeMember(type, type.Fields[i], values[i]).CopyTo(encoded, 32 * (i + 1));
        }
        return Keccak256.Hash(encoded);
    }

    /// <summary>The digest that is signed: keccak256(0x1901 ‖ domainSeparator ‖ structHash).</summary>
    public static byte[] Digest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        if (domainSeparator.Length != 32 || structHash.Length != 32)
            throw new ArgumentException("The domain separator and the struct hash are 32 bytes each.");
        Span<byte> preimage = stackalloc byte[66];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        domainSeparator.CopyTo(preimage[2..]);
        structHash.CopyTo(preimage[34..]);
        return Keccak256.Hash(preimage);
    }

    /// <summary>A uint256 as 32 big-endian bytes; out-of-range values throw <see cref="ErrorIds.InvalidTypedDataValue"/>.</summary>
    internal static byte[] EncodeUint256(BigInteger value, string what = "uint256 value")
    {
        if (value.Sign < 0 || value >= TwoTo256)
            throw new IExecException(ErrorIds.InvalidTypedDataValue,
                $"The {what} {value} is outside the uint256 range [0, 2^256).", target: what);
        var word = new byte[32];
        value.TryWriteBytes(word.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return word;
    }

    private static byte[] EncodeMember(TypedDataType type, TypedDataField field, object? value)
    {
        var what = $"{type.Name}.{field.Name}";
        switch (field.Type, value)
        {
            case ("address", EthAddress address):
                var word = new byte[32];
                address.Span.CopyTo(word.AsSpan(12));
                return word;
            case ("uint256", BigInteger number):
                return EncodeUint256(number, what);
            case ("uint256", int number):
                return EncodeUint256(number, what);
            case ("uint256", long number):
                return EncodeUint256(number, what);
            case ("uint256", uint number):
                return EncodeUint256(number, what);
            case ("uint256", ulong number):
                return EncodeUint256(number, what);
            case ("bytes32", byte[] { Length: 32 } bytes32):
                return (byte[])bytes32.Clone();
            case ("string", string text):
                return Keccak256.Hash(Encoding.UTF8.GetBytes(text));
            case ("bytes", byte[] bytes):
                return Keccak256.Hash(bytes);
            default:
                throw new IExecException(ErrorIds.InvalidTypedDataValue,
                    $"{what} of type {field.Type} cannot take a value of type {value?.GetType().Name ?? "null"}"
                    + (field.Type == "bytes32" && value is byte[] b ? $" with {b.Length} bytes (expected 32)." : "."),
                    target: what);
        }
    }
}
