namespace IExecSecrets.Core.Wallet;

/// <summary>
/// Knobs for <see cref="KeystoreV3.Encrypt"/>. The defaults are what ethers v6 (and so the iexec CLI) writes:
/// scrypt n = 131072, r = 8, p = 1 with a random salt, IV and UUID. Tests lower <see cref="ScryptN"/> and fix the
/// random parts to get reproducible files; production code should leave them alone.
/// </summary>
public sealed class KeystoreEncryptionOptions
{
    /// <summary>scrypt cost (a power of two, at least 2). Each doubling doubles the time and memory (128·r·n bytes).</summary>
    public int ScryptN { get; init; } = 131072;

    /// <summary>scrypt block size.</summary>
    public int ScryptR { get; init; } = 8;

    /// <summary>scrypt parallelisation.</summary>
    public int ScryptP { get; init; } = 1;

    /// <summary>A fixed 32-byte salt; null draws one from the CSPRNG.</summary>
    public byte[]? Salt { get; init; }

    /// <summary>A fixed 16-byte AES-CTR initial counter; null draws one from the CSPRNG.</summary>
    public byte[]? Iv { get; init; }

    /// <summary>16 fixed bytes for the <c>id</c> UUID (version and variant bits are forced to v4, as ethers does); null draws them.</summary>
    public byte[]? UuidBytes { get; init; }
}
