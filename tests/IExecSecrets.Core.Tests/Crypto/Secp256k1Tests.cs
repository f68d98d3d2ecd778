namespace IExecSecrets.Core.Tests.Crypto;

public sealed class Secp256k1Tests
{
    private static readonly byte[] Key = Hex.Decode("0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    [Fact]
    public void PersonalSign_RequesterChallengeVector_MatchesSdkAuthorization()
    {
        var challenge = Hex.Decode("0x93bdeba53c23baf807c43a8b0d047f4b9decc18c0d0a3262c551c1526185c805");

        var signature = PersonalMessage.Sign(challenge, Key);

        Assert.Equal("0x87d6f845f05d413bb3610f37f2a99b0f92584153cd59c70c62c29ca1e9913bc910e613858f724a38c10101ef6c8cabff068035bb675f4090de8be50c089e1e721b", signature.ToHex());
        Assert.Equal("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", PersonalMessage.Recover(challenge, signature).ToString());
    }

    [Fact]
    public void PublicKey_TestKey_MatchesVector()
    {
        Assert.Equal("0x044646ae5047316b4230d0086c8acec687f00b1cd9d1dc634f6cb358ac0a9a8ffffe77b4dd0a4bfb95851f3b7355c781dd60f8418fc8a65d14907aff47c903a559", Hex.Encode(Secp256k1.PublicKey(Key)));
    }
}
public sealed class PersonalMessageHashTests
{
    [Fact]
    public void Hash_RequesterChallenge_MatchesVectorDigest()
    {
        var challenge = Hex.Decode("0x93bdeba53c23baf807c43a8b0d047f4b9decc18c0d0a3262c551c1526185c805");
        Assert.Equal("0x6e9f5b4dd9ddf516d626c1933eb08a19334bc85d1ca03fa00d3be1ee7f940a45", Hex.Encode(PersonalMessage.Hash(challenge)));
    }
}
