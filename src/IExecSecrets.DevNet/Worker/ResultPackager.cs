using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// Turns a finished app's <c>IEXEC_OUT</c> into what the worker puts on chain and in the result store:
/// <list type="bullet">
/// <item>the result digest, from <c>computed.json</c>'s <c>deterministic-output-path</c> like the iExec worker's
/// <c>ResultUtils.computeWeb2ResultDigest</c>: SHA-256 of that file's bytes; for a folder, SHA-256 of the
/// concatenated SHA-256 of its files in ordinal path order (the devnet's rule; iexec-common hashes folders its own
/// way). A missing or malformed computed.json, or a path outside IEXEC_OUT, fails the task;</item>
/// <item>the result archive: a zip of the whole IEXEC_OUT folder (what <c>iexec task show --download</c> fetches).</item>
/// </list>
/// </summary>
internal static class ResultPackager
{
    public static byte[] ComputeDigest(string outputFolder, bool inContainer)
    {
        var computed = Path.Combine(outputFolder, "computed.json");
        if (!File.Exists(computed)) throw new WorkerTaskException("the app wrote no computed.json in IEXEC_OUT");
        string? declared;
        try
        {
            declared = (JsonNode.Parse(File.ReadAllText(computed)) as JsonObject)?["deterministic-output-path"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new WorkerTaskException("computed.json is not a JSON object with a string deterministic-output-path", e);
        }
        if (string.IsNullOrEmpty(declared)) throw new WorkerTaskException("computed.json has no deterministic-output-path");

        var root = Path.GetFullPath(outputFolder);
        var local = inContainer && declared.StartsWith(AppLauncher.ContainerOut, StringComparison.Ordinal)
            ? root + declared[AppLauncher.ContainerOut.Length..]
            : declared;
        var path = Path.GetFullPath(local, root);
        if (path != root && !path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new WorkerTaskException($"the deterministic-output-path {declared} is outside IEXEC_OUT");
        if (File.Exists(path)) return SHA256.HashData(File.ReadAllBytes(path));
        if (!Directory.Exists(path)) throw new WorkerTaskException($"the deterministic-output-path {declared} does not exist");

        using var folderHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            folderHash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return folderHash.GetHashAndReset();
    }

    public static byte[] Zip(string outputFolder)
    {
        using var buffer = new MemoryStream();
        ZipFile.CreateFromDirectory(outputFolder, buffer, CompressionLevel.Optimal, includeBaseDirectory: false, Encoding.UTF8);
        return buffer.ToArray();
    }
}
