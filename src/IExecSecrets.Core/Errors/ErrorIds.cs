// The ids and categories are self-describing names; a summary on each would only repeat it.
#pragma warning disable CS1591
namespace IExecSecrets.Core.Errors;

/// <summary>
/// The stable error ids, in one place so a typo cannot split one condition into two ids. Tests assert on these.
/// Add new ids here rather than writing string literals at throw sites.
/// </summary>
public static class ErrorIds
{
    // input validation (raised before any network call)
    public const string InvalidAddress = nameof(InvalidAddress);
    public const string InvalidSecretName = nameof(InvalidSecretName);
    public const string SecretValueTooLarge = nameof(SecretValueTooLarge);
    public const string UnknownTeeFramework = nameof(UnknownTeeFramework);
    public const string InvalidPrivateKey = nameof(InvalidPrivateKey);
    public const string InsecureSmsUrl = nameof(InsecureSmsUrl);

    // wallet
    public const string WalletNotConnected = nameof(WalletNotConnected);
    public const string WalletNotFound = nameof(WalletNotFound);
    public const string KeystoreDirectoryNotFound = nameof(KeystoreDirectoryNotFound);
    public const string WrongKeystorePassword = nameof(WrongKeystorePassword);
    public const string InvalidKeystore = nameof(InvalidKeystore);
    public const string KeystoreWriteFailed = nameof(KeystoreWriteFailed);

    // configuration and project files
    public const string InvalidChainConfig = nameof(InvalidChainConfig);
    public const string ChainNotFound = nameof(ChainNotFound);
    public const string ChainConfigNotFound = nameof(ChainConfigNotFound);
    public const string MissingSmsUrl = nameof(MissingSmsUrl);
    public const string MissingRpcHost = nameof(MissingRpcHost);
    public const string ProjectFileNotFound = nameof(ProjectFileNotFound);
    public const string InvalidProjectFile = nameof(InvalidProjectFile);
    public const string AppNotInDeployedJson = nameof(AppNotInDeployedJson);

    // SMS
    public const string SecretAlreadyExists = nameof(SecretAlreadyExists);
    public const string SecretNotFound = nameof(SecretNotFound);
    public const string SmsNotAuthorized = nameof(SmsNotAuthorized);
    public const string SmsBadRequest = nameof(SmsBadRequest);
    public const string SmsPayloadTooLarge = nameof(SmsPayloadTooLarge);
    public const string SmsServerError = nameof(SmsServerError);
    public const string SmsUnreachable = nameof(SmsUnreachable);
    public const string SmsTimeout = nameof(SmsTimeout);
    public const string SmsUnexpectedStatus = nameof(SmsUnexpectedStatus);

    // chain
    public const string RpcUnreachable = nameof(RpcUnreachable);
    public const string RpcError = nameof(RpcError);
    public const string ChainIdMismatch = nameof(ChainIdMismatch);
    public const string TransactionReverted = nameof(TransactionReverted);
    public const string AppAlreadyDeployed = nameof(AppAlreadyDeployed);
    public const string AppNotDeployed = nameof(AppNotDeployed);
    public const string InvalidAppDefinition = nameof(InvalidAppDefinition);

    // SecretManagement bridge
    public const string SecretManagementNotInstalled = nameof(SecretManagementNotInstalled);
    public const string VaultSecretNotFound = nameof(VaultSecretNotFound);
    public const string VaultSecretUnsupportedType = nameof(VaultSecretUnsupportedType);

    // module: vault reads and wallet sessions
    public const string VaultReadFailed = nameof(VaultReadFailed);
    public const string VaultWriteFailed = nameof(VaultWriteFailed);
    public const string InvalidVaultWallet = nameof(InvalidVaultWallet);
    public const string MissingSecretValue = nameof(MissingSecretValue);
    public const string WalletAlreadyExists = nameof(WalletAlreadyExists);

