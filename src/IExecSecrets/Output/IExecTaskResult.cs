namespace IExecSecrets.Output;

/// <summary>A saved task result: the zip written by <c>Save-IExecTaskResult</c> and, with <c>-Expand</c>, the folder it was expanded to.</summary>
public sealed class IExecTaskResult
{
    /// <summary>The task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The full path of the saved zip archive.</summary>
    public required string Path { get; init; }

    /// <summary>The archive size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>The folder the archive was expanded into, or null without -Expand.</summary>
    public string? ExpandedPath { get; init; }

    /// <summary>
    /// True when the task's result was published encrypted for the beneficiary (iexec_result_encryption): without
    /// -Decrypt, <see cref="Path"/> is that encrypted archive (aes-key.rsa and iexec_out.zip.aes).
    /// </summary>
    public bool IsEncrypted { get; init; }

    /// <summary>True when the encrypted result was decrypted: <see cref="Path"/> is then the plain result archive.</summary>
    public bool Decrypted { get; init; }

    /// <summary>Where the archive was downloaded from: scheme, host and port only (never a path, query or credentials).</summary>
    public required string SourceUrl { get; init; }

    /// <summary>The saved zip file, like FileInfo (so "$result" can be passed to Expand-Archive).</summary>
    public override string ToString() => Path;
}
