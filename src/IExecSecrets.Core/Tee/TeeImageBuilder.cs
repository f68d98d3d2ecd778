using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// Builds the enclave image of an app folder the way iExec's SCONE tutorial does: <c>docker build</c>, then the
/// sconify image run with the documented arguments (Docker socket mounted, signer key mounted read-only), then the
/// MRENCLAVE read with <c>SCONE_HASH=1</c>, an optional push, and finally <c>app</c> in <c>iexec.json</c>. Every
/// input is checked by <see cref="Plan"/> before the engine is contacted, and <c>iexec.json</c> is written only
/// after every other step succeeded, atomically (a temporary file renamed over it), so a failure leaves it
/// byte-for-byte unchanged.
/// </summary>
public static class TeeImageBuilder
{
    /// <summary>
    /// Validates <paramref name="request"/> without touching the network or the engine and resolves the images,
    /// language, settings and sconify command. Throws <see cref="ErrorIds.BuildContextNotFound"/>,
    /// <see cref="ErrorIds.DockerfileNotFound"/>, <see cref="ErrorIds.InvalidImageReference"/>,
    /// <see cref="ErrorIds.EnclaveLanguageUnknown"/>, <see cref="ErrorIds.InvalidSconifySettings"/>,
    /// <see cref="ErrorIds.SignerKeyNotFound"/>, <see cref="ErrorIds.ProjectFileNotFound"/>,
    /// <see cref="ErrorIds.InvalidProjectFile"/> or <see cref="ErrorIds.InvalidAppDefinition"/>.
    /// </summary>
    public static TeeImageBuildPlan Plan(TeeImageBuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TeeFramework == TeeFramework.Tdx) return PlanTdx(request);
        if (request.TeeFramework != TeeFramework.Scone)
        {
            throw new IExecException(ErrorIds.UnsupportedTeeFramework,
                $"Build-IExecTeeImage builds scone and tdx images, not {TeeFrameworks.ToWireName(request.TeeFramework)}.", TeeFrameworks.ToWireName(request.TeeFramework));
        }
        var context = BuildContextArchive.ValidateFolder(request.ContextPath);
        var tag = ImageReference.Validate(request.Tag, "Tag");
        var settings = request.Settings ?? SconifySettings.ForContext(context);
        var sconifyImage = ImageReference.Validate(request.SconifyImage ?? settings.SconifyImage, "SconifyImage");
        var language = request.Language ?? EnclaveLanguages.Detect(context);
        var languageSettings = settings.For(language);

        if (request.SignerKeyPath is { } keyPath && !File.Exists(keyPath))
        {
            throw new IExecException(ErrorIds.SignerKeyNotFound,
                $"The signer key \"{Path.GetFullPath(keyPath)}\" does not exist.", Path.GetFullPath(keyPath))
            { RecommendedAction = "Create one with 'openssl genrsa -3 -out enclave-key.pem 3072', or omit the signer key." };
        }

        string? projectFile = null;
        if (request.ProjectDirectory is { } projectDirectory)
        {
            projectFile = Path.GetFullPath(Path.Combine(projectDirectory, ProjectFiles.IExecFileName));
            RequireApp(ProjectFiles.ReadIExecJson(projectDirectory), projectFile);
        }

