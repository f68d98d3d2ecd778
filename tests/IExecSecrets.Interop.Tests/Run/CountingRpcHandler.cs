using System.Collections.Concurrent;

namespace IExecSecrets.Interop.Tests.Run;

// Sits between JsonRpcClient and the real anvil: counts HTTP requests and the JSON-RPC methods they carry, and can
// lose the answer of chosen methods after the node has acted on them (the fault a flaky network produces).
internal sealed class CountingRpcHandler() : DelegatingHandler(new HttpClientHandler())
{
    private int _requests;

    public int Requests => _requests;

    public ConcurrentQueue<string> Bodies { get; } = new();

    // Methods whose next answer is dropped once (the request still reaches the node).
    public ConcurrentDictionary<string, int> DropAnswerOnce { get; } = new();

    public int Count(string method) => Bodies.Count(b => b.Contains($"\"method\":\"{method}\"", StringComparison.Ordinal));

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Bodies.Clear();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Bodies.Enqueue(body);
        var response = await base.SendAsync(request, cancellationToken);
        foreach (var method in DropAnswerOnce.Keys)
        {
            if (body.Contains($"\"method\":\"{method}\"", StringComparison.Ordinal) && DropAnswerOnce.TryRemove(method, out _))
            {
                response.Dispose();
                throw new HttpRequestException($"connection reset after {method} (injected)");
            }
        }
        return response;
    }
}
