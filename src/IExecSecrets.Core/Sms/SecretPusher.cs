using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets.Core.Sms;

/// <summary>A secret of a SecretManagement vault, by vault and secret name (both compared ignoring case, as vaults do).</summary>
/// <param name="Vault">The vault name.</param>
/// <param name="Name">The secret name in that vault.</param>
public sealed record VaultSecretRef(string Vault, string Name)
{
    /// <summary>True when both name the same vault secret.</summary>
    public bool SameAs(VaultSecretRef other) =>
        other is not null
        && string.Equals(Vault, other.Vault, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => $"{Vault}/{Name}";
}

/// <summary>
/// The one way a secret value reaches the SMS, for every push cmdlet and for <see cref="Execution.AppRunSession"/>:
/// read → empty check → size check → wallet-key check → push → zero. <see cref="Read"/> runs on the caller's thread
/// (a SecretManagement vault can only be read on the PowerShell pipeline thread) and returns the value as a
/// <see cref="SecretBuffer"/>; <see cref="PushAsync"/> sends it and zeroes it, whatever the outcome.
/// </summary>
/// <remarks>
/// Keys stay keys: the vault secret the wallet was connected from is refused before it is even read, and any value
/// equal to the connected key (its raw bytes or hex text, compared in constant time by <see cref="WalletKey.IsKey"/>)
/// is refused after reading, both with <see cref="ErrorIds.WalletKeyPushRefused"/>, so one such item of a piped batch
/// fails alone and the batch goes on.
/// </remarks>
public sealed class SecretPusher
{
    private readonly VaultSecretRef? _walletSecret;

    /// <summary>
    /// A pusher signing as <paramref name="signer"/>; <paramref name="walletSecret"/> is the vault secret the wallet was
    /// connected from, when it was.
    /// </summary>
    public SecretPusher(IEthSigner signer, VaultSecretRef? walletSecret = null)
    {
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _walletSecret = walletSecret;
    }

    /// <summary>The signer of every push.</summary>
    public IEthSigner Signer { get; }

    /// <summary>
    /// Reads one value with <paramref name="read"/> (a new buffer this pusher owns from then on) and checks it:
    /// not the wallet's vault secret (<paramref name="source"/>, checked before reading), not empty
    /// (<see cref="ErrorIds.EmptySecretValue"/>), at most <see cref="SecretRules.MaxValueBytes"/> bytes
    /// (<see cref="ErrorIds.SecretValueTooLarge"/>), not the connected key (<see cref="ErrorIds.WalletKeyPushRefused"/>).
    /// A refused value is zeroed before the error is thrown. <paramref name="target"/> names the secret in errors.
    /// </summary>
    public SecretBuffer Read(string target, VaultSecretRef? source, Func<byte[]> read)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(read);
        if (source is not null && _walletSecret is not null && source.SameAs(_walletSecret))
        {
            throw KeyRefused(target, $"The vault secret '{source}' is the one the wallet {Signer.Address} was connected from; a wallet key is never pushed as a secret.");
        }

        var value = read();
        try
        {
            SecretRules.EnsureNotEmpty(value, target);
            SecretRules.EnsureValueSize(value, target);
            if (Signer is WalletKey { IsDisposed: false } key && key.IsKey(value))
            {
                throw KeyRefused(target, $"The value of {target} is the private key of the connected wallet {Signer.Address}; a wallet key is never pushed as a secret.");
            }

            return new SecretBuffer(value);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(value);
            throw;
        }
    }

    /// <summary>Sends <paramref name="value"/> with <paramref name="push"/> and zeroes it when the call ends, however it ends.</summary>
    public static async Task<T> PushAsync<T>(SecretBuffer value, Func<ReadOnlyMemory<byte>, CancellationToken, Task<T>> push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(push);
        try
        {
            return await push(value.Memory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            value.Dispose();
        }
    }

    private static IExecException KeyRefused(string target, string message) =>
        new(ErrorIds.WalletKeyPushRefused, message, target)
        {
            RecommendedAction = "Leave the wallet's key out of the batch: mark iExec secrets with SecretManagement metadata "
                + "(Set-SecretInfo -Metadata @{'iexec.kind'='requester'}) and push with -MarkedOnly; nothing was sent for this item.",
        };
}

/// <summary>A secret value in a buffer that is zeroed on <see cref="Dispose"/>; the one owner of those bytes.</summary>
public sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _value;

    internal SecretBuffer(byte[] value)
    {
        _value = value;
    }

    /// <summary>The value; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _value;

    /// <summary>The value's length in bytes.</summary>
    public int Length => _value.Length;

    /// <summary>Zeroes the value. Safe to call more than once.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_value);
}
