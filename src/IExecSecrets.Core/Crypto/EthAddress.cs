using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace IExecSecrets.Core.Crypto;

/// <summary>
/// A 20-byte Ethereum account or contract address. Parsing accepts any letter case (as the iexec SDK does, which
/// lower-cases then checksums and never rejects a bad checksum); <see cref="ToString"/> gives the EIP-55 form.
/// </summary>
public readonly struct EthAddress : IEquatable<EthAddress>
{
    private readonly byte[]? _bytes;

    private EthAddress(byte[] bytes) => _bytes = bytes;

    /// <summary>The zero address, <c>0x0000000000000000000000000000000000000000</c>.</summary>
    public static EthAddress Zero { get; } = new(new byte[20]);

    /// <summary>A copy of the 20 raw bytes.</summary>
    public byte[] ToBytes() => (byte[])(_bytes ?? Zero._bytes!).Clone();

    /// <summary>The raw bytes without copying, for hashing and ABI encoding.</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? Zero._bytes!;

    /// <summary>True for the zero address.</summary>
    public bool IsZero => Span.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Wraps 20 raw bytes.</summary>
    public static EthAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20) throw new ArgumentException("An address is 20 bytes.", nameof(bytes));
        return new EthAddress(bytes.ToArray());
    }

    /// <summary>The address of an uncompressed public key (64 bytes X‖Y, or 65 with the 0x04 prefix).</summary>
    public static EthAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == 65 && publicKey[0] == 4) publicKey = publicKey[1..];
        if (publicKey.Length != 64) throw new ArgumentException("Expected a 64-byte uncompressed public key.", nameof(publicKey));
        var hash = Keccak256.Hash(publicKey);
        return new EthAddress(hash.AsSpan(12).ToArray());
    }

    /// <summary>Parses <c>0x</c> + 40 hex digits in any case; anything else fails.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out EthAddress address)
    {
        address = default;
        if (text is null || text.Length != 42 || !Hex.IsHex(text, 20)) return false;
        address = new EthAddress(Hex.Decode(text));
        return true;
    }

    /// <summary>Parses an address or throws <see cref="FormatException"/> with the SDK's wording.</summary>
    public static EthAddress Parse(string text)
    {
        if (!TryParse(text, out var address)) throw new FormatException($"{text} is not a valid ethereum address");
        return address;
    }

    /// <summary>The EIP-55 mixed-case checksum form.</summary>
    public override string ToString()
    {
        var lower = Hex.Encode(Span, prefix: false);
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < 40; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }
        return result.ToString();
    }

    /// <summary>The all-lower-case form, as the SMS stores addresses.</summary>
    public string ToLowerHex() => Hex.Encode(Span);

    /// <summary>Byte equality: letter case in the text form never matters.</summary>
    public bool Equals(EthAddress other) => Span.SequenceEqual(other.Span);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EthAddress other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Span[..4]);
    /// <summary>Byte equality.</summary>
    public static bool operator ==(EthAddress left, EthAddress right) => left.Equals(right);
    /// <summary>Byte inequality.</summary>
    public static bool operator !=(EthAddress left, EthAddress right) => !left.Equals(right);
}
