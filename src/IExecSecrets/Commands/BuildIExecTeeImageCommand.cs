using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using IExecSecrets.Completers;
using System.Security.Cryptography;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Tee;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Builds, sconifies and fingerprints the SCONE enclave image of an app folder (or, with -TeeFramework tdx, builds and
/// pushes the TDX app image with no sconify step), and records it in iexec.json.
/// </summary>
/// <remarks>
/// <para>Runs the SCONE tutorial build in order. First docker build of the app folder (classic builder). Then the
/// sconify image with sconify_iexec and the documented arguments, in order: --scone-signer, --from, --to, --binary-fs,
/// --fs-dir, --host-path, --binary, --heap, --dlopen, --no-color, --verbose. The Docker socket is mounted into that
/// container. Then the enclave image is run with SCONE_HASH=1 to read its MRENCLAVE, which must be 64 lower-case hex
/// characters (else InvalidFingerprint). Then the optional push, and finally the app section of iexec.json.</para>
/// <para>Every input is checked before the engine is contacted. -WhatIf prints the plan. Progress records follow the
/// Dockerfile steps and the push; Ctrl+C stops the current step and removes its container. Without -Push, the checksum
/// of a SCONE image is the local image id, not a registry digest: push the image before you deploy for real. A TDX
/// worker checks the registry digest of the image it pulls, so without -Push a TDX build records only the registry
/// digest Docker already knows for this very image (it was pushed or pulled before), or no checksum at all (app.checksum
/// is removed from iexec.json, and a warning says how to get one): a local image id could never match.</para>
/// </remarks>
/// <example>
/// <code>Build-IExecTeeImage -Path ./enclave/js -ImageTag me/secret-function:1.0.0-debug -UpdateProject</code>
/// <para>Builds the JavaScript tutorial app, sconifies it with the SCONE image from enclave/sconify.json, reads its
/// MRENCLAVE and writes multiaddr, checksum and mrenclave into ./iexec.json, ready for Deploy-IExecApp.</para>
/// </example>
/// <example>
/// <code>Build-IExecTeeImage ./enclave/python registry.example.com/me/poly:2 -SignerKeyVault MyVault -SignerKeySecretName enclave-key -Push -RegistryCredential (Get-Credential) -WhatIf</code>
/// <para>Shows the build, sconify (signed with the key kept in the vault), fingerprint and push steps without running
/// them. Drop -WhatIf to push the enclave image and get its registry digest as checksum.</para>
/// </example>
/// <example>
/// <code>Build-IExecTeeImage ./enclave/js me/app:1 -SconifyImage my-registry/sconify-standin:local -BuildArg @{ BASE_IMAGE = "my/node-base:20" } -Verbose</code>
/// <para>Builds from a locally available base image and sconify image, for machines that cannot reach Docker Hub or the
/// SCONE registry. Each step is written as verbose output.</para>
/// </example>
/// <example>
/// <code>Build-IExecTeeImage ./enclave/js 127.0.0.1:5765/me/poly-tdx:1 -TeeFramework tdx -Push -RegistryCredential $login -UpdateProject; Deploy-IExecApp</code>
/// <para>Builds the TDX app image (no sconify), pushes it, writes its registry digest as app.checksum with no mrenclave,
/// and deploys it: the app a tee,tdx run on Arbitrum (or the token devnet) takes.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecTeeImage">
/// The plain and enclave image, Fingerprint, MrEnclave, Checksum, Pushed and ProjectUpdated.
/// </output>
// "Build" is an approved lifecycle verb since PowerShell 6; PowerShellStandard 5.1 has no constant for it.
[Cmdlet("Build", "IExecTeeImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NoSignerParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Build-IExecTeeImage.md")]
[OutputType(typeof(IExecTeeImage))]
public sealed class BuildIExecTeeImageCommand : IExecCmdlet
{
    private const string NoSignerParameterSet = "NoSigner";
    private const string SignerPathParameterSet = "SignerKeyPath";
    private const string SignerVaultParameterSet = "SignerKeyVault";

    /// <summary>
    /// The app folder holding the Dockerfile, for example ./enclave/js. It is the docker build context. A missing
    /// folder fails with BuildContextNotFound, a folder without Dockerfile with DockerfileNotFound.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// The Docker image reference of the enclave image, e.g. me/secret-function:1.0.0-debug; the plain image gets
    /// -non-tee appended to its tag. A Docker tag, not an iExec tag (the -Tag of the run and order cmdlets): -Tag
    /// still works here as an alias for existing scripts.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    public string ImageTag { get; set; } = string.Empty;

    /// <summary>
    /// The TEE framework: scone (the default: build, sconify, fingerprint, app with an mrenclave) or tdx (build the
    /// image as -Tag itself with no sconify step and no signer; -SignerKeyPath, -SignerKeyVault and -SconifyImage fail
    /// with SconifyOptionNotApplicable; with -Push its registry digest becomes the checksum, and -UpdateProject writes
    /// multiaddr and checksum and removes app.mrenclave, as a TDX app on Arbitrum (iExec SDK 9) has none).
    /// </summary>
    [Parameter]
    [ValidateSet("scone", "tdx", IgnoreCase = true)]
    public string TeeFramework { get; set; } = "scone";

    /// <summary>
    /// The sconify image to run. Default: sconifyImage of enclave/sconify.json
    /// (registry.scontain.com/scone-production/iexec-sconify-image:5.9.2-v16), which needs a SCONE registry account and
    /// must already be on the engine; otherwise SconifyImageNotFound.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SconifyImage { get; set; }

    /// <summary>
    /// JavaScript or Python. It selects the protected binary and the mrenclave entrypoint from sconify.json. Default:
    /// detected from app.js/package.json or app.py/requirements.txt.
    /// </summary>
    [Parameter]
    public EnclaveLanguage Language { get; set; }

    /// <summary>
    /// Docker build arguments, for example @{ BASE_IMAGE = "node:20-alpine" }. Values are passed to the engine and are
    /// not echoed in progress or verbose output.
    /// </summary>
    [Parameter]
    public Hashtable? BuildArg { get; set; }

    /// <summary>
    /// A PEM enclave signer key (openssl genrsa -3 -out enclave-key.pem 3072). It is mounted read-only at
    /// /sig/enclave-key.pem and passed as --scone-signer. A missing file fails with SignerKeyNotFound.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = SignerPathParameterSet)]
    [ValidateNotNullOrEmpty]
    public string SignerKeyPath { get; set; } = string.Empty;

    /// <summary>
    /// The SecretManagement vault holding the signer key. The key is written to a 0600 temporary file for the sconify
    /// run, then overwritten and deleted.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = SignerVaultParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string SignerKeyVault { get; set; } = string.Empty;

    /// <summary>The name of the vault secret holding the signer key (PEM text or bytes).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SignerVaultParameterSet)]
    [ValidateNotNullOrEmpty]
    public string SignerKeySecretName { get; set; } = string.Empty;

    /// <summary>
    /// Pushes the enclave image. Its registry digest then becomes app.checksum. An unreachable registry fails with
    /// RegistryUnreachable, a refused login with RegistryAuthenticationFailed.
    /// </summary>
    [Parameter]
    public SwitchParameter Push { get; set; }

    /// <summary>
    /// The registry login for -Push. The password is passed to the engine only for the push and is never logged.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? RegistryCredential { get; set; }

    /// <summary>
    /// The SecretManagement vault holding the registry login for -Push, stored as a PSCredential (Set-Secret -Name
    /// registry-login -Secret (Get-Credential) -Vault MyVault). Goes with -RegistryCredentialSecretName and excludes
    /// -RegistryCredential; a half-given pair, both forms at once, or a vault secret that is not a PSCredential fail
    /// with InvalidRegistryCredential before the engine is contacted.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? RegistryCredentialVault { get; set; }

    /// <summary>
    /// The name of the PSCredential secret in -RegistryCredentialVault that holds the registry user name and password
    /// or token.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RegistryCredentialSecretName { get; set; }

    /// <summary>
    /// Writes app.multiaddr, app.checksum and app.mrenclave into iexec.json once every other step has succeeded. The
    /// file is replaced atomically, and on any failure it is left byte-for-byte unchanged. The app section must exist
    /// (Initialize-IExecProject -Tee scone).
    /// </summary>
    [Parameter]
    public SwitchParameter UpdateProject { get; set; }

    /// <summary>The folder holding iexec.json for -UpdateProject. Default: the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectPath { get; set; }

    /// <summary>
    /// The Docker engine address, for example unix:///var/run/docker.sock, npipe://./pipe/docker_engine or
    /// tcp://build-host:2376; it wins over every default. Default: $env:DOCKER_HOST, else the docker CLI's current context
    /// ($env:DOCKER_CONTEXT, else the one 'docker context use' chose), else unix:///var/run/docker.sock
    /// (npipe://./pipe/docker_engine on Windows). A malformed address fails with InvalidDockerEndpoint, and a current
    /// context that does not exist with DockerContextNotFound, before any connection; when no engine answers, the build
    /// fails with DockerEngineUnavailable and the message says how to start one.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>Validates every input, asks for confirmation with the plan, runs it with progress and writes the result.</summary>
    protected override void EndProcessing()
    {
        byte[]? signerKey = null;
        byte[]? password = null;
        RegistryCredential? credential = null;
        try
        {
            if (ParameterSetName == SignerVaultParameterSet)
            {
                signerKey = new VaultSecretReader(InvokeCommand).ReadBytes(SignerKeySecretName, SignerKeyVault);
            }
            if (ResolveRegistryLogin() is { } login)
            {
                password = SecureStrings.ToUtf8Bytes(login.Password);
                credential = new RegistryCredential(login.UserName, password);
            }
            var request = new TeeImageBuildRequest
            {
                ContextPath = GetUnresolvedProviderPathFromPSPath(Path),
                Tag = ImageTag,
                TeeFramework = TeeFrameworks.Parse(TeeFramework),
                SconifyImage = SconifyImage,
                Language = MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null,
                BuildArgs = BuildArg?.Cast<DictionaryEntry>().ToDictionary(
                    e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
                    e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? string.Empty),
                SignerKeyPath = ParameterSetName == SignerPathParameterSet ? GetUnresolvedProviderPathFromPSPath(SignerKeyPath) : null,
                SignerKey = signerKey,
                Push = Push,
                RegistryCredential = credential,
                ProjectDirectory = UpdateProject
                    ? GetUnresolvedProviderPathFromPSPath(ProjectPath ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath)
                    : null,
                DockerHost = DockerHost,
            };
            var plan = TeeImageBuilder.Plan(request);
            WriteVerbose(plan.Describe());
            if (!ShouldProcess(plan.Describe(), "Build TEE image"))
            {
                return;
            }

            var result = RunWithProgress(plan);
            if (result.ChecksumWarning is { } checksumWarning) WriteWarning(checksumWarning);
            WriteObject(new IExecTeeImage
            {
                TeeFramework = TeeFrameworks.ToWireName(request.TeeFramework),
                Image = result.Image,
                SconifiedImage = result.SconifiedImage,
                Fingerprint = result.Fingerprint,
                MrEnclave = result.MrEnclave,
                Checksum = result.Checksum,
                Pushed = result.Pushed,
                ProjectUpdated = result.ProjectFile is not null,
                ProjectFile = result.ProjectFile,
            });
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
        finally
        {
            credential?.Dispose();
            if (password is not null) CryptographicOperations.ZeroMemory(password);
            if (signerKey is not null) CryptographicOperations.ZeroMemory(signerKey);
        }
    }

    /// <summary>
    /// The registry login from -RegistryCredential or from the vault pair, or null for an anonymous push. Throws
    /// <see cref="ErrorIds.InvalidRegistryCredential"/> when both forms are given, only half of the vault pair is, or
    /// the vault secret is not a PSCredential (a bare password has no user name to log in with).
    /// </summary>
    private PSCredential? ResolveRegistryLogin()
    {
        var fromVault = RegistryCredentialVault is not null || RegistryCredentialSecretName is not null;
        if (!fromVault) return RegistryCredential;
        if (RegistryCredential is not null)
        {
            throw new IExecException(ErrorIds.InvalidRegistryCredential,
                "Give the registry login either with -RegistryCredential or with -RegistryCredentialVault and -RegistryCredentialSecretName, not both.",
                nameof(RegistryCredential));
        }
        if (RegistryCredentialVault is null || RegistryCredentialSecretName is null)
        {
            throw new IExecException(ErrorIds.InvalidRegistryCredential,
                "-RegistryCredentialVault and -RegistryCredentialSecretName go together: give both to read the registry login from a vault.",
                RegistryCredentialSecretName ?? RegistryCredentialVault);
        }
        var secret = new VaultSecretReader(InvokeCommand).ReadObject(RegistryCredentialSecretName, RegistryCredentialVault);
        return (secret is PSObject wrapped ? wrapped.BaseObject : secret) as PSCredential
            ?? throw new IExecException(ErrorIds.InvalidRegistryCredential,
                $"The vault secret '{RegistryCredentialSecretName}' in vault '{RegistryCredentialVault}' is a {secret.GetType().Name}; " +
                "a registry login must be stored as a PSCredential (user name and password or token).",
                RegistryCredentialSecretName)
            { RecommendedAction = "Store it with Set-Secret -Name <name> -Secret (Get-Credential) -Vault <vault>." };
    }

    private TeeImageBuildResult RunWithProgress(TeeImageBuildPlan plan)
    {
        // Progress arrives on Docker stream threads; Write* may only run on the pipeline thread, so it is queued here.
        var events = new ConcurrentQueue<TeeBuildProgress>();
        using var signal = new SemaphoreSlim(0);
        var progress = new QueueProgress(events, signal);
        var task = TeeImageBuilder.ExecuteAsync(plan, progress, CancellationToken);
        var activity = $"Building {plan.SconifiedImage}";
        while (!task.IsCompleted)
        {
            signal.Wait(TimeSpan.FromMilliseconds(250));
            Drain(events, activity);
        }
        Drain(events, activity);
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        return Await(task);
    }

    private void Drain(ConcurrentQueue<TeeBuildProgress> events, string activity)
    {
        while (events.TryDequeue(out var item))
        {
            // A new record each time: the progress stream keeps references, so reusing one would rewrite history.
            WriteProgress(new ProgressRecord(1, activity, item.Status.Length > 0 ? item.Status : item.Stage.ToString())
            {
                CurrentOperation = item.Stage.ToString(),
                PercentComplete = item.PercentComplete ?? -1,
            });
            WriteVerbose($"[{item.Stage}] {item.Status}");
        }
    }

    private sealed class QueueProgress(ConcurrentQueue<TeeBuildProgress> events, SemaphoreSlim signal) : IProgress<TeeBuildProgress>
    {
        public void Report(TeeBuildProgress value)
        {
            events.Enqueue(value);
            signal.Release();
        }
    }
}
