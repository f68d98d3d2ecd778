using System.Net;
using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;

namespace IExecSecrets.Core.Net;

/// <summary>The remote parties the module talks to over HTTP; each has its own insecure-URL error id.</summary>
public enum EndpointKind
{
    /// <summary>An iExec Secret Management Service.</summary>
    Sms,

    /// <summary>An Ethereum JSON-RPC node (the chain's <c>host</c>).</summary>
    Rpc,

    /// <summary>The iExec market API (<c>iexecGateway</c>).</summary>
    Market,

    /// <summary>An IPFS gateway or result proxy that task results are downloaded from.</summary>
    ResultGateway,

    /// <summary>A workerpool's API (task logs) or the iExec Compass that names it.</summary>
    WorkerpoolApi,
}

/// <summary>
/// The one transport rule of the module, for every URL it calls: <c>https</c>, or <c>http</c> to a loopback host,
/// or <c>http</c> anywhere only when the user said so (<c>-AllowInsecureHttp</c>). Also where URLs are made safe to
/// print (<see cref="Display(Uri)"/>), where HTTP clients are created (redirects never followed), and where answers
/// are read under a size cap.
/// </summary>
/// <remarks>
/// Why refuse plain http: anyone on the path can then read signatures and secret values (SMS), rewrite chain reads or
/// orders (RPC, market) or substitute a result archive (gateway). Loopback stays allowed because it never leaves the
/// machine (the devnet). Why never follow redirects: a redirected POST would carry a secret and its signature to a
/// host the user never named, and a login page answering 200 after a 302 must not read as "stored".
/// </remarks>
public static class TransportPolicy
{
    /// <summary>The cap on one JSON-RPC or market answer: 16 MiB, far above any real answer (a block of logs).</summary>
    public const long MaxApiAnswerBytes = 16L * 1024 * 1024;

    private static readonly Regex BareWord = new(@"^[A-Za-z0-9._\-]{1,64}$", RegexOptions.CultureInvariant);

    private static readonly Regex SchemeAndHost = new(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?:[^/?#@]*@)?(?<host>[^/?#:@]*)", RegexOptions.CultureInvariant);

    /// <summary>
    /// Throws the <paramref name="kind"/>'s insecure-URL error (<see cref="ErrorIds.InsecureSmsUrl"/>,
    /// <see cref="ErrorIds.InsecureRpcUrl"/>, <see cref="ErrorIds.InsecureMarketUrl"/>,
    /// <see cref="ErrorIds.InsecureGatewayUrl"/>) when <paramref name="url"/> is plain http to a host that is not
    /// loopback and <paramref name="allowInsecureHttp"/> is false. The caller has already checked the URL is an
    /// absolute http(s) URL. Nothing is sent.
    /// </summary>
    public static void EnsureSecure(Uri url, EndpointKind kind, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (IsAllowed(url, allowInsecureHttp)) return;
        var display = Display(url);
        var (id, what, risk) = kind switch
        {
            EndpointKind.Sms => (ErrorIds.InsecureSmsUrl, "SMS", "secrets and signatures would travel unencrypted"),
            EndpointKind.Rpc => (ErrorIds.InsecureRpcUrl, "RPC node", "chain reads and signed transactions could be read or altered on the way"),
            EndpointKind.Market => (ErrorIds.InsecureMarketUrl, "market API", "orders and signatures could be read or altered on the way"),
            EndpointKind.WorkerpoolApi => (ErrorIds.InsecureWorkerpoolApiUrl, "workerpool API", "the login signature and the task logs could be read or altered on the way"),
            _ => (ErrorIds.InsecureGatewayUrl, "result gateway", "the result archive could be read or replaced on the way"),
        };
        throw new IExecException(id,
            $"Refusing plain http to {display} ({what}): {risk}", display)
        {
            RecommendedAction = "Use an https:// URL, or pass -AllowInsecureHttp for a trusted local network.",
        };
    }

    /// <summary>True for https, for http to a loopback host, and for any http when <paramref name="allowInsecureHttp"/>.</summary>
    public static bool IsAllowed(Uri url, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme == Uri.UriSchemeHttps) return true;
        return url.Scheme == Uri.UriSchemeHttp && (allowInsecureHttp || url.IsLoopback);
    }

    /// <summary>
    /// <paramref name="url"/> as it may be shown in messages, verbose output, errors and output objects: scheme, host
    /// and port only. User info (credentials), path (RPC providers put API keys there) and query are never shown.
    /// </summary>
    public static string Display(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri) return "(a relative URL)";
        // Authority is host[:port] without user info; GetLeftPart(UriPartial.Authority) would keep user:password@.
        return $"{url.Scheme}://{url.Authority}";
    }

