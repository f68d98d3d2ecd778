using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Sms;

public sealed class SmsChallengeTests
{
    private static WalletKey VectorKey() => WalletKey.FromHex(TestVectors.Text("privateKey"));

    private static EthAddress VectorAddress => EthAddress.Parse(TestVectors.Text("address"));

    /// <summary>The SDK's challenge for <paramref name="vector"/>, and its authorization signed with the vector key.</summary>
    private static void AssertSdkVector(string vector, byte[] challenge)
    {
        using var key = VectorKey();
        Assert.Equal(TestVectors.Text(vector + ".challenge"), Hex.Encode(challenge));
        Assert.Equal(TestVectors.Text(vector + ".authorization"), SmsChallenge.Authorization(key, challenge));
    }

    [Fact]
    public void ForRequesterSecret_SdkVector_MatchesChallengeAndAuthorization()
    {
        var challenge = SmsChallenge.ForRequesterSecret(VectorAddress, "x1", "1"u8);

        AssertSdkVector("sms.requesterSecret_x1_eq_1", challenge);
    }

    [Fact]
    public void ForAppSecret_SdkVector_MatchesChallengeAndAuthorization()
    {
        var challenge = SmsChallenge.ForAppSecret(EthAddress.Parse("0x1111111111111111111111111111111111111111"), "1;1;1;1"u8);

        AssertSdkVector("sms.appSecret_0x1111_value_1;1;1;1", challenge);
    }

    [Fact]
    public void ForWeb2Secret_SdkVector_MatchesChallengeAndAuthorization()
    {
        var challenge = SmsChallenge.ForWeb2Secret(VectorAddress, "iexec-result-encryption-public-key", "abc"u8);

        AssertSdkVector("sms.web2_resultEncryptionKey_abc", challenge);
    }

    [Fact]
    public void ForWeb3Secret_SdkVector_MatchesChallengeAndAuthorization()
    {
        var challenge = SmsChallenge.ForWeb3Secret(EthAddress.Parse("0x2222222222222222222222222222222222222222"), "datasetkey"u8);

        AssertSdkVector("sms.web3_0x2222_datasetkey", challenge);
    }

    [Fact]
    public void ForRequesterSecret_Preimage_IsDomainAddressNameHashValueHash()
    {
        var preimage = Hex.Decode(TestVectors.Text("sms.requesterSecret_x1_eq_1.preimage"));

        var challenge = SmsChallenge.ForRequesterSecret(VectorAddress, "x1", "1"u8);

        Assert.Equal(116, preimage.Length);
        // The digest from Nethereum's Keccak-256, not from our own hasher (issue 17).
        Assert.Equal(new global::Nethereum.Util.Sha3Keccack().CalculateHash(preimage), challenge);
    }

    [Fact]
    public void ForRequesterSecret_ValueWithTrailingNewline_GivesAnotherChallenge()
    {
        var plain = SmsChallenge.ForRequesterSecret(VectorAddress, "x1", "1"u8);

        var withNewline = SmsChallenge.ForRequesterSecret(VectorAddress, "x1", "1\n"u8);

        Assert.NotEqual(plain, withNewline);
    }

    [Fact]
    public void Authorization_RecoversToSigner_WithV27Or28()
    {
        using var key = WalletKey.Generate();
        var challenge = SmsChallenge.ForRequesterSecret(key.Address, "name", Encoding.UTF8.GetBytes("välue"));

        var authorization = SmsChallenge.Authorization(key, challenge);

        var bytes = Hex.Decode(authorization);
        Assert.Equal(2 + 130, authorization.Length);
        Assert.Contains(bytes[64], new byte[] { 27, 28 });
        Assert.Equal(key.Address, PersonalMessage.Recover(challenge, Signature.FromBytes(bytes)));
    }

    [Fact]
    public void Authorization_ChallengeNot32Bytes_Throws()
    {
        using var key = WalletKey.Generate();

        Assert.Throws<ArgumentException>(() => SmsChallenge.Authorization(key, new byte[31]));
    }
}
