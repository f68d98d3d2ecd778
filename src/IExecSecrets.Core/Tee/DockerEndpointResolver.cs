using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tee;

/// <summary>Where a <see cref="DockerEndpoint"/> came from.</summary>
public enum DockerEndpointSource
{
    /// <summary>The caller named it (<c>-DockerHost</c>).</summary>
    Parameter,

    /// <summary>The <c>DOCKER_HOST</c> environment variable.</summary>
    DockerHost,

    /// <summary>The docker CLI's current context (<c>DOCKER_CONTEXT</c>, else <c>currentContext</c> in its config.json).</summary>
    Context,

    /// <summary>The platform's default engine address.</summary>
    Default,
}

/// <summary>
/// A Docker engine address and how it was chosen. <see cref="TlsFolder"/> is the folder holding the context's own
/// <c>ca.pem</c>/<c>cert.pem</c>/<c>key.pem</c> when the endpoint comes from a context created with TLS material.
/// </summary>
/// <param name="Uri">The engine address, e.g. <c>unix:///var/run/docker.sock</c> or <c>npipe://./pipe/docker_engine</c>.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="ContextName">The docker context's name when <paramref name="Source"/> is <see cref="DockerEndpointSource.Context"/>.</param>
/// <param name="TlsFolder">The context's TLS folder for the docker endpoint, when it has one.</param>
public sealed record DockerEndpoint(Uri Uri, DockerEndpointSource Source, string? ContextName = null, string? TlsFolder = null);

/// <summary>
/// Chooses the Docker engine as the docker CLI would: the caller's address, else <c>DOCKER_HOST</c>, else the CLI's
/// current context, else the platform's default (<c>unix:///var/run/docker.sock</c>, or
/// <c>npipe://./pipe/docker_engine</c> on Windows). Every value is checked here, before any connection: a malformed
/// one throws <see cref="ErrorIds.InvalidDockerEndpoint"/>, a current context that does not exist
/// <see cref="ErrorIds.DockerContextNotFound"/>, and a docker CLI file that cannot be read <see cref="ErrorIds.DockerContextInvalid"/>.
/// </summary>
/// <remarks>
/// The context store layout follows the docker CLI (github.com/docker/cli): <c>cli/config/config.go</c> (the config
/// folder is <c>DOCKER_CONFIG</c>, else <c>&lt;home&gt;/.docker</c>; <c>config.json</c> holds <c>currentContext</c>),
/// <c>cli/command/cli.go</c> <c>resolveContextName</c> (<c>DOCKER_CONTEXT</c> before <c>currentContext</c>;
/// <c>default</c> means no context), <c>cli/context/store/store.go</c> <c>contextdirOf</c> (a context's folder is the
/// SHA-256 hex of its name), <c>metadatastore.go</c> (<c>contexts/meta/&lt;id&gt;/meta.json</c>,
/// <c>Endpoints.docker.Host</c>) and <c>tlsstore.go</c> (<c>contexts/tls/&lt;id&gt;/docker/{ca,cert,key}.pem</c>).
/// Those files are the user's own and may be edited by anyone who can write there; they only choose an engine the
/// user's own docker CLI would also use, and the TLS rule of <see cref="DockerEngine.RequireTls(Uri, string?, string?)"/> still applies.
/// </remarks>
public static class DockerEndpointResolver
{
    /// <summary>The engine address on Unix when nothing else names one.</summary>
    public const string UnixDefault = "unix:///var/run/docker.sock";

    /// <summary>Docker Desktop's and the Windows engine's named pipe, the default on Windows.</summary>
    public const string WindowsDefault = "npipe://./pipe/docker_engine";

    // config.json and meta.json are a few hundred bytes; a larger one (or a FIFO, /dev/zero) is refused, not read on.
    private const int MaxFileBytes = 1 << 20;

    /// <summary>The docker CLI's configuration folder on <paramref name="platform"/>: <c>DOCKER_CONFIG</c>, else <c>&lt;home&gt;/.docker</c>.</summary>
    public static string ConfigDirectory(HostPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return platform.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : platform.Combine(platform.HomeDirectory, ".docker");
    }

    /// <summary>The endpoint for <paramref name="dockerHost"/> (the caller's value, may be null) on <paramref name="platform"/>.</summary>
    public static DockerEndpoint Resolve(string? dockerHost, HostPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (!string.IsNullOrWhiteSpace(dockerHost)) return new DockerEndpoint(Parse(dockerHost), DockerEndpointSource.Parameter);
        if (platform.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment)
            return new DockerEndpoint(Parse(fromEnvironment), DockerEndpointSource.DockerHost);
        if (FromContext(platform) is { } fromContext) return fromContext;
        return new DockerEndpoint(Parse(platform.IsWindows ? WindowsDefault : UnixDefault), DockerEndpointSource.Default);
    }

