namespace IExecSecrets.Core.Tests.Chain;

// Vectors from the Ethereum wiki's RLP page (ethereum.org "Recursive-length prefix").
public sealed class RlpTests
{
    private static byte[] Str(string s) => Rlp.EncodeBytes(Encoding.ASCII.GetBytes(s));

    [Theory]
    [InlineData("dog", "0x83646f67")]
    [InlineData("", "0x80")]
    [InlineData("a", "0x61")]
    [InlineData("Lorem ipsum dolor sit amet, consectetur adipisicing elit",
        "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974")]
    public void Strings(string text, string expected) => Assert.Equal(expected, Hex.Encode(Str(text)));

    [Theory]
    [InlineData(0, "0x80")]
    [InlineData(15, "0x0f")]
    [InlineData(127, "0x7f")]
    [InlineData(128, "0x8180")]
    [InlineData(1024, "0x820400")]
    public void Integers(long value, string expected) => Assert.Equal(expected, Hex.Encode(Rlp.EncodeInteger(value)));

    [Fact]
    public void Lists()
    {
        Assert.Equal("0xc88363617483646f67", Hex.Encode(Rlp.EncodeList(Str("cat"), Str("dog"))));
        Assert.Equal("0xc0", Hex.Encode(Rlp.EncodeList()));
        // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
        var empty = Rlp.EncodeList();
        var one = Rlp.EncodeList(empty);
        Assert.Equal("0xc7c0c1c0c3c0c1c0", Hex.Encode(Rlp.EncodeList(empty, one, Rlp.EncodeList(empty, one))));
    }

    [Fact]
    public void LongListUsesTheLengthOfLengthPrefix()
    {
        var items = Enumerable.Range(0, 30).Select(_ => Str("ab")).ToArray(); // 30 × 3 bytes = 90 > 55
        var encoded = Rlp.EncodeList(items);
        Assert.Equal(0xf8, encoded[0]);
        Assert.Equal(90, encoded[1]);
        Assert.Equal(92, encoded.Length);
    }

    [Fact]
    public void NegativeIntegersAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rlp.EncodeInteger(BigInteger.MinusOne));
}
