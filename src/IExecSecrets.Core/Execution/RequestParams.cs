namespace IExecSecrets.Core.Execution;

/// <summary>
/// The validated execution parameters of a request order: the exact <see cref="Json"/> string that is signed and
/// sent, and the values the preflight checks need.
/// </summary>
/// <param name="Json">The params string, byte-identical to what iexec SDK 8.24 builds for the same inputs.</param>
/// <param name="Secrets">The <c>iexec_secrets</c> mapping, slot → requester secret name, ascending.</param>
/// <param name="StorageProvider">The result storage provider (<c>ipfs</c>, <c>dropbox</c>), or null when none applies (callback runs).</param>
/// <param name="EncryptResult">True when <c>iexec_result_encryption</c> is set.</param>
public sealed record RequestParams(
    string Json,
    IReadOnlyList<KeyValuePair<int, string>> Secrets,
    string? StorageProvider,
    bool EncryptResult);
