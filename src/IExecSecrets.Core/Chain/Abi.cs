using System.Collections;
using System.Numerics;
using System.Text;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// Solidity ABI encoding and decoding (the contract ABI spec, head/tail layout). Values map as: address ↔
/// <see cref="EthAddress"/> (a hex string is also accepted when encoding), bool ↔ <see cref="bool"/>, uintN/intN ↔
/// <see cref="BigInteger"/> (any .NET integer accepted when encoding), bytesN/bytes ↔ <c>byte[]</c>, string ↔
/// <see cref="string"/>, arrays and tuples ↔ <c>object?[]</c> (any <see cref="IList"/> accepted when encoding).
/// Out-of-range values throw <see cref="ArgumentException"/>; malformed data throws <see cref="FormatException"/>.
/// </summary>
public static class Abi
{
    /// <summary>The 4-byte selector of a function signature such as <c>createApp(address,string,string,bytes,bytes32,bytes)</c>.</summary>
    public static byte[] Selector(string signature) => Keccak256.HashUtf8(signature.Replace(" ", "", StringComparison.Ordinal))[..4];

    /// <summary>The 32-byte topic0 of an event signature such as <c>Transfer(address,address,uint256)</c>.</summary>
    public static byte[] EventTopic(string signature) => Keccak256.HashUtf8(signature.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Calldata: the selector of <paramref name="signature"/> followed by the encoded arguments of its parameter list.</summary>
    public static byte[] EncodeCall(string signature, params object?[] arguments)
    {
        var open = signature.IndexOf('(');
        if (open <= 0 || !signature.EndsWith(')')) throw new FormatException($"'{signature}' is not a function signature.");
        var types = AbiType.ParseList(signature[(open + 1)..^1]);
        var body = Encode(types, arguments);
        var result = new byte[4 + body.Length];
        Selector(signature).CopyTo(result, 0);
        body.CopyTo(result, 4);
        return result;
    }

    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/> (constructor arguments, call bodies).</summary>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count) throw new ArgumentException($"Expected {types.Count} ABI values, got {values.Count}.");
        var stream = new MemoryStream();
        EncodeSequence(types, values, stream);
        return stream.ToArray();
    }

    /// <summary>Encodes values against a comma-separated type list such as <c>address,uint256</c>.</summary>
    public static byte[] Encode(string typeList, params object?[] values) => Encode(AbiType.ParseList(typeList), values);

    /// <summary>Decodes return data or event data as the tuple of <paramref name="types"/>.</summary>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data) => DecodeSequence(types, data, 0);

    /// <summary>Decodes against a comma-separated type list such as <c>address,uint256</c>.</summary>
    public static object?[] Decode(string typeList, ReadOnlySpan<byte> data) => Decode(AbiType.ParseList(typeList), data);

    private static void EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, MemoryStream output)
    {
        var headSize = types.Sum(t => t.HeadSize);
        var head = new MemoryStream();
        var tail = new MemoryStream();
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                head.Write(Word(new BigInteger(headSize + tail.Length)));
                EncodeValue(types[i], values[i], tail);
            }
            else
            {
                EncodeValue(types[i], values[i], head);
            }
        }
        head.WriteTo(output);
        tail.WriteTo(output);
    }

    private static void EncodeValue(AbiType type, object? value, MemoryStream output)
    {
        switch (type.Kind)
        {
            case AbiKind.Address:
                var address = value switch
                {
                    EthAddress a => a,
                    string s => EthAddress.Parse(s),
                    _ => throw new ArgumentException($"An ABI address needs an EthAddress, got {value?.GetType().Name ?? "null"}."),
                };
                output.Write(new byte[12]);
                output.Write(address.Span);
                break;
            case AbiKind.Bool:
                output.Write(Word(value is true ? BigInteger.One : value is false ? BigInteger.Zero
                    : throw new ArgumentException("An ABI bool needs a bool.")));
                break;
            case AbiKind.UInt:
            case AbiKind.Int:
                output.Write(IntegerWord(type, ToBigInteger(value)));
                break;
            case AbiKind.FixedBytes:
                var fixedBytes = value as byte[] ?? throw new ArgumentException($"An ABI {type} needs a byte[].");
                if (fixedBytes.Length != type.Size) throw new ArgumentException($"An ABI {type} needs exactly {type.Size} bytes, got {fixedBytes.Length}.");
                output.Write(PadRight(fixedBytes));
                break;
            case AbiKind.Bytes:
            case AbiKind.String:
                var bytes = type.Kind == AbiKind.String
                    ? Encoding.UTF8.GetBytes(value as string ?? throw new ArgumentException("An ABI string needs a string."))
                    : value as byte[] ?? throw new ArgumentException("ABI bytes need a byte[].");
                output.Write(Word(new BigInteger(bytes.Length)));
                output.Write(PadRight(bytes));
                break;
            case AbiKind.Array:
                var items = ToList(value, type);
                if (type.FixedLength is int length && items.Count != length)
                    throw new ArgumentException($"An ABI {type} needs {length} items, got {items.Count}.");
                if (type.FixedLength is null) output.Write(Word(new BigInteger(items.Count)));
                EncodeSequence(Enumerable.Repeat(type.Element!, items.Count).ToArray(), items, output);
                break;
            case AbiKind.Tuple:
                var members = ToList(value, type);
                if (members.Count != type.Components.Count)
                    throw new ArgumentException($"An ABI tuple {type} needs {type.Components.Count} members, got {members.Count}.");
                EncodeSequence(type.Components, members, output);
                break;
        }
    }

    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start)
    {
        var result = new object?[types.Count];
        var position = start;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                var offset = ReadLength(data, position);
                result[i] = DecodeValue(types[i], data, start + offset);
            }
            else
            {
                result[i] = DecodeValue(types[i], data, position);
            }
            position += types[i].HeadSize;
        }
        return result;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int position)
    {
        switch (type.Kind)
        {
            case AbiKind.Address:
                return EthAddress.FromBytes(Slice(data, position, 32)[12..]);
            case AbiKind.Bool:
                return !Slice(data, position, 32).SequenceEqual(new byte[32]);
            case AbiKind.UInt:
                return new BigInteger(Slice(data, position, 32), isUnsigned: true, isBigEndian: true);
            case AbiKind.Int:
                return new BigInteger(Slice(data, position, 32), isUnsigned: false, isBigEndian: true);
            case AbiKind.FixedBytes:
                return Slice(data, position, 32)[..type.Size].ToArray();
            case AbiKind.Bytes:
            case AbiKind.String:
                var length = ReadLength(data, position);
                var bytes = Slice(data, position + 32, length).ToArray();
                return type.Kind == AbiKind.String ? Encoding.UTF8.GetString(bytes) : bytes;
            case AbiKind.Array:
                var count = type.FixedLength ?? ReadLength(data, position);
                var itemsStart = type.FixedLength is null ? position + 32 : position;
                return DecodeSequence(Enumerable.Repeat(type.Element!, count).ToArray(), data, itemsStart);
            default:
                return DecodeSequence(type.Components, data, position);
        }
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int position, int length)
    {
        if (position < 0 || length < 0 || (long)position + length > data.Length)
            throw new FormatException("ABI data is shorter than its layout says.");
        return data.Slice(position, length);
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int position)
    {
        var value = new BigInteger(Slice(data, position, 32), isUnsigned: true, isBigEndian: true);
        if (value > data.Length) throw new FormatException("ABI offset or length points past the end of the data.");
        return (int)value;
    }

    private static IReadOnlyList<object?> ToList(object? value, AbiType type) => value switch
    {
        object?[] array => array,
        IList list when value is not byte[] => list.Cast<object?>().ToArray(),
        _ => throw new ArgumentException($"An ABI {type} needs an array or list of values."),
    };

    /// <summary>Converts any .NET integer (or a <see cref="BigInteger"/>) to <see cref="BigInteger"/>.</summary>
    internal static BigInteger ToBigInteger(object? value) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte b8 => b8,
        sbyte sb => sb,
        _ => throw new ArgumentException($"An ABI integer needs an integer value, got {value?.GetType().Name ?? "null"}."),
    };

    private static byte[] IntegerWord(AbiType type, BigInteger value)
    {
        var bits = type.Size;
        if (type.Kind == AbiKind.UInt)
        {
            if (value.Sign < 0 || value >= BigInteger.One << bits) throw new ArgumentException($"{value} does not fit {type}.");
            return Word(value);
        }
        var limit = BigInteger.One << (bits - 1);
        if (value < -limit || value >= limit) throw new ArgumentException($"{value} does not fit {type}.");
        return value.Sign >= 0 ? Word(value) : Word((BigInteger.One << 256) + value);
    }

    /// <summary>A non-negative integer as a 32-byte big-endian word.</summary>
    internal static byte[] Word(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > 32) throw new ArgumentException("Integer does not fit 256 bits.");
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] PadRight(byte[] bytes)
    {
        var padded = new byte[(bytes.Length + 31) / 32 * 32];
        bytes.CopyTo(padded, 0);
        return padded;
    }
}
