using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Results;
using IExecSecrets.Core.Secrets;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// Turns a finished app's <c>IEXEC_OUT</c> into what the worker puts on chain and in the result store:
/// <list type="bullet">
/// <item>the result digest, from <c>computed.json</c>'s <c>deterministic-output-path</c> like the iExec worker's
/// <c>ResultUtils.computeWeb2ResultDigest</c>: SHA-256 of that file's bytes; for a folder, SHA-256 of the
/// concatenated SHA-256 of its files in ordinal path order (the devnet's rule; iexec-common hashes folders its own
/// way). A missing or malformed computed.json, or a path outside IEXEC_OUT, fails the task;</item>
/// <item>the result archive: a zip of the whole IEXEC_OUT folder (what <c>iexec task show --download</c> fetches), or,
/// when the deal asks <c>iexec_result_encryption</c>, that zip encrypted for the beneficiary as the TEE post-compute
/// does (<see cref="EncryptAsync"/>).</item>
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

    /// <summary>
    /// The post-compute's encryption stage: the zip of IEXEC_OUT encrypted for the beneficiary's public key, read from
    /// the SMS as the web2 secret <c>iexec-result-encryption-public-key</c> of the beneficiary (base64 of its PEM), in
    /// iExec's archive layout (<see cref="ResultEncryption"/>). A missing or unreadable key fails the task with the
    /// post-compute's cause.
    /// </summary>
    public static async Task<byte[]> EncryptAsync(byte[] plainZip, DevSmsServer sms, EthAddress beneficiary, CancellationToken cancellationToken)
    {
        var value = await sms.GetWeb2SecretAsync(beneficiary, SecretRules.ResultEncryptionPublicKeyName, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkerTaskException($"result encryption was asked, but beneficiary {beneficiary} has no {SecretRules.ResultEncryptionPublicKeyName} in the SMS (POST_COMPUTE_ENCRYPTION_PUBLIC_KEY_MISSING)");
        RSA publicKey;
        try
        {
            publicKey = ResultEncryption.ReadSmsPublicKey(Encoding.UTF8.GetString(value));
        }
        catch (IExecException)
        {
            throw new WorkerTaskException($"the {SecretRules.ResultEncryptionPublicKeyName} of beneficiary {beneficiary} is not the base64 of an RSA public key PEM (POST_COMPUTE_MALFORMED_ENCRYPTION_PUBLIC_KEY)");
        }
        using (publicKey)
        using (var input = new MemoryStream(plainZip, writable: false))
        using (var output = new MemoryStream())
        {
            ResultEncryption.Encrypt(input, publicKey, output);
            return output.ToArray();
        }
    }

    /// <summary>Deletes the plain output once it was encrypted: only the encrypted archive leaves the worker.</summary>
    public static void Clear(string outputFolder)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(outputFolder))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    public static byte[] Zip(string outputFolder)
    {
        using var buffer = new MemoryStream();
        ZipFile.CreateFromDirectory(outputFolder, buffer, CompressionLevel.Optimal, includeBaseDirectory: false, Encoding.UTF8);
        return buffer.ToArray();
    }
}
