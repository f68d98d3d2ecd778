using IExecSecrets.Core.Net;

namespace IExecSecrets.Core.Tests.Net;

/// <summary>
/// TransportPolicy.ReadCappedAsync at its boundary: a hostile server's answer is read up to the cap and refused one byte
/// beyond it, whether it announces its length (Content-Length) or only streams it (chunked). Found by Stryker: the
/// endless-answer tests alone let "more than the cap" become "the cap or more" (and the reverse) unnoticed.
/// </summary>
public sealed class ResponseCapTests
{
    private const long Cap = 2 * 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadCapped_AnswerOfExactlyTheCap_IsReadWhole(bool announced)
    {
        var body = Body(Cap);
        var read = await TransportPolicy.ReadCappedAsync(Content(body, announced), Cap, "The test server", "http://127.0.0.1:1", CancellationToken.None);
        Assert.Equal(body, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadCapped_AnswerOneByteOverTheCap_IsResponseTooLargeNamingTheCapInMiB(bool announced)
    {
        var error = await Assert.ThrowsAsync<IExecException>(() =>
            TransportPolicy.ReadCappedAsync(Content(Body(Cap + 1), announced), Cap, "The test server", "http://127.0.0.1:1", CancellationToken.None));
        Assert.Equal(ErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Contains("more than 2 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:1", error.Target);
    }

    private static byte[] Body(long length)
    {
        var body = new byte[length];
        new Random(7).NextBytes(body);
        return body;
    }

    // With `announced`, the length is in Content-Length; without, the body comes from a stream that cannot tell its
    // length (as a chunked answer does), so only the bytes read count.
    private static HttpContent Content(byte[] body, bool announced) =>
        announced ? new ByteArrayContent(body) : new StreamContent(new OneWayStream(body));

    private sealed class OneWayStream(byte[] body) : Stream
    {
        private readonly MemoryStream _inner = new(body);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
