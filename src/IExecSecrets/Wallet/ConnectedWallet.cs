using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Sms;

namespace IExecSecrets;

/// <summary>
/// A connected signer with where it came from. Disposing it disposes the signer when the signer owns key material
/// (a wallet key zeroes its private key), after which it must not sign again.
/// </summary>
public sealed class ConnectedWallet : IDisposable
{
    /// <summary>
    /// Wraps <paramref name="signer"/>, recording its origin for <c>Get-IExecWallet</c> and, for a key read from a vault,
    /// the vault secret (<paramref name="vaultSecret"/>), which no push may then read as a secret value.
    /// </summary>
    public ConnectedWallet(IEthSigner signer, string source, string? keystorePath, DateTimeOffset connectedAt, VaultSecretRef? vaultSecret = null)
    {
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
        Address = signer.Address;
        Source = source;
        KeystorePath = keystorePath;
        ConnectedAt = connectedAt;
        VaultSecret = vaultSecret;
    }

    /// <summary>The signer SMS pushes and transactions use.</summary>
    public IEthSigner Signer { get; }

    /// <summary>The account address, kept readable after the key is disposed.</summary>
    public EthAddress Address { get; }

    /// <summary>How the wallet was connected: <c>Keystore</c>, <c>Vault</c> or <c>PrivateKey</c>.</summary>
    public string Source { get; }

    /// <summary>The keystore file the key was decrypted from, when it came from one.</summary>
    public string? KeystorePath { get; }

    /// <summary>The vault secret the key was read from (Connect-IExecWallet -Vault, New-IExecWallet -Vault -Connect), or null.</summary>
    public VaultSecretRef? VaultSecret { get; }

    /// <summary>When the wallet was connected.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Disposes the signer (zeroing its key) once.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        (Signer as IDisposable)?.Dispose();
    }
}
