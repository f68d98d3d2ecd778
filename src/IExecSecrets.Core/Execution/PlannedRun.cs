namespace IExecSecrets.Core.Execution;

/// <summary>
/// A run that is known to be possible (<see cref="AppRunSession.PlanAsync"/>): its unsigned orders, which passed every
/// check, and the secrets to push just before signing. Nothing irreversible has happened yet: nothing was pushed,
/// signed or sent.
/// </summary>
public sealed record PlannedRun
{
    /// <summary>The checked input.</summary>
    public required CheckedRun Checked { get; init; }

    /// <summary>The unsigned plan: four orders, their sources, the refused market orders.</summary>
    public required AppRunPlan Plan { get; init; }

    /// <summary>
    /// The ENS names resolved for this run, by parameter (<c>App</c>, <c>Workerpool</c>, <c>Dataset</c>,
    /// <c>Beneficiary</c>, <c>Callback</c>); the confirmation text shows each beside its address.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnsNames { get; init; } = new Dictionary<string, string>();

    /// <summary>The mapped secrets the SMS lacks and the one-shot values, in that order, to push just before signing.</summary>
    public IReadOnlyList<SecretToPush> Pushes { get; init; } = [];

    /// <summary>The names of the mapped secrets the SMS lacks that will be pushed from the caller's source.</summary>
    public IReadOnlyList<string> MissingSecrets => Pushes.Where(p => p.Slot is null).Select(p => p.Name).ToList();

    /// <summary>The SMS the pushes go to (shown as scheme, host and port), or null when there is nothing to push.</summary>
    public string? SmsDisplayUrl { get; init; }

    /// <summary>What the planning did and found, one line each, for -Verbose.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The request order hash; the deal id derives from it.</summary>
    public byte[] RequestHash => Plan.RequestOrder.Hash(Plan.Context.Domain);

    internal string? SmsUrl { get; init; }

    internal PlanTemplate? Template { get; init; }
}
