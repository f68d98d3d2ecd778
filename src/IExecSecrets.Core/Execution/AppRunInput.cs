namespace IExecSecrets.Core.Execution;

/// <summary>
/// One run as the command line (or a piped object) gives it, before any check: addresses as text (an address or an
/// ENS name ending in <c>.eth</c>), the tag already parsed, the secret mapping already parsed into slots, and one-shot
/// values as the caller's own handles, which only the caller's <see cref="IRequesterSecretSource"/> can read.
/// <see cref="AppRunSession.Check"/> validates it once, without any network call.
/// </summary>
public sealed record AppRunInput
{
    /// <summary>The app: an address or ENS name; null for the app recorded in deployed.json of <see cref="ProjectDirectory"/>.</summary>
    public string? App { get; init; }

    /// <summary>The folder whose deployed.json names the app when <see cref="App"/> is null (the current folder).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The workerpool (address or ENS name); null for any pool from the market.</summary>
    public string? Workerpool { get; init; }

    /// <summary>The dataset (address or ENS name); null for none.</summary>
    public string? Dataset { get; init; }

    /// <summary>Who receives the result (address or ENS name); null for the requester.</summary>
    public string? Beneficiary { get; init; }

    /// <summary>The callback contract (address or ENS name); null for none.</summary>
    public string? Callback { get; init; }

    /// <summary>The tag the user gave (32 bytes), or null for none; <see cref="RunTags.ResolveRunTag"/> makes the run tag of it.</summary>
    public byte[]? Tag { get; init; }

    /// <summary>The category; null for the SDK's category loop from 0.</summary>
    public long? Category { get; init; }

    /// <summary>The trust level.</summary>
    public long Trust { get; init; }

    /// <summary>The most paid to the app owner per task, in nRLC.</summary>
    public long AppMaxPrice { get; init; }

    /// <summary>The most paid to the dataset owner per task, in nRLC.</summary>
    public long DatasetMaxPrice { get; init; }

    /// <summary>The most paid to the workerpool per task, in nRLC.</summary>
    public long WorkerpoolMaxPrice { get; init; }

    /// <summary>True to skip the app framework and SMS checks.</summary>
    public bool SkipPreflight { get; init; }

    /// <summary>Slot → requester secret name on the SMS, parsed by <see cref="SecretMapping"/>.</summary>
    public IReadOnlyList<KeyValuePair<int, string>> Secrets { get; init; } = [];

    /// <summary>One-shot values, by slot: each gets a fresh name and is pushed just before signing.</summary>
    public IReadOnlyList<OneShotInput> OneShots { get; init; } = [];

    /// <summary>
    /// True when the caller's secret source can supply mapped secrets the SMS lacks (a SecretManagement vault): they
    /// are then pushed just before signing instead of failing the preflight with RequesterSecretMissing.
    /// </summary>
    public bool PushMissingSecrets { get; init; }

    /// <summary>Raw params (a JSON object, or text taken as iexec_args).</summary>
    public string? RawParams { get; init; }

    /// <summary>The app's arguments (iexec_args).</summary>
    public string? Args { get; init; }

    /// <summary>Input file URLs (iexec_input_files).</summary>
    public IReadOnlyList<string>? InputFiles { get; init; }

    /// <summary>ipfs or dropbox; null for the default.</summary>
    public string? StorageProvider { get; init; }

    /// <summary>True to encrypt the result with the beneficiary's key.</summary>
    public bool EncryptResult { get; init; }
}

/// <summary>A one-shot requester secret of one slot: the caller's handle on its value (a SecureString, a vault secret name…).</summary>
/// <param name="Slot">The app secret slot (1, 2, …).</param>
/// <param name="Value">The handle, opaque to Core and read only through the caller's <see cref="IRequesterSecretSource"/>.</param>
public sealed record OneShotInput(int Slot, object Value);
