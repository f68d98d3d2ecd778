using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The outcome of the run preflight: the TEE framework the tag selects and the app declares, and what is missing on
/// the SMS of that framework. <see cref="ThrowIfFailed"/> turns it into the SDK's messages, each with its own id.
/// </summary>
public sealed record PreflightReport
{
    /// <summary>False when the checks were skipped.</summary>
    public bool Performed { get; init; }

    /// <summary>The framework the combined tag selects (scone, then tdx, then gramine), or null for none.</summary>
    public TeeFramework? TagFramework { get; init; }

    /// <summary>The framework of the app's mrenclave, or null when it has none (non-TEE or TDX app).</summary>
    public TeeFramework? AppFramework { get; init; }

    /// <summary>True when the app's framework does not fit the tag.</summary>
    public bool TagMismatch { get; init; }

    /// <summary>The SMS the checks asked, or null when no SMS check was needed.</summary>
    public string? SmsUrl { get; init; }

    /// <summary>The framework whose SMS was asked.</summary>
    public TeeFramework? SmsFramework { get; init; }

    /// <summary>Mapped requester secret names the SMS does not have for the requester.</summary>
    public IReadOnlyList<string> MissingRequesterSecrets { get; init; } = [];

    /// <summary>True when result encryption is asked but the beneficiary has no public key on the SMS.</summary>
    public bool MissingEncryptionKey { get; init; }

    /// <summary>True when dropbox storage is asked but the requester has no dropbox token on the SMS.</summary>
    public bool MissingDropboxToken { get; init; }

    /// <summary>True when a TEE run uses a dataset whose key (web3 secret) the SMS does not hold.</summary>
    public bool MissingDatasetSecret { get; init; }

    /// <summary>The dataset whose key was checked, or empty.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>The requester the secrets were checked for.</summary>
    public string Requester { get; init; } = "";

    /// <summary>The beneficiary the encryption key was checked for.</summary>
    public string Beneficiary { get; init; } = "";

    /// <summary>Throws the first failed check: the tag mismatch, then missing secrets, the key, the token, the dataset key.</summary>
    public void ThrowIfFailed()
    {
        const string skipHint = " (If you consider this is not an issue, use -SkipPreflightCheck to skip preflight requirement check)";
        if (TagMismatch)
        {
            throw new IExecException(ErrorIds.AppTagMismatch,
                "App requirements check failed: Tag mismatch the TEE framework specified by app" + skipHint, AppFramework?.ToWireName())
            {
                RecommendedAction = AppFramework is { } framework
                    ? $"The app is a {framework.ToWireName()} app: run it with -Tag tee,{framework.ToWireName()}."
                    : "The app declares no TEE framework: run it with -Tag tee,tdx or without a TEE tag.",
            };
        }
        if (MissingRequesterSecrets.Count > 0)
        {
            var name = MissingRequesterSecrets[0];
            throw new IExecException(ErrorIds.RequesterSecretMissing,
                $"Request requirements check failed: Requester secret \"{name}\" is not set for requester {Requester} in the SMS. Requester secret provisioning will fail." + skipHint, name)
            {
                RecommendedAction = $"Push it first with Push-IExecRequesterSecret -Name {name} (to the {SmsFramework?.ToWireName()} SMS {SmsUrl}), or pass -Vault to Invoke-IExecApp to push missing secrets from a SecretManagement vault.",
            };
        }
        if (MissingEncryptionKey)
        {
            throw new IExecException(ErrorIds.ResultEncryptionKeyMissing,
                $"Request requirements check failed: Beneficiary result encryption key is not set for beneficiary {Beneficiary} in the SMS. Result encryption will fail." + skipHint, Beneficiary)
            {
                RecommendedAction = $"Connected as the beneficiary {Beneficiary}, make a key pair whose private key stays in a vault and push its public key "
                    + $"(the web2 secret iexec-result-encryption-public-key) to the {SmsFramework?.ToWireName()} SMS {SmsUrl}: "
                    + "New-IExecResultEncryptionKey -Vault <vault> -VaultSecretName <name> -Push. Then run again with -EncryptResult.",
            };
        }
        if (MissingDropboxToken)
        {
            throw new IExecException(ErrorIds.DropboxTokenMissing,
                $"Request requirements check failed: Requester storage token is not set for selected provider \"dropbox\". Result archive upload will fail." + skipHint, Requester)
            { RecommendedAction = "Push the dropbox token as the web2 secret iexec-result-dropbox-token." };
        }
        if (MissingDatasetSecret)
        {
            throw new IExecException(ErrorIds.DatasetSecretMissing,
                $"Request requirements check failed: Dataset encryption key is not set for dataset {Dataset} in the SMS. Dataset decryption will fail." + skipHint, Dataset)
            {
                RecommendedAction = $"The dataset owner pushes its key first: Push-IExecDatasetSecret {Dataset} -Vault <vault> -VaultSecretName <key name> (to the {SmsFramework?.ToWireName()} SMS {SmsUrl}).",
            };
        }
    }
}
