namespace IExecSecrets.Core.Sms;

/// <summary>
/// SMS clients shared across commands, one per (SMS origin, <see cref="SmsClientOptions.AllowInsecureHttp"/>,
/// <see cref="SmsClientOptions.RequestTimeout"/>), so that a runbook's loop of separate push commands reuses one pooled,
/// kept-alive connection (the HEAD and the POST of each push, and the next command's) instead of opening a new one
/// per command.
/// </summary>
/// <remarks>
/// <para>A client is handed out as a <see cref="Lease"/>: the cache disposes a client only when it has been retired
/// (<see cref="Clear"/>, a full cache) and no lease is left, so a command in another runspace is never cut off
/// mid-request. A client found disposed is never handed out again; a new one replaces it.</para>
/// <para>Every setting that changes behaviour is part of the key: another timeout or another insecure-http choice gets
/// its own client. The transport policy is applied by <see cref="SmsClient"/>'s constructor as for any client, so an
/// insecure URL fails exactly as before and is never cached.</para>
/// </remarks>
public sealed class SmsClientCache
{
    private readonly object _lock = new();
    private readonly Dictionary<Key, Entry> _entries = new();

    /// <summary>The cache the module's commands share; cleared when the module is removed.</summary>
    public static SmsClientCache Shared { get; } = new();

    /// <summary>How many clients are kept; when a new one would exceed it, the others are retired first.</summary>
    public int MaxEntries { get; init; } = 16;

    /// <summary>How many clients are cached now (retired ones excluded).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>
    /// A lease on the client for <paramref name="smsUrl"/> with these settings, created on first use. Throws what the
    /// <see cref="SmsClient"/> constructor throws (InvalidSmsUrl, InsecureSmsUrl) without caching anything.
    /// </summary>
    public Lease Acquire(Uri smsUrl, bool allowInsecureHttp, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(smsUrl);
        var options = new SmsClientOptions { AllowInsecureHttp = allowInsecureHttp, RequestTimeout = requestTimeout };
        if (!smsUrl.IsAbsoluteUri)
        {
            _ = new SmsClient(smsUrl, options); // throws InvalidSmsUrl
        }

        // Only the origin is ever used by a client (see SmsClient), so URLs with another path share one client.
        var key = new Key(smsUrl.Scheme.ToLowerInvariant(), smsUrl.IdnHost.ToLowerInvariant(), smsUrl.Port, allowInsecureHttp, requestTimeout);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && !entry.Client.IsDisposed)
            {
                entry.Leases++;
                return new Lease(this, entry);
            }

            if (entry is not null) _entries.Remove(key);
            var client = new SmsClient(smsUrl, options);
            if (_entries.Count >= MaxEntries) RetireAll();
            entry = new Entry(client) { Leases = 1 };
            _entries.Add(key, entry);
            return new Lease(this, entry);
        }
    }

    /// <summary>
    /// <see cref="Acquire(Uri, bool, TimeSpan)"/> for a URL as text (from chain.json or <c>-SmsUrl</c>); text that is not
    /// an absolute URL fails with <see cref="Errors.ErrorIds.InvalidSmsUrl"/> before anything is sent.
    /// </summary>
    public Lease Acquire(string smsUrl, bool allowInsecureHttp, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(smsUrl);
        if (!Uri.TryCreate(smsUrl, UriKind.Absolute, out var uri))
        {
            var shown = Net.TransportPolicy.Display(smsUrl);
            throw new Errors.IExecException(Errors.ErrorIds.InvalidSmsUrl, $"'{shown}' is not an absolute http(s) SMS URL.", shown);
        }

        return Acquire(uri, allowInsecureHttp, requestTimeout);
    }

    /// <summary>
    /// Forgets every cached client: idle ones are disposed now, leased ones when their last lease ends. Called by
    /// <c>Remove-Module</c>, so a re-imported module starts with fresh connections.
    /// </summary>
    public void Clear()
    {
        lock (_lock) RetireAll();
    }

    private void RetireAll()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Retired = true;
            if (entry.Leases == 0) entry.Client.Dispose();
        }

        _entries.Clear();
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Leases--;
            if (entry.Retired && entry.Leases == 0) entry.Client.Dispose();
        }
    }

    private readonly record struct Key(string Scheme, string Host, int Port, bool AllowInsecureHttp, TimeSpan RequestTimeout);

    internal sealed class Entry(SmsClient client)
    {
        public SmsClient Client { get; } = client;

        public int Leases { get; set; }

        public bool Retired { get; set; }
    }

    /// <summary>One user's hold on a cached client; disposing it releases the hold (never the client in use elsewhere).</summary>
    public sealed class Lease : IDisposable
    {
        private SmsClientCache? _cache;
        private readonly Entry _entry;

        internal Lease(SmsClientCache cache, Entry entry)
        {
            _cache = cache;
            _entry = entry;
        }

        /// <summary>The shared client; do not dispose it.</summary>
        public SmsClient Client => _entry.Client;

        /// <summary>Releases the hold once; the client is disposed only if it was retired and this was its last lease.</summary>
        public void Dispose() => Interlocked.Exchange(ref _cache, null)?.Release(_entry);
    }
}
