namespace IExecSecrets.Core.Tests.Orders;

public sealed class OrderTagTests
{
    [Theory]
    [InlineData("tee,scone", false, "0x0000000000000000000000000000000000000000000000000000000000000003")]
    [InlineData("scone,tee", false, "0x0000000000000000000000000000000000000000000000000000000000000003")]
    [InlineData("tee,tdx,gpu", false, "0x0000000000000000000000000000000000000000000000000000000000000109")]
    [InlineData("", false, "0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("tee,,scone,", false, "0x0000000000000000000000000000000000000000000000000000000000000003")]
    [InlineData("tee", true, "0x0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000A03", false, "0x0000000000000000000000000000000000000000000000000000000000000a03")]
    public void Parse_ValidText_GivesTheBitSet(string text, bool allowTeeAlone, string expected)
    {
        var tag = OrderTag.Parse(text, allowTeeAlone);

        Assert.Equal(expected, OrderTag.ToHex(tag));
    }

    [Theory]
    [InlineData("tee", "'tee' tag must be used with a tee framework ('scone'|'gramine'|'tdx')")]
    [InlineData("scone", "'scone' tag must be used with 'tee' tag")]
    [InlineData("gramine,tdx", "'gramine' tag must be used with 'tee' tag")]
    [InlineData("tee,scone,tdx", "tee framework tags are exclusive ('scone'|'gramine'|'tdx')")]
    [InlineData("foo", "foo is not a valid tag. Unknown tag foo")]
    [InlineData("tee,TEE", "tee,TEE is not a valid tag. Unknown tag TEE")]
    [InlineData("0x03", "tag must be bytes32 hex string")]
    public void Parse_InvalidText_ThrowsInvalidTagWithTheSdkMessage(string text, string message)
    {
        var error = Assert.Throws<IExecException>(() => OrderTag.Parse(text));

        Assert.Equal(ErrorIds.InvalidTag, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(message, error.Message);
        Assert.Equal(text, error.Target);
    }

    [Fact]
    public void Names_UnknownBit_ThrowsInvalidTag()
    {
        var tag = new byte[32];
        tag[30] = 0x02;

        var error = Assert.Throws<IExecException>(() => OrderTag.Names(tag));

        Assert.Equal("Unknown bit 9 in tag", error.Message);
    }

    [Fact]
    public void Or_SeveralTags_SetsEveryBit()
    {
        var sum = OrderTag.Or(OrderTag.Parse("tee,scone"), OrderTag.Parse("gpu"));

        Assert.Equal(["tee", "scone", "gpu"], OrderTag.Names(sum));
    }
}
