namespace IExecSecrets.Core.Sms;

/// <summary>
/// What a successful push did. <see cref="Reconciled"/> is true when an attempt failed ambiguously (server error,
/// reset, timeout) and the client established from the SMS's own state that the secret is stored, rather than from a
/// 2xx answer.
/// </summary>
/// <param name="Kind">Which kind of secret was pushed.</param>
/// <param name="Address">The owner (requester, web2 owner) or the resource (app, dataset) the secret belongs to.</param>
/// <param name="Name">The secret name for requester and web2 secrets; null for app and web3 secrets.</param>
/// <param name="Reconciled">True when success was read back from the SMS after an ambiguous failure.</param>
/// <param name="Attempts">How many write requests were sent (1 when the first one was answered).</param>
public sealed record SmsPushResult(SmsSecretKind Kind, EthAddress Address, string? Name, bool Reconciled, int Attempts);
