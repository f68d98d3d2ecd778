namespace IExecSecrets.Core.Sms;

/// <summary>
/// Transport settings of an <see cref="SmsClient"/>. Defaults suit a remote SMS: 30 s per request, 3 retries of
/// transient faults with jittered exponential backoff from 200 ms.
/// </summary>
public sealed class SmsClientOptions
{
    /// <summary>
    /// A client to share (connection pooling across SMS clients). It is not disposed with the <see cref="SmsClient"/>
    /// and its own <c>Timeout</c> still applies on top of <see cref="RequestTimeout"/>. Takes precedence over <see cref="Handler"/>.
    /// It should not follow redirects (see <see cref="Net.TransportPolicy.CreateHandler"/>): a followed redirect hides
    /// the 3xx the client refuses.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>
    /// A handler to send through (a proxy, custom certificates); not disposed with the <see cref="SmsClient"/>. Like
    /// <see cref="HttpClient"/>, it should have <c>AllowAutoRedirect = false</c>.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>How long one request may take before it counts as a timeout (a transient fault).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a transient fault (5xx, connection failure, timeout) is retried: HEADs are repeated, pushes are
    /// reconciled first (see <see cref="SmsClient"/>). 0 disables retries.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first retry delay; later ones double, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap on one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Allows <c>http://</c> to a host that is not loopback. Off by default: secret values and signatures would cross
    /// the network in clear text.
    /// </summary>
    public bool AllowInsecureHttp { get; init; }
}
