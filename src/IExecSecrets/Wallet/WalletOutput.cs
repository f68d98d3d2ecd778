namespace IExecSecrets;

/// <summary>Describes a connected wallet as the public <see cref="IExecWallet"/> output, never with key material.</summary>
internal static class WalletOutput
{
    /// <summary>
    /// The output object for <paramref name="wallet"/>; <paramref name="vaultSecret"/> is <c>vault/name</c> when it came
    /// from a vault, else the vault secret the session recorded, so Get-IExecWallet and Connect-IExecWallet emit the
    /// same properties with the same values.
    /// </summary>
    public static IExecWallet Describe(ConnectedWallet wallet, string? vaultSecret = null) => new()
    {
        Address = wallet.Address.ToString(),
        Source = wallet.Source,
        KeystorePath = wallet.KeystorePath,
        VaultSecret = vaultSecret ?? (wallet.VaultSecret is { } secret ? $"{secret.Vault}/{secret.Name}" : null),
        IsConnected = !wallet.IsDisposed,
        ConnectedAt = wallet.ConnectedAt,
    };
}
