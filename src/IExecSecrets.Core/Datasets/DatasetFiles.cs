using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Datasets;

/// <summary>An encrypted dataset file: where it was written, its checksum and size.</summary>
/// <param name="SourcePath">The clear file (left as it was).</param>
/// <param name="OutputPath">The encrypted file, <c>&lt;file&gt;.enc</c>.</param>
/// <param name="Checksum">The SHA-256 of the encrypted file (the dataset's on-chain checksum).</param>
/// <param name="Length">The encrypted file's size in bytes.</param>
public sealed record ProtectedFile(string SourcePath, string OutputPath, byte[] Checksum, long Length);

/// <summary>
/// The file side of <c>iexec dataset encrypt</c>: one clear file in, <c>&lt;file&gt;.enc</c> out in the CLI's
/// <c>datasets/encrypted/</c> folder of the project (or a folder the user names), written through a temporary sibling
/// and renamed only once whole and once its key is safe (<see cref="Encrypt"/>). The clear file is only read.
/// </summary>
public static class DatasetFiles
{
    /// <summary>The CLI's folder for encrypted datasets, relative to the project folder.</summary>
    public static string EncryptedFolder(string projectDirectory) => Path.Combine(projectDirectory, "datasets", "encrypted");

    /// <summary>
    /// Checks, before anything is written, that <paramref name="source"/> is a file and that its encrypted copy can go
    /// to <paramref name="destinationFolder"/>: not over the source, not over an existing file (unless
    /// <paramref name="force"/>), not through a symbolic link below <paramref name="trustedFolder"/>. Returns the output path.
    /// </summary>
    public static string Plan(string source, string destinationFolder, string? trustedFolder, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destinationFolder);
        if (Directory.Exists(source))
        {
            throw new IExecException(ErrorIds.DatasetFileNotFound,
                $"{source} is a folder; a dataset is a single file (iexec dataset encrypt skips folders too).", source)
            { RecommendedAction = "Archive the folder into one file (Compress-Archive) and encrypt that file." };
        }
        if (!File.Exists(source))
        {
            throw new IExecException(ErrorIds.DatasetFileNotFound, $"The dataset file {source} does not exist.", source);
        }
        var output = Path.GetFullPath(Path.Combine(destinationFolder, Path.GetFileName(source) + ".enc"));
        if (File.Exists(destinationFolder))
        {
            throw new IExecException(ErrorIds.DatasetWriteFailed, $"{destinationFolder} is a file, so the encrypted dataset cannot be written in it.", destinationFolder);
        }
        if (Directory.Exists(output))
        {
            throw new IExecException(ErrorIds.DatasetWriteFailed, $"{output} is a folder, so the encrypted dataset cannot be written there.", output);
        }
        if (File.Exists(output) && !force)
        {
            throw new IExecException(ErrorIds.DatasetWriteFailed, $"{output} already exists; it was left as it was.", output)
            { RecommendedAction = "Give another -Destination, or replace the file (and the vault secret of its key) with -Force." };
        }
        LinkGuard.EnsureNoLink(output, trustedFolder, output, "the encrypted dataset");
        return output;
    }

    /// <summary>
    /// Encrypts <paramref name="source"/> into <paramref name="output"/> under the key whose base64 text is
    /// <paramref name="keyText"/>: into a temporary sibling first, then <paramref name="keepKey"/> runs (it stores the key,
    /// and may throw: then nothing is left), then the file is renamed into place. A file system refusal is
    /// <see cref="ErrorIds.DatasetWriteFailed"/>.
    /// </summary>
    public static ProtectedFile Encrypt(string source, string output, ReadOnlySpan<byte> keyText, Action keepKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keepKey);
        var folder = Path.GetDirectoryName(output)!;
        var partial = Path.Combine(folder, $".{Path.GetFileName(output)}.partial-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            byte[] checksum;
            using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var encrypted = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                checksum = DatasetEncryption.Encrypt(input, keyText, encrypted, cancellationToken);
            }
            keepKey();
            File.Move(partial, output, overwrite: true);
            return new ProtectedFile(source, output, checksum, new FileInfo(output).Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IExecException(ErrorIds.DatasetWriteFailed,
                $"The dataset {source} could not be encrypted to {output}: {e.Message}", output, e);
        }
        finally
        {
            try
            {
                File.Delete(partial);
            }
            catch (IOException)
            {
                // Already renamed into place, or held open by a scanner: a hidden partial file holds ciphertext only.
            }
        }
    }
}