    /// <summary>
    /// <paramref name="text"/> as an engine address: <c>unix://</c> with a path, <c>npipe://</c> naming a pipe
    /// (<c>npipe:////./pipe/name</c>, the docker CLI's spelling, is read as <c>npipe://./pipe/name</c>), or
    /// <c>tcp://</c>/<c>http://</c>/<c>https://</c> with a host. Anything else throws
    /// <see cref="ErrorIds.InvalidDockerEndpoint"/>.
    /// </summary>
    public static Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        // The docker CLI writes a local pipe with an empty host and the server in the path: npipe:////./pipe/name.
        if (trimmed.StartsWith("npipe:////", StringComparison.OrdinalIgnoreCase)) trimmed = "npipe://" + trimmed["npipe:////".Length..];
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && IsWellFormed(uri)) return uri;
        throw new IExecException(ErrorIds.InvalidDockerEndpoint,
            $"\"{TransportPolicy.Display(text)}\" is not a Docker engine address (expected unix:///path/docker.sock, npipe://./pipe/docker_engine or tcp://host:port).",
            TransportPolicy.Display(text));
    }

    private static bool IsWellFormed(Uri uri) => uri.Scheme switch
    {
        "unix" => uri.AbsolutePath.Length > 1 && uri.Host.Length == 0 && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment),
        // What Docker.DotNet's npipe handler accepts: a server (".", "localhost" or a name) and exactly /pipe/<name>.
        "npipe" => uri.Host.Length > 0 && uri.Segments.Length == 3 && uri.Segments[1] == "pipe/" && uri.Segments[2].Length > 0 && !uri.Segments[2].EndsWith('/'),
        "tcp" or "http" or "https" => uri.Host.Length > 0,
        _ => false,
    };

    private static DockerEndpoint? FromContext(HostPlatform platform)
    {
        var configDirectory = ConfigDirectory(platform);
        string? name = platform.GetEnvironmentVariable("DOCKER_CONTEXT") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var origin = "DOCKER_CONTEXT";
        if (name is null)
        {
            var configFile = platform.Combine(configDirectory, "config.json");
            origin = configFile;
            if (ReadJson(configFile) is { } config)
            {
                if (config.ValueKind != JsonValueKind.Object) throw Broken(configFile, "it is not a JSON object");
                if (Property(config, "currentContext") is { } current)
                {
                    if (current.ValueKind != JsonValueKind.String) throw Broken(configFile, "\"currentContext\" is not a string");
                    name = current.GetString();
                }
            }
        }
        // "default" is the docker CLI's name for "no context": DOCKER_HOST or the platform default.
        if (string.IsNullOrEmpty(name) || name == "default") return null;

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
        var metaFile = platform.Combine(configDirectory, "contexts", "meta", id, "meta.json");
        var meta = ReadJson(metaFile) ?? throw new IExecException(ErrorIds.DockerContextNotFound,
            $"The docker context \"{ForeignTextName(name)}\" (named by {origin}) does not exist: {metaFile} is missing.", ForeignTextName(name));
        if (meta.ValueKind != JsonValueKind.Object
            || Property(meta, "Endpoints") is not { ValueKind: JsonValueKind.Object } endpoints
            || !endpoints.TryGetProperty("docker", out var docker) || docker.ValueKind != JsonValueKind.Object
            || Property(docker, "Host") is not { ValueKind: JsonValueKind.String } host
            || string.IsNullOrWhiteSpace(host.GetString()))
        {
            throw Broken(metaFile, "it has no Endpoints.docker.Host");
        }
        var uri = Parse(host.GetString()!);
        var tls = platform.Combine(configDirectory, "contexts", "tls", id, "docker");
        return new DockerEndpoint(uri, DockerEndpointSource.Context, name, File.Exists(platform.Combine(tls, "ca.pem")) ? tls : null);
    }

    // Go's encoding/json matches struct fields case-insensitively, so the docker CLI reads "host" as "Host"; map keys
    // (the endpoint name "docker") are exact. An exact match wins over a case-insensitive one, as in Go.
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact)) return exact;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }

    private static JsonElement? ReadJson(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxFileBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > MaxFileBytes) throw Broken(path, $"it is larger than {MaxFileBytes} bytes");
            bytes = buffer[..total];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Broken(path, e.GetType().Name, e);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Broken(path, "it is not valid JSON", e);
        }
    }

    private static string ForeignTextName(string name) => Text.ForeignText.Clean(name);

    private static IExecException Broken(string path, string why, Exception? inner = null) =>
        new(ErrorIds.DockerContextInvalid, $"The docker CLI's file {path} cannot choose a Docker engine: {why}.", path, inner);
}
