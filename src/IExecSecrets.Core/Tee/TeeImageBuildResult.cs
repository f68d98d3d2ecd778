namespace IExecSecrets.Core.Tee;

/// <summary>What a TEE image build produced.</summary>
/// <param name="Image">The plain image built from the app folder.</param>
/// <param name="SconifiedImage">The enclave image: <c>app.multiaddr</c>.</param>
/// <param name="Fingerprint">The MRENCLAVE, 64 lower-case hex characters; null for a TDX image.</param>
/// <param name="MrEnclave">
/// The <c>app.mrenclave</c> JSON object, compact, keys in the order iexec.json keeps them:
/// <c>{"framework":"SCONE","version":…,"entrypoint":…,"heapSize":…,"fingerprint":…}</c>; null for a TDX image,
/// whose app has no mrenclave.
/// </param>
/// <param name="Checksum">
/// <c>app.checksum</c>: <c>0x</c> + the registry digest when pushed. Without a push, a SCONE image records
/// <c>0x</c> + the local image id (not what a worker will pull: push, then rebuild or redeploy with the digest); a
/// TDX image records the registry digest Docker knows for this very image in its repository, or nothing (null), since
/// a TDX worker checks the registry digest (see <see cref="ChecksumWarning"/>).
/// </param>
/// <param name="Pushed">Whether the image was pushed.</param>
/// <param name="ProjectFile">The iexec.json updated, or null when none was asked for.</param>
public sealed record TeeImageBuildResult(
    string Image,
    string SconifiedImage,
    string? Fingerprint,
    string? MrEnclave,
    string? Checksum,
    bool Pushed,
    string? ProjectFile)
{
    /// <summary>What the user must know about the checksum of an image that was not pushed, and what to do; null when pushed.</summary>
    public string? ChecksumWarning { get; init; }
}
