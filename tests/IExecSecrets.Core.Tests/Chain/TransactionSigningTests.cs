namespace IExecSecrets.Core.Tests.Chain;

public sealed class TransactionSigningTests
{
    [Fact]
    public void LegacySigningMatchesTheEip155Example()
    {
        // The worked example of EIP-155 itself (key 0x4646…46, chain 1).
        var transaction = new EthTransaction
        {
            Type = TransactionType.Legacy,
            ChainId = 1,
            Nonce = 9,
            GasPrice = 20_000_000_000,
            GasLimit = 21000,
            To = EthAddress.Parse("0x3535353535353535353535353535353535353535"),
            Value = BigInteger.Pow(10, 18),
        };
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(transaction.SigningHash()));
        var signed = transaction.Sign(new TestKeySigner("0x" + string.Concat(Enumerable.Repeat("46", 32))));
        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.Encode(signed.Raw));
        Assert.Equal(Hex.Encode(Keccak256.Hash(signed.Raw)), signed.HashHex);
    }

    [Fact]
    public void LegacyVCarriesTheChainId()
    {
        var signer = new TestKeySigner("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var signed = new EthTransaction { Type = TransactionType.Legacy, ChainId = 134, Nonce = 0, GasLimit = 21000, To = EthAddress.Zero }.Sign(signer);
        // v is the RLP integer before r (0xa0 prefix) and s: 134·2 + 35 + recId = 303 or 304 → 0x82 0x01 0x2f/0x30.
        var v = 303 + signer.LastSignature!.RecoveryId;
        var vBytes = Rlp.EncodeInteger(v);
        Assert.True(signed.Raw.AsSpan().IndexOf(vBytes.Concat(new byte[] { 0xa0 }).ToArray()) > 0);
    }

    [Fact]
    public void Eip1559TransactionRecoversToTheSigner()
    {
        var signer = new TestKeySigner("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        var transaction = new EthTransaction
        {
            ChainId = 134, Nonce = 7, GasLimit = 50000, MaxFeePerGas = 2_000_000_000, MaxPriorityFeePerGas = 1_000_000_000,
            To = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Value = 5, Data = [1, 2, 3],
        };
        var signed = transaction.Sign(signer);
        Assert.Equal(0x02, signed.Raw[0]);
        Assert.Equal(signer.Address, Secp256k1.RecoverAddress(transaction.SigningHash(), signer.LastSignature!));
        // Changing any field changes the digest, so the signature binds it.
        Assert.NotEqual(Hex.Encode(transaction.SigningHash()), Hex.Encode((transaction with { Value = 6 }).SigningHash()));
        Assert.NotEqual(Hex.Encode(transaction.SigningHash()), Hex.Encode((transaction with { ChainId = 1 }).SigningHash()));
    }

    [Fact]
    public void RevertReasonsDecode()
    {
        var error = Abi.EncodeCall("Error(string)", "Create2: Failed on deploy");
        Assert.Equal("Create2: Failed on deploy", RevertReason.TryDecode(error));
        Assert.Equal("panic 0x11", RevertReason.TryDecode(Abi.EncodeCall("Panic(uint256)", 0x11)));
        Assert.Null(RevertReason.TryDecode([]));
        Assert.StartsWith("custom error 0x", RevertReason.TryDecode([1, 2, 3, 4]));
    }
}