    // orders and typed data
    public const string InvalidTag = nameof(InvalidTag);
    public const string InvalidTypedDataValue = nameof(InvalidTypedDataValue);

    // SMS client configuration
    public const string InvalidSmsUrl = nameof(InvalidSmsUrl);

    // project files and apps
    public const string ProjectFileExists = nameof(ProjectFileExists);

    // TEE image build (Docker, sconify) and local enclave runs
    public const string DockerEngineUnavailable = nameof(DockerEngineUnavailable);
    public const string BuildContextNotFound = nameof(BuildContextNotFound);
    public const string DockerfileNotFound = nameof(DockerfileNotFound);
    public const string InvalidImageReference = nameof(InvalidImageReference);
    public const string EnclaveLanguageUnknown = nameof(EnclaveLanguageUnknown);
    public const string SignerKeyNotFound = nameof(SignerKeyNotFound);
    public const string InvalidSconifySettings = nameof(InvalidSconifySettings);
    public const string ImageBuildFailed = nameof(ImageBuildFailed);
    public const string SconifyFailed = nameof(SconifyFailed);
    public const string InvalidFingerprint = nameof(InvalidFingerprint);
    public const string RegistryUnreachable = nameof(RegistryUnreachable);
    public const string RegistryAuthenticationFailed = nameof(RegistryAuthenticationFailed);
    public const string ImagePushFailed = nameof(ImagePushFailed);
    public const string InvalidRequesterSecretIndex = nameof(InvalidRequesterSecretIndex);
    public const string EnclaveRuntimeNotFound = nameof(EnclaveRuntimeNotFound);
    public const string EnclaveAppFailed = nameof(EnclaveAppFailed);

    // app runs: orders, market, preflight, deals, tasks and results
    public const string InvalidSecretMapping = nameof(InvalidSecretMapping);
    public const string InvalidSecretMappingKey = nameof(InvalidSecretMappingKey);
    public const string SecretsRequireTeeTag = nameof(SecretsRequireTeeTag);
    public const string InvalidStorageProvider = nameof(InvalidStorageProvider);
    public const string InvalidInputFile = nameof(InvalidInputFile);
    public const string InvalidRequestParams = nameof(InvalidRequestParams);
    public const string AppTagMismatch = nameof(AppTagMismatch);
    public const string RequesterSecretMissing = nameof(RequesterSecretMissing);
    public const string ResultEncryptionKeyMissing = nameof(ResultEncryptionKeyMissing);
    public const string DropboxTokenMissing = nameof(DropboxTokenMissing);
    public const string NoAppOrder = nameof(NoAppOrder);
    public const string NoWorkerpoolOrder = nameof(NoWorkerpoolOrder);
    public const string NoDatasetOrder = nameof(NoDatasetOrder);
    public const string WorkerpoolNotDeployed = nameof(WorkerpoolNotDeployed);
    public const string DatasetNotDeployed = nameof(DatasetNotDeployed);
    public const string MissingMarketUrl = nameof(MissingMarketUrl);
    public const string MarketUnreachable = nameof(MarketUnreachable);
    public const string MarketError = nameof(MarketError);
    public const string EnsNameNotResolved = nameof(EnsNameNotResolved);
    public const string InsufficientStake = nameof(InsufficientStake);
    public const string OrdersNotMatched = nameof(OrdersNotMatched);
    public const string DealNotFound = nameof(DealNotFound);
    public const string InvalidDealId = nameof(InvalidDealId);
    public const string InvalidTaskId = nameof(InvalidTaskId);
    public const string TaskNotCompleted = nameof(TaskNotCompleted);
    public const string NoTaskResult = nameof(NoTaskResult);
    public const string ResultStorageUnsupported = nameof(ResultStorageUnsupported);
    public const string ResultDownloadFailed = nameof(ResultDownloadFailed);
    public const string MissingIpfsGateway = nameof(MissingIpfsGateway);
    public const string TaskRunFailed = nameof(TaskRunFailed);

