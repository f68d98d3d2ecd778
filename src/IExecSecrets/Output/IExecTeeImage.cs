namespace IExecSecrets.Output;

/// <summary>
/// What <c>Build-IExecTeeImage</c> produced: the plain and the enclave image, the MRENCLAVE fingerprint, the
/// <c>app.mrenclave</c> text and checksum, and whether iexec.json was updated. Pipe it to a deploy step or log it.
/// </summary>
public sealed class IExecTeeImage
{
    /// <summary>The TEE framework the image was built for: scone or tdx.</summary>
    public string TeeFramework { get; init; } = "scone";

    /// <summary>The plain image built from the app folder (<c>&lt;tag&gt;-non-tee</c>; for TDX the tag itself).</summary>
    public required string Image { get; init; }

    /// <summary>The enclave image: the value of <c>app.multiaddr</c> (for TDX the same as <see cref="Image"/>).</summary>
    public required string SconifiedImage { get; init; }

    /// <summary>The MRENCLAVE, 64 lower-case hex characters; null for TDX.</summary>
    public required string? Fingerprint { get; init; }

    /// <summary>The <c>app.mrenclave</c> object as compact JSON (framework, version, entrypoint, heapSize, fingerprint); null for TDX, whose app has none.</summary>
    public required string? MrEnclave { get; init; }

    /// <summary>
    /// <c>app.checksum</c>: 0x + the registry digest when pushed. Not pushed: for SCONE, 0x + the local image id; for TDX,
    /// the registry digest Docker recorded for this very image, or null (nothing a worker would accept is known yet).
    /// </summary>
    public string? Checksum { get; init; }

    /// <summary>Whether the enclave image was pushed to its registry.</summary>
    public required bool Pushed { get; init; }

    /// <summary>Whether iexec.json was updated.</summary>
    public required bool ProjectUpdated { get; init; }

    /// <summary>The iexec.json updated, or null.</summary>
    public string? ProjectFile { get; init; }

    /// <summary>The sconified image reference, the one iexec.json records.</summary>
    public override string ToString() => SconifiedImage;
}
