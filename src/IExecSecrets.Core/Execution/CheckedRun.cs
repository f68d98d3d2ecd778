namespace IExecSecrets.Core.Execution;

/// <summary>
/// A run input that passed every check that needs no network (<see cref="AppRunSession.Check"/>): the run tag, the
/// mapping of every slot to its SMS name (one-shot values under their fresh names), the params, the address syntax, and
/// where the app comes from.
/// </summary>
public sealed record CheckedRun
{
    /// <summary>The input as given.</summary>
    public required AppRunInput Input { get; init; }

    /// <summary>The app as text: the address or ENS name given, or the address read from deployed.json.</summary>
    public required string AppText { get; init; }

    /// <summary>The deployed.json the app was taken from (no app given), or null when the app was given.</summary>
    public string? DeployedJsonPath { get; init; }

    /// <summary>The run tag (32 bytes).</summary>
    public required byte[] Tag { get; init; }

    /// <summary>True when tee,tdx bits were added to the tag the user gave (a TDX chain).</summary>
    public bool TdxForced { get; init; }

    /// <summary>Every mapped slot and its requester secret name, one-shot values under their generated names, by slot.</summary>
    public required IReadOnlyList<KeyValuePair<int, string>> Mapping { get; init; }

    /// <summary>The one-shot values, each under a fresh unguessable name, pushed just before signing.</summary>
    public required IReadOnlyList<SecretToPush> OneShots { get; init; }

    /// <summary>The request with every address still unresolved (zero app), for the params and the template key.</summary>
    public required AppRunRequest Preview { get; init; }

    /// <summary>The built params of the request order.</summary>
    public required RequestParams Params { get; init; }
}
