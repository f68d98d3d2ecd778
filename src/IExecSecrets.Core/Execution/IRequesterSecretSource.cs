using IExecSecrets.Core.Sms;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// Where the values of a run's requester secrets come from when they must be pushed: a SecretManagement vault for
/// mapped secrets the SMS lacks, and the one-shot values of each input (typed, piped, or vault secret names). Core never
/// sees the caller's value types: it asks the source for bytes, on the thread that called
/// <see cref="AppRunSession.ReadSecrets"/>, and checks and zeroes them through <see cref="SecretPusher"/>.
/// </summary>
public interface IRequesterSecretSource
{
    /// <summary>The vault secret <paramref name="secret"/> would be read from, or null when its value is not in a vault.</summary>
    VaultSecretRef? Origin(SecretToPush secret);

    /// <summary>Reads the value of <paramref name="secret"/> into a new buffer; the caller owns it and zeroes it.</summary>
    byte[] Read(SecretToPush secret);
}

/// <summary>A requester secret a run pushes just before signing.</summary>
/// <param name="Name">The requester secret name on the SMS (a fresh <c>oneshot-…</c> name for a one-shot value).</param>
/// <param name="Slot">The app slot of a one-shot value; null for a mapped secret the SMS lacks.</param>
/// <param name="Value">The caller's handle of a one-shot value; null for a mapped secret, read by its name.</param>
public sealed record SecretToPush(string Name, int? Slot, object? Value)
{
    /// <summary>How errors name it: the slot for a one-shot value (its name is random), else the secret name.</summary>
    public string Target => Slot is { } slot ? $"slot {slot}" : Name;
}
