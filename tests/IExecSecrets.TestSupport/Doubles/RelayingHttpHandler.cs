using System.Collections.Concurrent;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>
/// A relaying host: whatever host a client calls through this handler (say <c>http://relay.example</c>), the request
/// is replayed against <see cref="Target"/> (the real API) with its headers, the <c>Authorization</c> included, and the
/// real answer comes back. It stands for a workerpool API that Compass (or a file) names and that forwards a signed
/// login to the genuine one to read the requester's logs. Every relayed request is recorded.
/// </summary>
public sealed class RelayingHttpHandler(Uri target) : HttpMessageHandler
{
    private readonly HttpClient _upstream = new();

    /// <summary>The genuine service requests are relayed to.</summary>
    public Uri Target { get; } = target;

    /// <summary>The URL each request was sent to and the Authorization header it carried.</summary>
    public ConcurrentQueue<(Uri Url, string? Authorization)> Relayed { get; } = new();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : null;
        Relayed.Enqueue((request.RequestUri!, authorization));
        using var relayed = new HttpRequestMessage(request.Method, new Uri(Target, request.RequestUri!.PathAndQuery));
        foreach (var header in request.Headers) relayed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return await _upstream.SendAsync(relayed, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _upstream.Dispose();
        base.Dispose(disposing);
    }
}
