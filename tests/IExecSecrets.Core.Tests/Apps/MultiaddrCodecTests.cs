using IExecSecrets.Core.Apps;

namespace IExecSecrets.Core.Tests.Apps;

public sealed class MultiaddrCodecTests
{
    // iexec-test-vectors.json createApp.ipfsMultiaddrExample
    private const string IpfsHuman = "/ipfs/QmW2WQi7j6c7UgJTarActp7tDNikE4B2qXtFCfLPdsgaTQ";
    private const string IpfsBytes = "0xa5032212207237a7f4091a74ae95514890fa86a2e8a36037c350ea71c06a34c8cbe25a5057";

    [Fact]
    public void Encode_IpfsMultiaddr_GivesTheBinaryMultiaddrVector()
    {
        Assert.Equal(IpfsBytes, Hex.Encode(MultiaddrCodec.Encode(IpfsHuman)));
        Assert.Equal(IpfsBytes, Hex.Encode(MultiaddrCodec.Encode(IpfsHuman.Replace("/ipfs/", "/p2p/", StringComparison.Ordinal))));
    }

    [Fact]
    public void Decode_IpfsBytes_PrintsLikeTheMultiaddrLibrary()
    {
        Assert.Equal("/p2p/QmW2WQi7j6c7UgJTarActp7tDNikE4B2qXtFCfLPdsgaTQ", MultiaddrCodec.Decode(Hex.Decode(IpfsBytes)));
    }

    [Theory]
    [InlineData("docker.io/iexechub/python-hello-world:8.0.4")]
    [InlineData("/ipfs/not-base58-0OIl")]
    [InlineData("/foo")]
    public void Encode_NotAnIpfsMultiaddr_IsUtf8AndDecodesBack(string text)
    {
        var bytes = MultiaddrCodec.Encode(text);

        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes);
        Assert.Equal(text, MultiaddrCodec.Decode(bytes));
    }
}