    // app secrets: the TEE framework read from the app on chain
    public const string AppTeeFrameworkUnresolved = nameof(AppTeeFrameworkUnresolved);

    // Build-IExecTeeImage: a registry login given twice, half given, or read from a vault secret that is not a PSCredential
    public const string InvalidRegistryCredential = nameof(InvalidRegistryCredential);

    // Invoke-IExecApp, TDX runs (SDK 9 rule): an app with an mrenclave is refused
    public const string AppMrEnclaveNotSupported = nameof(AppMrEnclaveNotSupported);

    // transport and downloads: URL policy, redirects, answer and download caps, result hosts, Docker endpoints
    public const string InsecureRpcUrl = nameof(InsecureRpcUrl);
    public const string InsecureMarketUrl = nameof(InsecureMarketUrl);
    public const string InsecureGatewayUrl = nameof(InsecureGatewayUrl);
    public const string InsecureDockerEndpoint = nameof(InsecureDockerEndpoint);
    public const string UnexpectedRedirect = nameof(UnexpectedRedirect);
    public const string ResponseTooLarge = nameof(ResponseTooLarge);
    public const string ResultHostNotAllowed = nameof(ResultHostNotAllowed);
    public const string ResultTooLarge = nameof(ResultTooLarge);
    public const string ResultArchiveTooManyEntries = nameof(ResultArchiveTooManyEntries);
    public const string ResultArchiveEntryTooLarge = nameof(ResultArchiveEntryTooLarge);
    public const string ResultArchiveTooLarge = nameof(ResultArchiveTooLarge);
    public const string ResultArchiveRatioTooHigh = nameof(ResultArchiveRatioTooHigh);
    public const string ResultArchiveLinkEntry = nameof(ResultArchiveLinkEntry);
    // local runs and images
    // Invoke-IExecEnclaveApp: an added environment variable with a bad or IEXEC_ name, or given twice
    public const string InvalidEnclaveEnvironment = nameof(InvalidEnclaveEnvironment);
    // .dockerignore: a pattern Docker would refuse (bad [...] class, lone '!', trailing '\') or one whose Docker meaning this module does not reproduce
    public const string InvalidDockerIgnore = nameof(InvalidDockerIgnore);
    // market orders: every market order is checked before anything is signed; market challenges are signed only when
    // they are iexec-market-api's own; the hub's EIP-712 domain must be the profile's chain and hub
    public const string NoAcceptableOrder = nameof(NoAcceptableOrder);
    public const string InvalidMarketChallenge = nameof(InvalidMarketChallenge);
    public const string MarketAuthorizationRefused = nameof(MarketAuthorizationRefused);
    public const string HubDomainMismatch = nameof(HubDomainMismatch);
    public const string OrdersNotSigned = nameof(OrdersNotSigned);
    // PowerShell manners: empty values, vault states of the real SecretManagement, bounded waits, result paths
    public const string EmptySecretValue = nameof(EmptySecretValue);
    public const string VaultNotFound = nameof(VaultNotFound);
    public const string VaultLocked = nameof(VaultLocked);
    public const string VaultPasswordIncorrect = nameof(VaultPasswordIncorrect);
    public const string WaitTimeout = nameof(WaitTimeout);
    public const string ResultWriteFailed = nameof(ResultWriteFailed);
    public const string RequesterRequired = nameof(RequesterRequired);

    // TDX and images
    // a pull of an app image failed for another reason than login or reachability (the devnet worker)
    public const string ImagePullFailed = nameof(ImagePullFailed);
    // a scone or gramine tag on a chain whose runs are TDX (SDK 9: "Unsupported legacy TEE framework tag")
    public const string LegacyTeeFrameworkTag = nameof(LegacyTeeFrameworkTag);
    // Build-IExecTeeImage -TeeFramework tdx with an option that only sconify uses (signer key, sconify image)
    public const string SconifyOptionNotApplicable = nameof(SconifyOptionNotApplicable);
    // Build-IExecTeeImage -TeeFramework gramine: only scone and tdx images are built
    public const string UnsupportedTeeFramework = nameof(UnsupportedTeeFramework);

