namespace IExecSecrets.Core.Chain;

/// <summary>
/// One Solidity ABI type, parsed from its canonical text (<c>uint256</c>, <c>bytes32</c>, <c>address[]</c>,
/// <c>(address,uint256,bytes)[2]</c>). <see cref="IsDynamic"/> follows the ABI spec: a type is dynamic when it is
/// <c>bytes</c>, <c>string</c>, <c>T[]</c>, or a static array/tuple that contains a dynamic type.
/// </summary>
public sealed class AbiType
{
    private AbiType(AbiKind kind, int size = 0, AbiType? element = null, int? length = null, IReadOnlyList<AbiType>? components = null)
    {
        Kind = kind;
        Size = size;
        Element = element;
        FixedLength = length;
        Components = components ?? [];
    }

    /// <summary>The family of the type.</summary>
    public AbiKind Kind { get; }

    /// <summary>The bit width of uintN/intN, or the byte count of bytesN; 0 otherwise.</summary>
    public int Size { get; }

    /// <summary>The element type of an array.</summary>
    public AbiType? Element { get; }

    /// <summary>The length of a static array <c>T[k]</c>; null for a dynamic array <c>T[]</c>.</summary>
    public int? FixedLength { get; }

    /// <summary>The member types of a tuple, in order.</summary>
    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>True when the encoding goes in the tail with an offset in the head.</summary>
    public bool IsDynamic => Kind switch
    {
        AbiKind.Bytes or AbiKind.String => true,
        AbiKind.Array => FixedLength is null || Element!.IsDynamic,
        AbiKind.Tuple => Components.Any(c => c.IsDynamic),
        _ => false,
    };

    /// <summary>The number of bytes this type takes in the head of its enclosing tuple.</summary>
    public int HeadSize => IsDynamic ? 32 : Kind switch
    {
        AbiKind.Array => FixedLength!.Value * Element!.HeadSize,
        AbiKind.Tuple => Components.Sum(c => c.HeadSize),
        _ => 32,
    };

    /// <summary>The canonical text, the form used in function signatures.</summary>
    public override string ToString() => Kind switch
    {
        AbiKind.Address => "address",
        AbiKind.Bool => "bool",
        AbiKind.UInt => $"uint{Size}",
        AbiKind.Int => $"int{Size}",
        AbiKind.FixedBytes => $"bytes{Size}",
        AbiKind.Bytes => "bytes",
        AbiKind.String => "string",
        AbiKind.Array => $"{Element}[{FixedLength?.ToString() ?? ""}]",
        _ => "(" + string.Join(",", Components) + ")",
    };

    /// <summary>Builds a tuple type from its members.</summary>
    public static AbiType Tuple(params AbiType[] components) => new(AbiKind.Tuple, components: components);

    /// <summary>Parses a canonical type; <c>uint</c>/<c>int</c> alias 256 bits. Throws <see cref="FormatException"/> otherwise.</summary>
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var type = ParseAt(text.Replace(" ", "", StringComparison.Ordinal), ref position);
        if (position != text.Replace(" ", "", StringComparison.Ordinal).Length) throw new FormatException($"Unexpected text after ABI type in '{text}'.");
        return type;
    }

    /// <summary>Parses a comma-separated parameter list such as <c>address,string,bytes32</c> (no parentheses).</summary>
    public static IReadOnlyList<AbiType> ParseList(string text) =>
        string.IsNullOrWhiteSpace(text) ? [] : Parse("(" + text + ")").Components;

    private static AbiType ParseAt(string text, ref int position)
    {
        AbiType type;
        if (position < text.Length && text[position] == '(')
        {
            position++;
            var members = new List<AbiType>();
            if (text[position] != ')')
            {
                while (true)
                {
                    members.Add(ParseAt(text, ref position));
                    if (position >= text.Length) throw new FormatException("Unclosed tuple in ABI type.");
                    if (text[position] == ',') { position++; continue; }
                    if (text[position] == ')') break;
                    throw new FormatException($"Unexpected '{text[position]}' in ABI type.");
                }
            }
            position++;
            type = new AbiType(AbiKind.Tuple, components: members);
        }
        else
        {
            var start = position;
            while (position < text.Length && char.IsLetterOrDigit(text[position])) position++;
            type = Elementary(text[start..position]);
        }
        while (position < text.Length && text[position] == '[')
        {
            var close = text.IndexOf(']', position);
            if (close < 0) throw new FormatException("Unclosed array bracket in ABI type.");
            var digits = text[(position + 1)..close];
            int? length = digits.Length == 0 ? null : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            type = new AbiType(AbiKind.Array, element: type, length: length);
            position = close + 1;
        }
        return type;
    }

    private static AbiType Elementary(string name)
    {
        switch (name)
        {
            case "address": return new AbiType(AbiKind.Address);
            case "bool": return new AbiType(AbiKind.Bool);
            case "string": return new AbiType(AbiKind.String);
            case "bytes": return new AbiType(AbiKind.Bytes);
            case "uint": return new AbiType(AbiKind.UInt, 256);
            case "int": return new AbiType(AbiKind.Int, 256);
        }
        if (name.StartsWith("uint", StringComparison.Ordinal) && TryBits(name[4..], out var ubits)) return new AbiType(AbiKind.UInt, ubits);
        if (name.StartsWith("int", StringComparison.Ordinal) && TryBits(name[3..], out var ibits)) return new AbiType(AbiKind.Int, ibits);
        if (name.StartsWith("bytes", StringComparison.Ordinal) && int.TryParse(name[5..], out var n) && n is >= 1 and <= 32)
            return new AbiType(AbiKind.FixedBytes, n);
        throw new FormatException($"Unknown ABI type '{name}'.");
    }

    private static bool TryBits(string digits, out int bits) =>
        int.TryParse(digits, out bits) && bits is >= 8 and <= 256 && bits % 8 == 0;
}

/// <summary>The families of ABI types.</summary>
public enum AbiKind
{
    /// <summary>A 20-byte account address (<see cref="Crypto.EthAddress"/>).</summary>
    Address,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>An unsigned integer of N bits (<see cref="System.Numerics.BigInteger"/>).</summary>
    UInt,
    /// <summary>A two's-complement signed integer of N bits.</summary>
    Int,
    /// <summary>bytes1 … bytes32, left-aligned.</summary>
    FixedBytes,
    /// <summary>Dynamic bytes.</summary>
    Bytes,
    /// <summary>Dynamic UTF-8 string.</summary>
    String,
    /// <summary>T[] or T[k].</summary>
    Array,
    /// <summary>A struct.</summary>
    Tuple,
}
