using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Secrets;

/// <summary>
/// The SMS's acceptance rules for secret names and values, checked on the client so bad input fails with a precise
/// error before any request is sent (the SDK leaves this to the SMS, whose answer is a bare "400 Bad Request").
/// </summary>
public static partial class SecretRules
{
    /// <summary>The largest value the SMS stores, in UTF-8 bytes (iexec-sms <c>SecretUtils.SECRET_MAX_SIZE</c>).</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>The longest requester secret name the SMS accepts.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The web2 secret the SMS reads the task result encryption public key from.</summary>
    public const string ResultEncryptionPublicKeyName = "iexec-result-encryption-public-key";

    /// <summary>The web2 secret holding the Dropbox token results are uploaded with.</summary>
    public const string ResultDropboxTokenName = "iexec-result-dropbox-token";

    /// <summary>The web2 secret holding the result-proxy (IPFS) token results are uploaded with.</summary>
    public const string ResultIpfsTokenName = "iexec-result-iexec-ipfs-token";

    /// <summary>Web2 secret names that the workers interpret; a generic web2 push should not pick one of these by accident.</summary>
    public static IReadOnlyList<string> ReservedWeb2Names { get; } =
        [ResultEncryptionPublicKeyName, ResultDropboxTokenName, ResultIpfsTokenName];

    // \z rather than $: '$' would also match before a trailing newline and let "x1\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>True when <paramref name="name"/> is 1 to 64 ASCII letters, digits, <c>_</c> or <c>-</c> (case is kept).</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>Throws <see cref="ErrorIds.InvalidSecretName"/> unless <paramref name="name"/> is a valid requester secret name.</summary>
    public static void EnsureValidName(string? name)
    {
        if (IsValidName(name)) return;
        throw new IExecException(
            ErrorIds.InvalidSecretName,
            $"Secret name \"{name}\" is invalid: use 1 to {MaxNameLength} characters from [A-Za-z0-9_-].",
            name)
        { RecommendedAction = "Rename the secret using only letters, digits, '-' and '_'." };
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.InvalidSecretName"/> for an empty web2 name. The SMS has no pattern for web2 names and
    /// lower-cases them, so anything else is accepted.
    /// </summary>
    public static void EnsureValidWeb2Name(string? name)
    {
        if (!string.IsNullOrEmpty(name)) return;
        throw new IExecException(ErrorIds.InvalidSecretName, "A web2 secret name cannot be empty.", name);
    }

    /// <summary>True when <paramref name="name"/> is one of <see cref="ReservedWeb2Names"/>, compared as the SMS does (case-insensitively).</summary>
    public static bool IsReservedWeb2Name(string? name) =>
        name is not null && ReservedWeb2Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Throws <see cref="ErrorIds.EmptySecretValue"/> (<see cref="IExecErrorCategory.InvalidArgument"/>) for an empty
    /// value. An empty secret is almost always Enter pressed at a prompt, an unset variable or an empty vault entry, and
    /// requester, app and dataset secrets are write-once: refusing it keeps the name free for the real value.
    /// </summary>
    public static void EnsureNotEmpty(ReadOnlySpan<byte> valueUtf8, string target)
    {
        if (valueUtf8.Length > 0) return;
        throw new IExecException(ErrorIds.EmptySecretValue, $"The value given for {target} is empty.", target)
        {
            RecommendedAction = "Pass a non-empty value with -Value or -SecretValue, or fix the vault secret; nothing was sent.",
        };
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.SecretValueTooLarge"/> (<see cref="IExecErrorCategory.LimitsExceeded"/>) when the value
    /// is over <see cref="MaxValueBytes"/> bytes. The message names <paramref name="target"/> and the sizes, never the value.
    /// </summary>
    public static void EnsureValueSize(ReadOnlySpan<byte> valueUtf8, string target)
    {
        if (valueUtf8.Length <= MaxValueBytes) return;
        throw new IExecException(
            ErrorIds.SecretValueTooLarge,
            $"Secret value for {target} is {valueUtf8.Length} bytes; the SMS accepts at most {MaxValueBytes} bytes (UTF-8).",
            target);
    }
}
