namespace IExecSecrets.Output;

/// <summary>
/// A wallet as <c>Connect-IExecWallet</c>, <c>Get-IExecWallet</c> and <c>New-IExecWallet</c> report it: the address
/// and where the key lives. It never holds key material.
/// </summary>
public sealed class IExecWallet
{
    /// <summary>The account address, EIP-55 checksummed.</summary>
    public required string Address { get; init; }

    /// <summary>Where the key came from or went to: <c>Keystore</c>, <c>Vault</c> or <c>PrivateKey</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The keystore file, when the key is (or was read from) one; otherwise null.</summary>
    public string? KeystorePath { get; init; }

    /// <summary>The vault and secret name holding the key, when it lives in a SecretManagement vault.</summary>
    public string? VaultSecret { get; init; }

    /// <summary>True when this wallet is the one connected in the current session.</summary>
    public bool IsConnected { get; init; }

    /// <summary>When the wallet was connected; null for a wallet that is only described (not connected).</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    /// <summary>The wallet address; never anything secret.</summary>
    public override string ToString() => Address;
}
