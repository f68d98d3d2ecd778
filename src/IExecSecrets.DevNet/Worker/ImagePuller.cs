using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Tee;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// How the devnet worker gets an image app, like a real worker: it pulls the app's multiaddr from its registry (with
/// the login configured for that registry, else anonymously) and checks it against the on-chain checksum before
/// anything runs. The image it returns is pinned (<c>repo@sha256:…</c>), so a tag moved after the check cannot
/// slip another image in.
/// </summary>
internal static class ImagePuller
{
    /// <summary>
    /// Pulls <paramref name="multiaddr"/> and returns the reference to run. The registry digest must equal
    /// <paramref name="checksum"/>; when the registry cannot be reached (an image only built locally, or Docker Hub
    /// offline), a local image whose id equals the checksum is accepted instead (what Build-IExecTeeImage records
    /// without -Push). Anything else throws <see cref="WorkerTaskException"/> with the reason.
    /// </summary>
    public static async Task<string> PullAndVerifyAsync(string multiaddr, byte[] checksum, IReadOnlyList<RegistryLogin> logins,
        string? dockerHost, Action<string> log, CancellationToken cancellationToken)
    {
        if (checksum.All(b => b == 0))
            throw new WorkerTaskException($"the app image {multiaddr} has no checksum on chain; a worker cannot tell which image to trust");
        if (!ImageReference.IsValid(multiaddr))
            throw new WorkerTaskException($"the app multiaddr {multiaddr} is not a Docker image reference");
        var expected = "sha256:" + Hex.Encode(checksum)[2..];

        DockerEngine engine;
        try
        {
            engine = await DockerEngine.ConnectAsync(dockerHost, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException e) when (e.ErrorId == ErrorIds.DockerEngineUnavailable)
        {
            throw new WorkerTaskException($"the app is the Docker image {multiaddr} but no Docker engine is reachable ({e.Message})", e);
        }
        using (engine)
        {
            var registry = ImageReference.Registry(multiaddr);
            var login = logins.FirstOrDefault(l => string.Equals(l.Registry, registry, StringComparison.OrdinalIgnoreCase));
            byte[]? password = null;
            RegistryCredential? credential = null;
            try
            {
                if (login is not null)
                {
                    password = ReadPassword(login);
                    credential = new RegistryCredential(login.UserName, password);
                }
                IReadOnlyList<string> digests;
                try
                {
                    digests = await engine.PullAsync(multiaddr, credential, cancellationToken).ConfigureAwait(false);
                }
                catch (IExecException e) when (e.ErrorId == ErrorIds.RegistryUnreachable)
                {
                    var local = await engine.ImageIdAsync(multiaddr, cancellationToken).ConfigureAwait(false);
                    if (string.Equals(local, expected, StringComparison.OrdinalIgnoreCase))
                    {
                        log($"image {multiaddr}: registry {registry} unreachable; the local image {local} matches the app checksum");
                        return local!;
                    }
                    throw new WorkerTaskException($"the app image {multiaddr} could not be pulled: {e.Message}", e);
                }
                catch (IExecException e)
                {
                    throw new WorkerTaskException($"the app image {multiaddr} could not be pulled: {e.Message}", e);
                }
                var at = multiaddr.IndexOf('@', StringComparison.Ordinal);
                var repository = at > 0 ? multiaddr[..at] : ImageReference.SplitTag(multiaddr).Repository;
                var pinned = $"{repository}@{expected}";
                if (!digests.Any(d => string.Equals(d, pinned, StringComparison.OrdinalIgnoreCase)))
                {
                    var seen = digests.Count == 0 ? "none" : string.Join(", ", digests.Select(d => d[(d.IndexOf('@', StringComparison.Ordinal) + 1)..]));
                    throw new WorkerTaskException(
                        $"the image pulled for {multiaddr} (registry digest {seen}) is not the app's checksum 0x{expected["sha256:".Length..]}");
                }
                log($"image {multiaddr}: pulled from {registry}, digest {expected} = the app checksum");
                return pinned;
            }
            finally
            {
                credential?.Dispose();
                if (password is not null) CryptographicOperations.ZeroMemory(password);
            }
        }
    }

    private static byte[] ReadPassword(RegistryLogin login)
    {
        try
        {
            var bytes = File.ReadAllBytes(login.PasswordFile);
            var length = bytes.Length;
            while (length > 0 && bytes[length - 1] is (byte)'\n' or (byte)'\r') length--;
            if (length == bytes.Length) return bytes;
            var trimmed = bytes[..length];
            CryptographicOperations.ZeroMemory(bytes);
            return trimmed;
        }
        catch (IOException e)
        {
            throw new WorkerTaskException($"the password file of the {login.Registry} login cannot be read: {e.Message}", e);
        }
    }
}