    // task logs (Get-IExecTaskLog) and saved defaults (Set-IExecConfiguration)
    public const string HostileChallenge = nameof(HostileChallenge);
    public const string InsecureWorkerpoolApiUrl = nameof(InsecureWorkerpoolApiUrl);
    public const string WorkerpoolApiNotFound = nameof(WorkerpoolApiNotFound);
    public const string InvalidWorkerpoolApiUrl = nameof(InvalidWorkerpoolApiUrl);
    public const string WorkerpoolApiPinMismatch = nameof(WorkerpoolApiPinMismatch);
    public const string WorkerpoolApiError = nameof(WorkerpoolApiError);
    public const string NotTaskRequester = nameof(NotTaskRequester);
    public const string TaskNotInitialized = nameof(TaskNotInitialized);
    public const string InvalidConfiguration = nameof(InvalidConfiguration);
    public const string InvalidConfigurationValue = nameof(InvalidConfigurationValue);
    public const string InvalidSecretValue = nameof(InvalidSecretValue);

    // keys stay keys, the folder does not choose the app: the connected wallet's key (its vault secret, or any value
    // equal to it) is never pushed; a vault secret marked for another kind (iexec.kind) is not pushed as this one; an app
    // taken from deployed.json runs only when the connected wallet owns it on chain
    public const string WalletKeyPushRefused = nameof(WalletKeyPushRefused);
    public const string SecretKindMismatch = nameof(SecretKindMismatch);
    public const string DeployedAppNotOwned = nameof(DeployedAppNotOwned);

    // money and ownership: fee caps, honest transaction outcomes, order cancels, deploy proofs (issue 18)
    public const string InvalidFeeCap = nameof(InvalidFeeCap);
    public const string FeeAboveCap = nameof(FeeAboveCap);
    public const string GasAboveCeiling = nameof(GasAboveCeiling);
    public const string NonceGap = nameof(NonceGap);
    public const string TransactionPending = nameof(TransactionPending);
    public const string TransactionReplaced = nameof(TransactionReplaced);
    public const string InvalidOrder = nameof(InvalidOrder);
    public const string OrderNotOwned = nameof(OrderNotOwned);
    public const string ForeignAppOwner = nameof(ForeignAppOwner);
    public const string AppDeploymentUnverified = nameof(AppDeploymentUnverified);

    // encrypted results and datasets (issue 16): key pairs and keys kept in a vault, archives decrypted on save, datasets
    // encrypted, deployed, ordered and provisioned
    // a result encryption public key (PEM, or the base64 of its PEM as the SMS holds it) that is not an RSA SubjectPublicKeyInfo key
    public const string InvalidResultEncryptionKey = nameof(InvalidResultEncryptionKey);
    // a decryption key (the vault secret or -DecryptionKey) that is not an unencrypted RSA private key in PEM
    public const string InvalidDecryptionKey = nameof(InvalidDecryptionKey);
    // an encrypted result that cannot be opened: missing entries, a key that does not fit, a tampered or truncated archive
    public const string ResultDecryptionFailed = nameof(ResultDecryptionFailed);
    // Protect-IExecDataset: the file to encrypt is missing, a folder, or the output is taken or cannot be written
    public const string DatasetFileNotFound = nameof(DatasetFileNotFound);
    public const string DatasetWriteFailed = nameof(DatasetWriteFailed);
    // a dataset key (vault secret, SMS value) that is not the base64 of 32 bytes
    public const string InvalidDatasetKey = nameof(InvalidDatasetKey);
    // datasets on chain: validation (iexec.json dataset section or parameters), deploys proven like apps, deployed.json
    public const string InvalidDatasetDefinition = nameof(InvalidDatasetDefinition);
    public const string DatasetAlreadyDeployed = nameof(DatasetAlreadyDeployed);
    public const string DatasetDeploymentUnverified = nameof(DatasetDeploymentUnverified);
    public const string ForeignDatasetOwner = nameof(ForeignDatasetOwner);
    public const string DatasetNotInDeployedJson = nameof(DatasetNotInDeployedJson);
    // a TEE run or dataset order whose dataset key is not on the SMS (the SDK's "Dataset decryption will fail")
    public const string DatasetSecretMissing = nameof(DatasetSecretMissing);
    // a key this module makes (result decryption key, dataset key) would replace a vault secret of the same name
    public const string VaultSecretExists = nameof(VaultSecretExists);
    // Publish-IExecDatasetOrder with a wallet that does not own the dataset on chain
    public const string DatasetNotOwned = nameof(DatasetNotOwned);

