using System.Numerics;

namespace IExecSecrets.Core.Chain;

/// <summary>Decodes the revert payloads Solidity produces: <c>Error(string)</c> and <c>Panic(uint256)</c>.</summary>
public static class RevertReason
{
    private static readonly byte[] ErrorSelector = Abi.Selector("Error(string)");
    private static readonly byte[] PanicSelector = Abi.Selector("Panic(uint256)");

    /// <summary>
    /// The human reason in revert data, e.g. <c>Create2: Failed on deploy</c> or <c>panic 0x11</c>; null when the data
    /// is empty or a custom error (then the selector is given as <c>custom error 0x…</c>).
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return null;
        try
        {
            if (data[..4].SequenceEqual(ErrorSelector)) return (string?)Abi.Decode("string", data[4..])[0];
            if (data[..4].SequenceEqual(PanicSelector)) return $"panic 0x{(BigInteger)Abi.Decode("uint256", data[4..])[0]!:x}";
        }
        catch (FormatException)
        {
            return null;
        }
        return "custom error " + Crypto.Hex.Encode(data[..4]);
    }
}
