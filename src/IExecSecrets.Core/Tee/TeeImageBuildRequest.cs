using IExecSecrets.Core.Config;

namespace IExecSecrets.Core.Tee;

/// <summary>What to build: an app folder, the enclave image tag and the optional signing, push and project steps.</summary>
public sealed record TeeImageBuildRequest
{
    /// <summary>The app folder (the docker build context), holding a <c>Dockerfile</c>.</summary>
    public required string ContextPath { get; init; }

    /// <summary>
    /// The reference of the sconified (enclave) image, e.g. <c>me/secret-function:1.0.0-debug</c>; the plain image is
    /// built as the same repository with <c>-non-tee</c> appended to the tag (see <see cref="ImageReference.NonTeeOf"/>).
    /// </summary>
    public required string Tag { get; init; }

    /// <summary>
    /// The TEE framework the image is for: <see cref="Config.TeeFramework.Scone"/> (the default) builds, sconifies and
    /// fingerprints; <see cref="Config.TeeFramework.Tdx"/> builds the image as <see cref="Tag"/> itself with no
    /// sconify step and no mrenclave (a TDX app is an image and its checksum). Gramine is not supported.
    /// </summary>
    public TeeFramework TeeFramework { get; init; } = TeeFramework.Scone;

    /// <summary>The sconify image to run; null uses <see cref="SconifySettings.SconifyImage"/>.</summary>
    public string? SconifyImage { get; init; }

    /// <summary>The app's language; null detects it from the folder (<see cref="EnclaveLanguages.Detect"/>).</summary>
    public EnclaveLanguage? Language { get; init; }

    /// <summary>The settings; null reads <c>sconify.json</c> next to or above the folder, else the defaults.</summary>
    public SconifySettings? Settings { get; init; }

    /// <summary>Docker build arguments (e.g. <c>BASE_IMAGE</c>); their values are never reported in progress.</summary>
    public IReadOnlyDictionary<string, string>? BuildArgs { get; init; }

    /// <summary>A PEM signer key file, mounted read-only into the sconify container (<c>--scone-signer</c>).</summary>
    public string? SignerKeyPath { get; init; }

    /// <summary>
    /// A signer key given as bytes (from a vault): written to a 0600 temporary file that is overwritten and deleted
    /// once sconify ends. Ignored when <see cref="SignerKeyPath"/> is set. The caller zeroes its own buffer.
    /// </summary>
    public ReadOnlyMemory<byte> SignerKey { get; init; }

    /// <summary>Push the sconified image; its registry digest then becomes the app checksum.</summary>
    public bool Push { get; init; }

    /// <summary>The registry login for the push; null pushes with the engine's own credentials, if any.</summary>
    public RegistryCredential? RegistryCredential { get; init; }

    /// <summary>
    /// The folder whose <c>iexec.json</c> gets the new <c>app.multiaddr</c>, <c>checksum</c> and <c>mrenclave</c>;
    /// null leaves every project file alone.
    /// </summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>The Docker engine address; null uses <c>DOCKER_HOST</c>, the docker CLI's current context or the default (see <see cref="DockerEndpointResolver"/>).</summary>
    public string? DockerHost { get; init; }
}