    // day two (issue 16 item 8): claims, market unpublish, the escrow account
    // a claim before the task's or deal's final deadline (chain time); a task already FAILED (claimed) or COMPLETED
    public const string ClaimTooEarly = nameof(ClaimTooEarly);
    public const string TaskAlreadyClaimed = nameof(TaskAlreadyClaimed);
    public const string TaskAlreadyCompleted = nameof(TaskAlreadyCompleted);
    public const string NothingToClaim = nameof(NothingToClaim);
    // a mined claim, deposit or withdraw whose receipt lacks the hub's events for it (TaskClaimed, Transfer)
    public const string ClaimUnconfirmed = nameof(ClaimUnconfirmed);
    public const string StakeChangeUnconfirmed = nameof(StakeChangeUnconfirmed);
    public const string InvalidAmount = nameof(InvalidAmount);
    public const string InsufficientWalletBalance = nameof(InsufficientWalletBalance);
    public const string InsufficientAccountStake = nameof(InsufficientAccountStake);
    // chain.json says native (or token) and the hub's token() says otherwise
    public const string EscrowModeMismatch = nameof(EscrowModeMismatch);
    // the market refused an unpublish, or answered it with other order hashes than the one asked for
    public const string UnpublishRefused = nameof(UnpublishRefused);
    public const string UnpublishUnconfirmed = nameof(UnpublishUnconfirmed);

    // split off (issue 14 item 4) where one id covered conditions a script tells apart: a workerpool API that cannot be
    // reached, does not answer in time, or refuses (WorkerpoolApiError keeps its wrong answers); a downloaded result that is
    // not a zip or escapes its folder; a path through a symbolic link (any file the module writes); saved defaults that
    // cannot be written; a Docker address that is not one; a sconify image missing from the engine; an -Owner that
    // contradicts iexec.json
    public const string WorkerpoolApiUnreachable = nameof(WorkerpoolApiUnreachable);
    public const string WorkerpoolApiTimeout = nameof(WorkerpoolApiTimeout);
    public const string WorkerpoolApiRefused = nameof(WorkerpoolApiRefused);
    public const string ResultArchiveInvalid = nameof(ResultArchiveInvalid);
    public const string SymbolicLinkRefused = nameof(SymbolicLinkRefused);
    public const string ConfigurationWriteFailed = nameof(ConfigurationWriteFailed);
    public const string InvalidDockerEndpoint = nameof(InvalidDockerEndpoint);
    public const string SconifyImageNotFound = nameof(SconifyImageNotFound);
    public const string ConflictingOwner = nameof(ConflictingOwner);

    // the docker CLI's own files when they choose the engine (issue 15 item 6): a current context with no folder of that
    // name, and a config.json or context meta.json that cannot be read as the CLI writes it
    public const string DockerContextNotFound = nameof(DockerContextNotFound);
    public const string DockerContextInvalid = nameof(DockerContextInvalid);
}
