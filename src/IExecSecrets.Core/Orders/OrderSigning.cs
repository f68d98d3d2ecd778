using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Orders;

/// <summary>The hashing, signing and recovery the four order records share.</summary>
internal static class OrderSigning
{
    public static byte[] Hash(TypedDataType type, object?[] values, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return TypedDataHasher.Digest(domain.Separator(), TypedDataHasher.HashStruct(type, values));
    }

    public static string Sign(IEthSigner signer, byte[] orderHash)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.SignDigest(orderHash).ToHex();
    }

    public static EthAddress RecoverSigner(byte[] orderHash, string sign, string orderType)
    {
        if (!Hex.IsHex(sign, 65))
            throw new IExecException(ErrorIds.InvalidTypedDataValue,
                $"The {orderType} is not signed: 'sign' must be 0x followed by 65 bytes of hex.", target: orderType);
        return Secp256k1.RecoverAddress(orderHash, Signature.FromBytes(Hex.Decode(sign)));
    }
}
