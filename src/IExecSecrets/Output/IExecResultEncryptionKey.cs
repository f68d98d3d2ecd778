namespace IExecSecrets.Output;

/// <summary>
/// A result encryption key pair made by <c>New-IExecResultEncryptionKey</c>: where its private key lives (a vault secret,
/// nowhere else), its public key, and what was pushed to the SMS. Nothing here is secret.
/// </summary>
public sealed class IExecResultEncryptionKey
{
    /// <summary>The vault secret holding the private key, as vault/name (what -Vault and -VaultSecretName of Save-IExecTaskResult -Decrypt take).</summary>
    public required string VaultSecret { get; init; }

    /// <summary>The vault holding the private key.</summary>
    public required string Vault { get; init; }

    /// <summary>The name of the private key's secret in that vault.</summary>
    public required string VaultSecretName { get; init; }

    /// <summary>The RSA modulus size in bits (4096, as the SDK makes it).</summary>
    public required int KeySize { get; init; }

    /// <summary>The public key, SubjectPublicKeyInfo PEM (what iexec result generate-encryption-keypair writes to &lt;address&gt;_key.pub).</summary>
    public required string PublicKey { get; init; }

    /// <summary>The SMS value of the public key: the base64 of its PEM, as iexec result push-encryption-key sends it.</summary>
    public required string SmsValue { get; init; }

    /// <summary>The web2 secret the public key is pushed as: iexec-result-encryption-public-key.</summary>
    public required string SecretName { get; init; }

    /// <summary>The address the public key was pushed for (the connected wallet, the beneficiary of runs); null without -Push.</summary>
    public string? Owner { get; init; }

    /// <summary>True when the public key was pushed to the SMS.</summary>
    public bool IsPushed { get; init; }

    /// <summary>True when -Force replaced a public key the SMS already held for that address.</summary>
    public bool Updated { get; init; }

    /// <summary>The SMS pushed to (scheme, host and port), or null without -Push.</summary>
    public string? SmsUrl { get; init; }

    /// <summary>The vault secret (vault/name).</summary>
    public override string ToString() => VaultSecret;
}
