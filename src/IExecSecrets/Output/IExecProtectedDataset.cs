namespace IExecSecrets.Output;

/// <summary>
/// A dataset file encrypted by <c>Protect-IExecDataset</c>: the encrypted file to publish, its checksum (what
/// Deploy-IExecDataset -Checksum takes, by pipeline too), and the vault secret that alone holds its key.
/// </summary>
public sealed class IExecProtectedDataset
{
    /// <summary>The encrypted file (&lt;file&gt;.enc), to upload where workers can download it.</summary>
    public required string Path { get; init; }

    /// <summary>The SHA-256 of the encrypted file, 0x and 64 hex digits: the dataset's on-chain checksum.</summary>
    public required string Checksum { get; init; }

    /// <summary>The size of the encrypted file in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>The clear file that was encrypted (left as it was).</summary>
    public required string SourcePath { get; init; }

    /// <summary>The vault secret holding the key, as vault/name (what Push-IExecDatasetSecret -Vault -VaultSecretName takes).</summary>
    public required string VaultSecret { get; init; }

    /// <summary>The vault holding the key.</summary>
    public required string Vault { get; init; }

    /// <summary>The name of the key's secret in that vault.</summary>
    public required string VaultSecretName { get; init; }

    /// <summary>The encrypted file's path.</summary>
    public override string ToString() => Path;
}
