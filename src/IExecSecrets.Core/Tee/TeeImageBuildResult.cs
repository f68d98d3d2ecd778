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
/// <c>app.checksum</c>: <c>0x</c> + the registry digest when pushed, else <c>0x</c> + the local image id (which is
/// not what a worker will pull: push, then rebuild or redeploy with the digest).
/// </param>
/// <param name="Pushed">Whether the image was pushed.</param>
/// <param name="ProjectFile">The iexec.json updated, or null when none was asked for.</param>
public sealed record TeeImageBuildResult(
    string Image,
    string SconifiedImage,
    string? Fingerprint,
    string? MrEnclave,
    string Checksum,
    bool Pushed,
    string? ProjectFile);
