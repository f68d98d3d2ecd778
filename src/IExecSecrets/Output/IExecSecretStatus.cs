namespace IExecSecrets.Output;

/// <summary>
/// The answer of a <c>Test-IExec*Secret</c> cmdlet: whether the SMS holds the secret (the CLI's <c>isSet</c>), for
/// whom, and which SMS was asked, since each TEE framework has its own.
/// </summary>
public sealed class IExecSecretStatus
{
    /// <summary>The secret name; <c>1</c> for an app developer secret, the dataset address for a dataset secret.</summary>
    public required string Name { get; init; }

    /// <summary>Which kind of secret was checked.</summary>
    public required IExecSecretKind Kind { get; init; }

    /// <summary>The owner account (requester or web2 owner), EIP-55; null for app and dataset secrets.</summary>
    public string? Owner { get; init; }

    /// <summary>The app or dataset address the secret belongs to, EIP-55; null for requester and web2 secrets.</summary>
    public string? App { get; init; }

    /// <summary>True when the SMS answered that the secret exists.</summary>
    public required bool IsSet { get; init; }

    /// <summary>The SMS that was asked.</summary>
    public required string SmsUrl { get; init; }

    /// <summary>The SMS secret name.</summary>
    public override string ToString() => Name;
}