    /// <summary>
    /// Like <see cref="Display(Uri)"/> for a URL given as text, which may not even parse: the scheme and host when
    /// they can be told apart, else a placeholder, so a malformed URL full of credentials is still never printed.
    /// </summary>
    public static string Display(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "(no URL)";
        // A bare word (the SDK's "mainnet" provider name) holds nothing to hide.
        if (BareWord.IsMatch(url)) return url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "tcp" or "unix" or "npipe")
        {
            return ForeignText.Clean(parsed.Scheme is "unix" or "npipe" ? $"{parsed.Scheme}://{parsed.AbsolutePath}" : Display(parsed));
        }
        // The text comes from a file or a remote party: what is shown of it is cleaned of terminal control characters.
        var match = SchemeAndHost.Match(url);
        return match.Success && match.Groups["host"].Length > 0
            ? ForeignText.Clean($"{match.Groups["scheme"].Value}://{match.Groups["host"].Value}")
            : "(an unparseable URL)";
    }

    /// <summary>
    /// A new <see cref="HttpClient"/> that never follows redirects, never decompresses on its own (so size caps count
    /// the bytes that arrive) and recycles pooled connections (DNS changes are seen).
    /// </summary>
    public static HttpClient CreateHttpClient(TimeSpan timeout) => new(CreateHandler(), disposeHandler: true) { Timeout = timeout };

    /// <summary>The handler behind <see cref="CreateHttpClient"/>: <c>AllowAutoRedirect = false</c>.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>True for a 3xx status.</summary>
    public static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    /// <summary>
    /// The <see cref="ErrorIds.UnexpectedRedirect"/> error for a 3xx answer of <paramref name="what"/> at
    /// <paramref name="display"/>; the redirect target is shown as scheme and host only, and is never called.
    /// </summary>
    public static IExecException Redirect(HttpResponseMessage response, string what, string display, object? target)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location is { } l
            ? l.IsAbsoluteUri ? Display(l) : "a path on the same host"
            : "nowhere";
        return new IExecException(ErrorIds.UnexpectedRedirect,
            $"{what} at {display} answered {(int)response.StatusCode} {ForeignText.ReasonPhrase(response)}, redirecting to {location}; redirects are never followed",
            target ?? display)
        {
            RecommendedAction = "Use the service's final URL directly; a redirect usually means a proxy, a login page or a wrong URL.",
        };
    }

    /// <summary>
    /// Reads <paramref name="content"/> whole, failing with <see cref="ErrorIds.ResponseTooLarge"/> as soon as it
    /// announces or delivers more than <paramref name="maxBytes"/>: a hostile server cannot make the module buffer
    /// an endless answer.
    /// </summary>
    public static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, string what, string display, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength is { } announced && announced > maxBytes) throw TooLarge(what, display, maxBytes);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(what, display, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary><see cref="ReadCappedAsync"/> decoded as UTF-8 (JSON answers).</summary>
    public static async Task<string> ReadCappedStringAsync(HttpContent content, long maxBytes, string what, string display, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString(await ReadCappedAsync(content, maxBytes, what, display, cancellationToken).ConfigureAwait(false));

    private static IExecException TooLarge(string what, string display, long maxBytes) =>
        new(ErrorIds.ResponseTooLarge,
            $"{what} at {display} answered with more than {maxBytes / (1024 * 1024)} MiB; the answer was not read", display);
}
