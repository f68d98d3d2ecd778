namespace IExecSecrets.Core.Crypto;

/// <summary>
/// A flat EIP-712 struct type (no nested structs or arrays, which iExec orders and the EIP-712 domain never use)
/// with its canonical type string and type hash.
/// </summary>
public sealed class TypedDataType
{
    private static readonly HashSet<string> SupportedTypes = ["address", "uint256", "bytes32", "string", "bytes"];

    /// <summary>Declares a struct type; an unsupported member type throws <see cref="NotSupportedException"/>.</summary>
    public TypedDataType(string name, IReadOnlyList<TypedDataField> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            if (!SupportedTypes.Contains(field.Type))
                throw new NotSupportedException($"EIP-712 member type '{field.Type}' ({name}.{field.Name}) is not supported.");
        }
        Name = name;
        Fields = fields.ToArray();
        EncodeType = $"{name}({string.Join(",", Fields.Select(f => $"{f.Type} {f.Name}"))})";
        TypeHash = Keccak256.HashUtf8(EncodeType);
    }

    /// <summary>The struct name, e.g. <c>RequestOrder</c>.</summary>
    public string Name { get; }

    /// <summary>The members in declaration order; this order defines both the type string and the encoding.</summary>
    public IReadOnlyList<TypedDataField> Fields { get; }

    /// <summary>EIP-712 <c>encodeType</c>: <c>Name(type1 name1,type2 name2,…)</c>.</summary>
    public string EncodeType { get; }

    /// <summary>keccak256 of <see cref="EncodeType"/> (a fresh copy on every read).</summary>
    public byte[] TypeHash
    {
        get => (byte[])_typeHash.Clone();
        private init => _typeHash = value;
    }

    private readonly byte[] _typeHash = [];
}
