using System.Text;

namespace IExecSecrets.Core.Crypto;

/// <summary>EIP-191 version 0x45 ("personal_sign"): keccak256("\x19Ethereum Signed Message:\n" + len + message).</summary>
public static class PersonalMessage
{
    /// <summary>The digest that personal_sign signs for <paramref name="message"/> (raw bytes, not their hex).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Keccak256.Hash(prefix, message.ToArray());
    }

    /// <summary>Signs <paramref name="message"/> the way ethers' <c>signMessage</c> does.</summary>
    public static Signature Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> privateKey) =>
        Secp256k1.Sign(Hash(message), privateKey);

    /// <summary>The address that signed <paramref name="message"/>.</summary>
    public static EthAddress Recover(ReadOnlySpan<byte> message, Signature signature) =>
        Secp256k1.RecoverAddress(Hash(message), signature);
}
