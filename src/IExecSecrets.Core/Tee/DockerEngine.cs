using System.Net;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.X509;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// A connection to a Docker engine: the endpoint comes from the caller, else <c>DOCKER_HOST</c>, else the docker CLI's
/// current context, else <c>unix:///var/run/docker.sock</c> (<c>npipe://./pipe/docker_engine</c> on Windows), as
/// <see cref="DockerEndpointResolver"/> chooses it. <see cref="ConnectAsync(string?, CancellationToken)"/> pings it and fails with
/// <see cref="ErrorIds.DockerEngineUnavailable"/> (saying how to start one) when nothing answers. It builds with the
/// classic builder (BuildKit is not assumed), runs throw-away containers with no network, and pushes.
/// </summary>
/// <remarks>
/// A Docker engine API is root on its host, and registry logins cross it: a <c>tcp://</c> (or <c>http://</c>)
/// endpoint off loopback is used only over mutual TLS, as the docker CLI does with <c>DOCKER_TLS_VERIFY</c> set:
/// <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c> from <c>DOCKER_CERT_PATH</c> (default <c>~/.docker</c>), the
/// engine's certificate checked against that CA (an endpoint from a docker context created with TLS material uses the
/// context's own <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>). Without them it fails with
/// <see cref="ErrorIds.InsecureDockerEndpoint"/> before anything is sent. Loopback tcp and unix sockets need no TLS.
/// </remarks>
public sealed class DockerEngine : IDisposable
{
    /// <summary>The engine address on Unix when neither the caller, <c>DOCKER_HOST</c> nor a docker context names one.</summary>
    public const string DefaultEndpoint = DockerEndpointResolver.UnixDefault;

    private readonly DockerClient _client;

    private DockerEngine(DockerClient client, Uri endpoint, string serverVersion)
    {
        _client = client;
        Endpoint = endpoint;
        ServerVersion = serverVersion;
    }

    /// <summary>The engine's address, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The engine's version as it reports it, e.g. <c>20.10.24+dfsg1</c>.</summary>
    public string ServerVersion { get; }

    /// <summary>
    /// The socket path the engine listens on when it is a unix socket, which is also the path to bind into a
    /// container that must drive the same engine; null for TCP engines.
    /// </summary>
    public string? SocketPath => Endpoint.Scheme == "unix" ? Endpoint.AbsolutePath : null;

    /// <summary>How the endpoint was chosen (caller, <c>DOCKER_HOST</c>, docker context, default).</summary>
    public DockerEndpointSource EndpointSource { get; private init; }

    /// <summary>
    /// The TLS certificate folder a connection to <paramref name="endpoint"/> must use, or null when it needs none (a
    /// unix socket, a named pipe, a loopback tcp endpoint). For any other tcp/http endpoint TLS is required:
    /// <paramref name="tlsVerify"/> (<c>DOCKER_TLS_VERIFY</c>) must be set, and the folder is
    /// <paramref name="certPath"/> (<c>DOCKER_CERT_PATH</c>) or the docker CLI's configuration folder
    /// (<c>DOCKER_CONFIG</c>, else <c>~/.docker</c>), as the docker CLI defaults it. Throws
    /// <see cref="ErrorIds.InsecureDockerEndpoint"/> otherwise; nothing is sent.
    /// </summary>
    public static string? RequireTls(Uri endpoint, string? tlsVerify, string? certPath) =>
        RequireTls(endpoint, tlsVerify, certPath, HostPlatform.Current);

