namespace IExecSecrets.Output;

/// <summary>
/// The outcome of a <c>Push-IExec*Secret</c> for one secret, shaped like the CLI's <c>--raw</c> answer
/// (<c>isPushed</c>, <c>name</c>) plus who owns it, which SMS holds it, and whether the push was reconciled.
/// </summary>
public sealed class IExecSecretPushResult
{
    /// <summary>The secret name; <c>1</c> for an app developer secret, the dataset address for a dataset secret.</summary>
    public required string Name { get; init; }

    /// <summary>Which kind of secret was pushed.</summary>
    public required IExecSecretKind Kind { get; init; }

    /// <summary>The owner account (requester or web2 owner), EIP-55; null for app and dataset secrets.</summary>
    public string? Owner { get; init; }

    /// <summary>The app or dataset address the secret belongs to, EIP-55; null for requester and web2 secrets.</summary>
    public string? App { get; init; }

    /// <summary>True when this call stored the value; false when it was skipped (<c>-SkipExisting</c>).</summary>
    public required bool IsPushed { get; init; }

    /// <summary>True when an existing secret was left as is because of <c>-SkipExisting</c>.</summary>
    public bool Skipped { get; init; }

    /// <summary>True when a web2 secret already existed and was replaced (<c>-Force</c>).</summary>
    public bool Updated { get; init; }

    /// <summary>
    /// True when the outcome was established by checking the SMS after an ambiguous failure (a lost answer to a
    /// push that did reach the SMS), instead of trusting a blind retry.
    /// </summary>
    public bool Reconciled { get; init; }

    /// <summary>The SMS the secret was pushed to.</summary>
    public required string SmsUrl { get; init; }

    /// <summary>What this call did, by name: Pushed, Updated or Skipped (filter with <c>Where-Object Result -eq Pushed</c>).</summary>
    public IExecPushOutcome Result => Skipped ? IExecPushOutcome.Skipped : Updated ? IExecPushOutcome.Updated : IExecPushOutcome.Pushed;

    /// <summary>The SMS secret name.</summary>
    public override string ToString() => Name;
}
