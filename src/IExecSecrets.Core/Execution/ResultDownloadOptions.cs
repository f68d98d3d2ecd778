namespace IExecSecrets.Core.Execution;

/// <summary>
/// Where a <see cref="TaskResultDownloader"/> may fetch from and how much it may take. The defaults suit real iExec
/// results (a zip of a few files, usually kilobytes to megabytes) with a wide margin, and stop hostile archives: a
/// result location on chain is written by the worker, and the archive by whoever serves it.
/// </summary>
public sealed class ResultDownloadOptions
{
    /// <summary>The chain's result proxy (<c>resultProxy</c>), whose host is allowed besides the IPFS gateway's.</summary>
    public Uri? ResultProxy { get; init; }

    /// <summary>
    /// Further hosts (<c>host</c> or <c>host:port</c>, case-insensitive) a result location may point at. By default only
    /// the IPFS gateway's and the result proxy's hosts are fetched from.
    /// </summary>
    public IReadOnlyCollection<string> AllowedHosts { get; init; } = [];

    /// <summary>Fetches a result location on any host (the SDK's behaviour). Off by default.</summary>
    public bool AllowAnyHost { get; init; }

    /// <summary>
    /// A folder whose own path (it and its parents) is not checked for symbolic links: the current location, which the
    /// user stands in (on macOS /tmp and /var are links). Every component of a destination below it, or every component
    /// of a destination elsewhere when null, must be a real folder: see <see cref="TaskResultDownloader.EnsureNoLink"/>.
    /// </summary>
    public string? TrustedFolder { get; init; }

    /// <summary>Allows plain http to a non-loopback gateway or result host.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>The most bytes one download may deliver (default 1 GiB): <c>ResultTooLarge</c> beyond.</summary>
    public long MaxDownloadBytes { get; init; } = 1L << 30;

    /// <summary>The most entries an archive may hold to be expanded (default 10,000): <c>ResultArchiveTooManyEntries</c>.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>The most bytes one expanded entry may hold (default 1 GiB): <c>ResultArchiveEntryTooLarge</c>.</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;

    /// <summary>The most bytes the whole expansion may write (default 4 GiB): <c>ResultArchiveTooLarge</c>.</summary>
    public long MaxExpandedBytes { get; init; } = 4L << 30;

    /// <summary>
    /// The most the expansion may outgrow the archive (default 100×): <c>ResultArchiveRatioTooHigh</c>. Checked only
    /// once the expansion passes <see cref="RatioFloorBytes"/>, so small, very compressible results are never refused.
    /// </summary>
    public double MaxExpansionRatio { get; init; } = 100;

    /// <summary>The expanded size under which <see cref="MaxExpansionRatio"/> is not checked (default 16 MiB).</summary>
    public long RatioFloorBytes { get; init; } = 16L << 20;
}