    /// <summary><see cref="RequireTls(Uri, string?, string?)"/> with the default folder taken on <paramref name="platform"/>.</summary>
    public static string? RequireTls(Uri endpoint, string? tlsVerify, string? certPath, HostPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme is "unix" or "npipe") return null;
        var wantsTls = !string.IsNullOrEmpty(tlsVerify) || endpoint.Scheme == Uri.UriSchemeHttps;
        if (!wantsTls)
        {
            if (endpoint.IsLoopback) return null;
            throw new IExecException(ErrorIds.InsecureDockerEndpoint,
                $"Refusing the Docker engine at {TransportPolicy.Display(endpoint)} without TLS: its API (root on that host) and registry logins would cross the network in clear text",
                TransportPolicy.Display(endpoint))
            {
                RecommendedAction = "Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to a folder with ca.pem, cert.pem and key.pem, or use a unix socket / ssh tunnel to a loopback port.",
            };
        }
        return string.IsNullOrEmpty(certPath) ? DockerEndpointResolver.ConfigDirectory(platform) : certPath;
    }

    private static DockerTlsCertificates LoadTls(Uri endpoint, string folder)
    {
        try
        {
            return DockerTlsCertificates.LoadFromDirectory(folder, loadCertificateAuthority: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new IExecException(ErrorIds.InsecureDockerEndpoint,
                $"The TLS certificates for the Docker engine at {TransportPolicy.Display(endpoint)} could not be read from {folder} (ca.pem, cert.pem, key.pem): {ex.GetType().Name}",
                TransportPolicy.Display(endpoint), ex)
            {
                RecommendedAction = "Point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem for that engine.",
            };
        }
    }

    /// <summary>The endpoint <see cref="ConnectAsync(string?, CancellationToken)"/> would use for <paramref name="dockerHost"/>.</summary>
    public static Uri ResolveEndpoint(string? dockerHost) => DockerEndpointResolver.Resolve(dockerHost, HostPlatform.Current).Uri;

    /// <summary>
    /// Connects to the engine at <paramref name="dockerHost"/> (see <see cref="DockerEndpointResolver"/>) and pings it.
    /// Throws <see cref="ErrorIds.DockerEngineUnavailable"/> when it does not answer within 15 seconds.
    /// </summary>
    public static Task<DockerEngine> ConnectAsync(string? dockerHost, CancellationToken cancellationToken) =>
        ConnectAsync(dockerHost, HostPlatform.Current, cancellationToken);

    /// <summary><see cref="ConnectAsync(string?, CancellationToken)"/> with the endpoint chosen on <paramref name="platform"/>.</summary>
    public static async Task<DockerEngine> ConnectAsync(string? dockerHost, HostPlatform platform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var resolved = DockerEndpointResolver.Resolve(dockerHost, platform);
        var endpoint = resolved.Uri;
        var builder = new DockerClientBuilder().WithEndpoint(endpoint);
        // A context created with TLS material brings its own certificates (the docker CLI uses them for that context);
        // otherwise DOCKER_TLS_VERIFY / DOCKER_CERT_PATH apply.
        var tlsFolder = resolved.TlsFolder is { } contextTls
            ? RequireTls(endpoint, "1", contextTls, platform)
            : RequireTls(endpoint, platform.GetEnvironmentVariable("DOCKER_TLS_VERIFY"), platform.GetEnvironmentVariable("DOCKER_CERT_PATH"), platform);
        if (tlsFolder is { } certificates)
        {
            builder = builder.WithAuthProvider(LoadTls(endpoint, certificates).CreateCredentials());
        }
        var client = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var version = await client.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            return new DockerEngine(client, endpoint, version.Version) { EndpointSource = resolved.Source };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new IExecException(
                ErrorIds.DockerEngineUnavailable,
                $"No Docker engine answers at {TransportPolicy.Display(endpoint.OriginalString)}{Origin(resolved)}. Start one (for example 'sudo systemctl start docker', or " +
                "'bash eng/docker.sh' in this repository, which starts dockerd and prints the DOCKER_HOST to export), " +
                "or set DOCKER_HOST to the engine's address.",
                TransportPolicy.Display(endpoint.OriginalString),
                ex)
            { RecommendedAction = "Start a Docker engine (dockerd) and set DOCKER_HOST, e.g. unix:///var/run/docker.sock." };
        }
    }

    private static string Origin(DockerEndpoint endpoint) => endpoint.Source switch
    {
        DockerEndpointSource.DockerHost => " (from DOCKER_HOST)",
        DockerEndpointSource.Context => $" (from the docker context \"{Text.ForeignText.Clean(endpoint.ContextName)}\")",
        DockerEndpointSource.Default => " (the default engine address)",
        _ => "",
    };

    /// <summary>
    /// Builds <paramref name="context"/> (a tar stream) into <paramref name="tag"/> with the classic builder and
    /// returns the image id (<c>sha256:…</c>). Each Dockerfile step is reported as <see cref="TeeBuildStage.Building"/>
    /// progress; a failed step throws <see cref="ErrorIds.ImageBuildFailed"/> with the engine's message.
    /// </summary>
    public async Task<string> BuildImageAsync(Stream context, string tag, IReadOnlyDictionary<string, string>? buildArgs,
        IProgress<TeeBuildProgress>? progress, CancellationToken cancellationToken)
    {
        string? error = null;
        var parameters = new ImageBuildParameters
        {
            Tags = new List<string> { tag },
            Remove = true,
            ForceRemove = true,
            BuildArgs = buildArgs?.ToDictionary(p => p.Key, p => p.Value),
        };
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error is { Message.Length: > 0 }) error = message.Error.Message;
            var line = message.Stream?.TrimEnd();
            if (string.IsNullOrEmpty(line)) return;
            progress?.Report(new TeeBuildProgress(TeeBuildStage.Building, line, StepPercent(line)));
        });
        try
        {
            await _client.Images.BuildImageFromDockerfileAsync(parameters, context, null, null, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw BuildFailed(tag, ex.ResponseBody ?? ex.Message, ex);
        }
        if (error is not null) throw BuildFailed(tag, error, null);
        return await ImageIdAsync(tag, cancellationToken).ConfigureAwait(false)
            ?? throw BuildFailed(tag, "the engine reported no error but the image is missing", null);
    }

    /// <summary>The id (<c>sha256:…</c>) of the local image <paramref name="reference"/>, or null when there is none.</summary>
    public async Task<string?> ImageIdAsync(string reference, CancellationToken cancellationToken)
    {
        var image = await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
        return image?.ID;
    }

    /// <summary>The engine's description of the local image <paramref name="reference"/>, or null when there is none.</summary>
    public async Task<ImageInspectResponse?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Images.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Removes the local image <paramref name="reference"/> when it exists (forced, children kept).</summary>
    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone, or still used by another image: both leave nothing for us to do.
        }
    }

    /// <summary>
    /// Runs <paramref name="image"/> to completion like <c>docker run --rm --network none</c> and returns its exit
    /// code and output. <paramref name="command"/> replaces the image's CMD when given; <paramref name="environment"/>
    /// entries are <c>NAME=value</c>; <paramref name="binds"/> are <c>host:container[:ro]</c>. The container is
    /// removed whatever happens, and killed first when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<ContainerRunResult> RunAsync(string image, IReadOnlyList<string>? command, IReadOnlyList<string>? environment,
        IReadOnlyList<string>? binds, CancellationToken cancellationToken)
    {
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = command?.ToList()!,
            Env = environment?.ToList()!,
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                // No container here needs the network: sconify talks to the engine through the mounted socket.
                NetworkMode = "none",
                Binds = binds?.ToList()!,
            },
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            var exit = await _client.Containers.WaitContainerAsync(created.ID, cancellationToken).ConfigureAwait(false);
            using var logs = await _client.Containers.GetContainerLogsAsync(created.ID,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken).ConfigureAwait(false);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            return new ContainerRunResult(exit.StatusCode, stdout, stderr);
        }
        finally
        {
            // Not the caller's token: a cancelled run must still leave no container behind.
            await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Pushes <paramref name="reference"/> with <paramref name="credential"/> (or anonymously) and returns the
    /// registry digest (<c>sha256:…</c>). A registry that cannot be reached throws <see cref="ErrorIds.RegistryUnreachable"/>,
    /// a refused login <see cref="ErrorIds.RegistryAuthenticationFailed"/>, anything else <see cref="ErrorIds.ImagePushFailed"/>.
    /// </summary>
    public async Task<string> PushAsync(string reference, RegistryCredential? credential, IProgress<TeeBuildProgress>? progress,
        CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.SplitTag(reference);
        string? error = null;
        string? digest = null;
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error is { Message.Length: > 0 }) error = message.Error.Message;
            if (message.Aux?.ExtensionData is { } aux && aux.TryGetValue("Digest", out var d) && d?.ToString() is { } text) digest = text;
            if (!string.IsNullOrEmpty(message.Status))
            {
                int? percent = message.Progress is { Total: > 0 } p && p.Current is { } current
                    ? (int)Math.Clamp(current * 100 / p.Total!.Value, 0, 100)
                    : null;
                var status = string.IsNullOrEmpty(message.ID) ? message.Status : $"{message.ID}: {message.Status}";
                progress?.Report(new TeeBuildProgress(TeeBuildStage.Pushing, status, percent));
            }
        });
        var auth = new AuthConfig { ServerAddress = ImageReference.Registry(reference) };
        if (credential is not null)
        {
            auth.Username = credential.UserName;
            // The Docker API takes the password as text in a header: this string is the unavoidable plaintext copy.
            auth.Password = Encoding.UTF8.GetString(credential.Password);
        }
        try
        {
            await _client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw PushFailed(reference, ex.ResponseBody ?? ex.Message, ex);
        }
        finally
        {
            auth.Password = null!;
        }
        if (error is not null) throw PushFailed(reference, error, null);
        return digest ?? throw PushFailed(reference, "the registry returned no digest", null);
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> (<c>repo:tag</c> or <c>repo@sha256:…</c>) with <paramref name="credential"/>
    /// (or anonymously) and returns the registry digests the engine then knows for the image (<c>repo@sha256:…</c>),
    /// so a caller can check that what it pulled is what it expected. Failures throw the ids of
    /// <see cref="PushAsync"/>: <see cref="ErrorIds.RegistryUnreachable"/>, <see cref="ErrorIds.RegistryAuthenticationFailed"/>,
    /// else <see cref="ErrorIds.ImagePullFailed"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> PullAsync(string reference, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        string? error = null;
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error is { Message.Length: > 0 }) error = message.Error.Message;
        });
        var auth = new AuthConfig { ServerAddress = ImageReference.Registry(reference) };
        if (credential is not null)
        {
            auth.Username = credential.UserName;
            // As for a push: the Docker API takes the password as text in a header.
            auth.Password = Encoding.UTF8.GetString(credential.Password);
        }
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var (repository, tag) = at > 0 ? (reference[..at], reference[(at + 1)..]) : ImageReference.SplitTag(reference);
        try
        {
            await _client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, auth, messages, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw TransferFailed(reference, ex.ResponseBody ?? ex.Message, ex, ErrorIds.ImagePullFailed, "Pulling", "pull");
        }
        finally
        {
            auth.Password = null!;
        }
        if (error is not null) throw TransferFailed(reference, error, null, ErrorIds.ImagePullFailed, "Pulling", "pull");
        var image = await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw TransferFailed(reference, "the engine reported no error but the image is missing", null, ErrorIds.ImagePullFailed, "Pulling", "pull");
        return image.RepoDigests?.ToList() ?? [];
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _client.Dispose();

    private static IExecException BuildFailed(string tag, string detail, Exception? inner) =>
        new(ErrorIds.ImageBuildFailed, $"docker build of \"{tag}\" failed: {detail.Trim()}", tag, inner);

    private static IExecException PushFailed(string reference, string detail, Exception? inner) =>
        TransferFailed(reference, detail, inner, ErrorIds.ImagePushFailed, "Pushing", "push");

    private static IExecException TransferFailed(string reference, string detail, Exception? inner, string otherId, string verb, string action)
    {
        var registry = ImageReference.Registry(reference);
        var lower = detail.ToLowerInvariant();
        if (lower.Contains("unauthorized", StringComparison.Ordinal) || lower.Contains("authentication required", StringComparison.Ordinal)
            || lower.Contains("denied", StringComparison.Ordinal)
            // What the engine says when a registry asks for a login and the push carried none.
            || lower.Contains("no basic auth credentials", StringComparison.Ordinal))
        {
            return new IExecException(ErrorIds.RegistryAuthenticationFailed,
                $"The registry {registry} refused to let this login {action} \"{reference}\".", reference, inner)
            { RecommendedAction = "Give a login with -RegistryCredential (or -RegistryCredentialVault and -RegistryCredentialSecretName), check its user name and token, and the repository's permissions." };
        }
        if (lower.Contains("dial tcp", StringComparison.Ordinal) || lower.Contains("connection refused", StringComparison.Ordinal)
            || lower.Contains("no such host", StringComparison.Ordinal) || lower.Contains("i/o timeout", StringComparison.Ordinal)
            || lower.Contains("server gave http response", StringComparison.Ordinal) || lower.Contains("connection reset", StringComparison.Ordinal))
        {
            return new IExecException(ErrorIds.RegistryUnreachable,
                $"The registry {registry} cannot be reached to {action} \"{reference}\": {detail.Trim()}", reference, inner)
            { RecommendedAction = "Check the registry host in -Tag and the engine's network access." };
        }
        return new IExecException(otherId,
            $"{verb} \"{reference}\" {(action == "push" ? "to" : "from")} {registry} failed: {detail.Trim()}", reference, inner);
    }

    private static int? StepPercent(string line)
    {
        // "Step 3/5 : COPY app.js /app/app.js"
        if (!line.StartsWith("Step ", StringComparison.Ordinal)) return null;
        var slash = line.IndexOf('/', StringComparison.Ordinal);
        var space = line.IndexOf(' ', slash + 1);
        return slash > 5 && space > slash
            && int.TryParse(line.AsSpan(5, slash - 5), out var step)
            && int.TryParse(line.AsSpan(slash + 1, space - slash - 1), out var total) && total > 0
            ? (step - 1) * 100 / total
            : null;
    }

    // Progress<T> posts to the thread pool; the build loop needs each message handled before it reads the next.
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
