using System.Security;
using IExecSecrets.Core.Execution;
using IExecSecrets.Core.Sms;

namespace IExecSecrets.SecretManagement;

/// <summary>
/// The requester secrets of <c>Invoke-IExecApp</c>, as Core's <see cref="IRequesterSecretSource"/>: a mapped secret the
/// SMS lacks is read from <c>-Vault</c> under its SMS name; a one-shot value is a SecureString (typed, or computed per
/// piped object) or, with <c>-Vault</c>, the name of a vault secret. Read on the pipeline thread, where SecretManagement
/// runs; the bytes go straight to Core's pusher, which checks and zeroes them.
/// </summary>
internal sealed class RunSecretSource(CommandInvocationIntrinsics invokeCommand, string? vault) : IRequesterSecretSource
{
    private readonly VaultSecretReader _reader = new(invokeCommand);

    /// <inheritdoc />
    public VaultSecretRef? Origin(SecretToPush secret) => (secret.Value, vault) switch
    {
        (null, { } v) => new VaultSecretRef(v, secret.Name),
        (string name, { } v) => new VaultSecretRef(v, name),
        _ => null,
    };

    /// <inheritdoc />
    public byte[] Read(SecretToPush secret) => secret.Value switch
    {
        SecureString value => SecureStrings.ToUtf8Bytes(value),
        _ when Origin(secret) is { } origin => _reader.ReadBytes(origin.Name, origin.Vault),
        // Binding accepts nothing else; a new value type must be added here rather than guessed at.
        _ => throw new InvalidOperationException($"No value source for {secret.Target}."),
    };
}
