using System.Diagnostics;

namespace IExecSecrets.Bench;

/// <summary>
/// IEXEC_BENCH_TRACE=1: prints every outgoing HttpClient request of this process (method, URL, round trip, offset
/// from the trace start), to see where a run's time goes besides JSON-RPC (market, SMS).
/// </summary>
internal sealed class HttpTrace : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, long> _started = new();

    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("IEXEC_BENCH_TRACE") == "1") DiagnosticListener.AllListeners.Subscribe(new HttpTrace());
    }

    public static void Mark(string what) => Console.Error.WriteLine($"mark {Clock.Elapsed.TotalMilliseconds,9:F2} {what}");

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "HttpHandlerDiagnosticListener") listener.Subscribe(this);
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        var request = value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) as HttpRequestMessage;
        if (request is null) return;
        if (value.Key.EndsWith("Start", StringComparison.Ordinal))
        {
            _started[request] = Stopwatch.GetTimestamp();
        }
        else if (value.Key.EndsWith("Stop", StringComparison.Ordinal) && _started.TryRemove(request, out var start))
        {
            Console.Error.WriteLine($"http {Clock.Elapsed.TotalMilliseconds,9:F2} {Stopwatch.GetElapsedTime(start).TotalMilliseconds,7:F2} ms {request.Method} {request.RequestUri}");
        }
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
}