        var image = ImageReference.NonTeeOf(tag);
        var withSigner = request.SignerKeyPath is not null || !request.SignerKey.IsEmpty;
        var command = SconifyArguments.Build(image, tag, settings, languageSettings, withSigner);
        return new TeeImageBuildPlan(request, context, image, tag, sconifyImage, language, settings, languageSettings, command, projectFile);
    }

    // A TDX app is the image itself and its checksum: no sconify step, no signer, no mrenclave (SDK 9 refuses one).
    private static TeeImageBuildPlan PlanTdx(TeeImageBuildRequest request)
    {
        var sconifyOnly = request.SignerKeyPath is not null ? "SignerKeyPath"
            : !request.SignerKey.IsEmpty ? "SignerKey"
            : request.SconifyImage is not null ? "SconifyImage"
            : null;
        if (sconifyOnly is not null)
        {
            throw new IExecException(ErrorIds.SconifyOptionNotApplicable,
                $"-{sconifyOnly} only applies to SCONE builds: a TDX image is not sconified or signed.", sconifyOnly)
            { RecommendedAction = "Drop it, or build a SCONE image (-TeeFramework scone)." };
        }
        var context = BuildContextArchive.ValidateFolder(request.ContextPath);
        var tag = ImageReference.Validate(request.Tag, "Tag");
        var settings = request.Settings ?? SconifySettings.ForContext(context);
        var language = request.Language ?? EnclaveLanguages.Detect(context);
        string? projectFile = null;
        if (request.ProjectDirectory is { } projectDirectory)
        {
            projectFile = Path.GetFullPath(Path.Combine(projectDirectory, ProjectFiles.IExecFileName));
            RequireApp(ProjectFiles.ReadIExecJson(projectDirectory), projectFile);
        }
        return new TeeImageBuildPlan(request, context, tag, tag, string.Empty, language, settings, settings.For(language), [], projectFile);
    }

    private static async Task<TeeImageBuildResult> ExecuteTdxAsync(TeeImageBuildPlan plan, DockerEngine engine, IProgress<TeeBuildProgress>? progress,
        CancellationToken cancellationToken)
    {
        var request = plan.Request;
        progress?.Report(new TeeBuildProgress(TeeBuildStage.Building, $"Building {plan.Image}", 0));
        using (var context = BuildContextArchive.Create(plan.ContextPath))
        {
            await engine.BuildImageAsync(context, plan.Image, request.BuildArgs, progress, cancellationToken).ConfigureAwait(false);
        }
        // A TDX worker pulls the multiaddr and checks the registry's manifest digest against app.checksum, so only a
        // registry digest can be recorded: the one the push returns, or, without -Push, the one Docker recorded when
        // this very image (same id) was pushed to or pulled from the image's repository. A local image id never
        // matches what a worker pulls, so without such a digest no checksum is recorded at all.
        string? checksum;
        string? warning = null;
        if (request.Push)
        {
            progress?.Report(new TeeBuildProgress(TeeBuildStage.Pushing, $"Pushing {plan.Image}", 0));
            checksum = ToChecksum(await engine.PushAsync(plan.Image, request.RegistryCredential, progress, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var image = await engine.InspectImageAsync(plan.Image, cancellationToken).ConfigureAwait(false)
                ?? throw new IExecException(ErrorIds.ImageBuildFailed,
                    $"docker build of \"{plan.Image}\" reported success but the image is missing", plan.Image);
            var known = ImageReference.RepositoryDigest(image.RepoDigests ?? [], plan.Image);
            checksum = known is null ? null : ToChecksum(known);
            warning = known is not null
                ? $"The TDX image {plan.Image} was not pushed; its checksum is the registry digest Docker recorded when this same image was pushed to or pulled from its repository ({known}). "
                  + "If the tag in the registry now names another image, a worker will refuse the task: push with -Push to be sure."
                : $"The TDX image {plan.Image} was built but not pushed, so it has no registry digest yet: a worker checks the digest of the image it pulls, "
                  + $"and the local image id ({image.ID}) never matches it. No checksum was recorded"
                  + (plan.ProjectFile is null ? "." : $" (app.checksum was removed from {plan.ProjectFile}, so Deploy-IExecApp refuses it until it has one).")
                  + " Push it with Build-IExecTeeImage -Push -UpdateProject, which records the digest, or push it yourself and set app.checksum to 0x and the sha256 of the pushed manifest.";
        }
        if (plan.ProjectFile is { } projectFile)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new TeeBuildProgress(TeeBuildStage.UpdatingProject, $"Updating {projectFile}"));
            UpdateProject(projectFile, plan.Image, checksum, null);
        }
        progress?.Report(new TeeBuildProgress(TeeBuildStage.Completed, $"Built {plan.Image}", 100));
        return new TeeImageBuildResult(plan.Image, plan.Image, null, null, checksum, request.Push, plan.ProjectFile) { ChecksumWarning = warning };
    }

    /// <summary>
    /// Runs <paramref name="plan"/> on the Docker engine, reporting each step to <paramref name="progress"/>.
    /// Failures: <see cref="ErrorIds.DockerEngineUnavailable"/>, <see cref="ErrorIds.ImageBuildFailed"/>,
    /// <see cref="ErrorIds.SconifyImageNotFound"/>, <see cref="ErrorIds.SconifyFailed"/>, <see cref="ErrorIds.InvalidFingerprint"/>, the push ids of
    /// <see cref="DockerEngine.PushAsync"/>; cancelling <paramref name="cancellationToken"/> stops at the current step
    /// (a running container is killed and removed). In every failure case iexec.json is left untouched.
    /// </summary>
    public static async Task<TeeImageBuildResult> ExecuteAsync(TeeImageBuildPlan plan, IProgress<TeeBuildProgress>? progress,
        CancellationToken cancellationToken)
    {
        var request = plan.Request;
        progress?.Report(new TeeBuildProgress(TeeBuildStage.Validating, "Connecting to the Docker engine"));
        using var engine = await DockerEngine.ConnectAsync(request.DockerHost, cancellationToken).ConfigureAwait(false);
        if (request.TeeFramework == TeeFramework.Tdx) return await ExecuteTdxAsync(plan, engine, progress, cancellationToken).ConfigureAwait(false);

        if (await engine.ImageIdAsync(plan.SconifyImage, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new IExecException(ErrorIds.SconifyImageNotFound,
                $"The sconify image \"{plan.SconifyImage}\" is not on the Docker engine at {Net.TransportPolicy.Display(engine.Endpoint.OriginalString)}.", plan.SconifyImage)
            { RecommendedAction = "Log in to the SCONE registry and pull it first ('docker login registry.scontain.com; docker pull <image>'), or pass -SconifyImage." };
        }

        progress?.Report(new TeeBuildProgress(TeeBuildStage.Building, $"Building {plan.Image}", 0));
        using (var context = BuildContextArchive.Create(plan.ContextPath))
        {
            await engine.BuildImageAsync(context, plan.Image, request.BuildArgs, progress, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new TeeBuildProgress(TeeBuildStage.Sconifying, $"Sconifying {plan.Image} into {plan.SconifiedImage}"));
        await SconifyAsync(engine, plan, progress, cancellationToken).ConfigureAwait(false);

        progress?.Report(new TeeBuildProgress(TeeBuildStage.Fingerprinting, $"Reading the MRENCLAVE of {plan.SconifiedImage}"));
        var hashRun = await engine.RunAsync(plan.SconifiedImage, null, new[] { "SCONE_HASH=1" }, null, cancellationToken).ConfigureAwait(false);
        if (hashRun.ExitCode != 0)
        {
            throw new IExecException(ErrorIds.InvalidFingerprint,
                $"\"{plan.SconifiedImage}\" run with SCONE_HASH=1 exited with code {hashRun.ExitCode}.", plan.SconifiedImage);
        }
        var fingerprint = EnclaveFingerprint.Parse(hashRun.StandardOutput, plan.SconifiedImage);

        string checksum;
        if (request.Push)
        {
            progress?.Report(new TeeBuildProgress(TeeBuildStage.Pushing, $"Pushing {plan.SconifiedImage}", 0));
            var digest = await engine.PushAsync(plan.SconifiedImage, request.RegistryCredential, progress, cancellationToken).ConfigureAwait(false);
            checksum = ToChecksum(digest);
        }
        else
        {
            var id = await engine.ImageIdAsync(plan.SconifiedImage, cancellationToken).ConfigureAwait(false)
                ?? throw SconifyFailed(plan, "it reported success but the image is missing");
            checksum = ToChecksum(id);
        }

        var mrenclave = new JsonObject
        {
            ["framework"] = "SCONE",
            ["version"] = plan.Settings.MrEnclaveVersion,
            ["entrypoint"] = plan.LanguageSettings.Entrypoint,
            ["heapSize"] = plan.Settings.HeapSizeBytes,
            ["fingerprint"] = fingerprint,
        };

        if (plan.ProjectFile is { } projectFile)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new TeeBuildProgress(TeeBuildStage.UpdatingProject, $"Updating {projectFile}"));
            UpdateProject(projectFile, plan.SconifiedImage, checksum, mrenclave);
        }

        progress?.Report(new TeeBuildProgress(TeeBuildStage.Completed, $"Built {plan.SconifiedImage}", 100));
        return new TeeImageBuildResult(plan.Image, plan.SconifiedImage, fingerprint, ProjectJson.Compact(mrenclave), checksum,
            request.Push, plan.ProjectFile);
    }

    /// <summary>
    /// Writes <paramref name="multiaddr"/>, <paramref name="checksum"/> and <paramref name="mrenclave"/> into the
    /// <c>app</c> of <paramref name="projectFile"/>, keeping every other key and its order, in the CLI's layout,
    /// through a temporary file in the same folder renamed over the original. A null <paramref name="mrenclave"/>
    /// removes the key (a TDX app has none); a null <paramref name="checksum"/> removes it too (the checksum of an earlier
    /// image would name the wrong one).
    /// </summary>
    public static void UpdateProject(string projectFile, string multiaddr, string? checksum, JsonObject? mrenclave)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        var iexec = ProjectFiles.ReadIExecJson(directory);
        var app = RequireApp(iexec, projectFile);
        app["multiaddr"] = multiaddr;
        if (checksum is null) app.Remove("checksum");
        else app["checksum"] = checksum;
        if (mrenclave is null) app.Remove("mrenclave");
        else app["mrenclave"] = mrenclave.DeepClone();
        var temporary = Path.Combine(directory, $".{ProjectFiles.IExecFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            ProjectJson.Write(temporary, ProjectJson.Indented(iexec));
            File.Move(temporary, projectFile, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// The name prefix of the private folders (0700) that hold a signer key given as bytes while sconify runs: shredded
    /// and removed after it, on a graceful exit of the session, or swept at the next build.
    /// </summary>
    public const string SignerFolderPrefix = "iexec-signer-";

    private static async Task SconifyAsync(DockerEngine engine, TeeImageBuildPlan plan, IProgress<TeeBuildProgress>? progress,
        CancellationToken cancellationToken)
    {
        var request = plan.Request;
        var binds = new List<string> { $"{engine.SocketPath ?? SconifyArguments.DockerSocketMountPath}:{SconifyArguments.DockerSocketMountPath}" };
        string? temporaryKey = null;
        // Keys of builds whose session was killed before it could shred them.
        Processes.PrivateFolder.Sweep(SignerFolderPrefix);
        Processes.PrivateFolder? keyFolder = null;
        try
        {
            if (request.SignerKeyPath is { } keyPath)
            {
                binds.Add($"{Path.GetFullPath(keyPath)}:{SconifyArguments.SignerKeyMountPath}:ro");
            }
            else if (!request.SignerKey.IsEmpty)
            {
                keyFolder = Processes.PrivateFolder.Create(SignerFolderPrefix);
                temporaryKey = WritePrivateFile(Path.Combine(keyFolder.Path, "enclave-key.pem"), request.SignerKey.Span);
                binds.Add($"{temporaryKey}:{SconifyArguments.SignerKeyMountPath}:ro");
            }

            ContainerRunResult run;
            try
            {
                run = await engine.RunAsync(plan.SconifyImage, plan.SconifyCommand, null, binds, cancellationToken).ConfigureAwait(false);
            }
            catch (Docker.DotNet.DockerApiException ex)
            {
                // The engine refused to start the container (no sconify_iexec in the image, a bad mount...).
                throw SconifyFailed(plan, (ex.ResponseBody ?? ex.Message).Trim());
            }
            foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                progress?.Report(new TeeBuildProgress(TeeBuildStage.Sconifying, line));
            }
            if (run.ExitCode != 0)
            {
                var tail = string.Join(" | ", run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
                throw SconifyFailed(plan, $"it exited with code {run.ExitCode}: {tail}");
            }
            if (await engine.ImageIdAsync(plan.SconifiedImage, cancellationToken).ConfigureAwait(false) is null)
            {
                throw SconifyFailed(plan, "it exited successfully but did not produce the image");
            }
        }
        finally
        {
            try
            {
                if (temporaryKey is not null) Shred(temporaryKey);
            }
            finally
            {
                keyFolder?.Dispose();
            }
        }
    }

    private static string WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        using var stream = Platform.HostPlatform.Current.CreatePrivateFile(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        return path;
    }

    private static void Shred(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            var zeros = new byte[length];
            File.WriteAllBytes(path, zeros);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static JsonObject RequireApp(JsonObject iexec, string projectFile) =>
        iexec["app"] as JsonObject ?? throw new IExecException(
            ErrorIds.InvalidAppDefinition,
            $"Missing app in \"{projectFile}\": there is nothing to record the image in.",
            projectFile)
        { RecommendedAction = "Run Initialize-IExecProject -Tee scone first (it adds the app section)." };

    private static string ToChecksum(string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : digest;
        return "0x" + hex.ToLowerInvariant();
    }

    private static IExecException SconifyFailed(TeeImageBuildPlan plan, string detail) =>
        new(ErrorIds.SconifyFailed,
            $"Sconifying \"{plan.Image}\" into \"{plan.SconifiedImage}\" with \"{plan.SconifyImage}\" failed: {detail}", plan.SconifiedImage);
}
