namespace IExecSecrets.Core.Crypto;

/// <summary>
/// A recoverable secp256k1 signature. <see cref="V"/> is 27 or 28 (the form ethers, the iexec SDK and the SMS's web3j
/// verification use); <see cref="ToBytes"/> gives r ‖ s ‖ v, 65 bytes.
/// </summary>
public sealed record Signature(byte[] R, byte[] S, byte V)
{
    /// <summary>The recovery id, 0 or 1.</summary>
    public int RecoveryId => V - 27;

    /// <summary>r(32) ‖ s(32) ‖ v(1).</summary>
    public byte[] ToBytes()
    {
        var result = new byte[65];
        R.CopyTo(result, 32 - R.Length);
        S.CopyTo(result, 64 - S.Length);
        result[64] = V;
        return result;
    }

    /// <summary><c>0x</c> + 130 lower-case hex digits, the SMS <c>Authorization</c> and order <c>sign</c> format.</summary>
    public string ToHex() => Hex.Encode(ToBytes());

    /// <summary>Reads 65 bytes r ‖ s ‖ v; v may be 0/1 or 27/28 and is normalised to 27/28.</summary>
    public static Signature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 65) throw new FormatException("A signature is 65 bytes.");
        var v = bytes[64];
        if (v < 27) v += 27;
        return new Signature(bytes[..32].ToArray(), bytes[32..64].ToArray(), v);
    }
}
