namespace IExecSecrets.DevNet.Sms;

/// <summary>
/// Which requests a <see cref="DevSmsServer"/> fails on purpose. Each request draws from a random generator seeded
/// with <see cref="Seed"/>: with probability <see cref="Rate"/> it fails in one of <see cref="Kinds"/>, and a write
/// fails after storing the secret with probability <see cref="AfterWriteShare"/> (the case only reconciliation gets
/// right: the client sees a failure although the secret is stored). A fault before the write never stores it.
/// </summary>
public sealed class DevSmsFaults
{
    /// <summary>The share of requests that fail, in [0, 1].</summary>
    public double Rate { get; init; }

    /// <summary>The seed of the generator that picks faults, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The fault kinds to pick from, uniformly.</summary>
    public IReadOnlyList<DevSmsFaultKind> Kinds { get; init; } =
        [DevSmsFaultKind.ServerError, DevSmsFaultKind.ConnectionReset, DevSmsFaultKind.Delay];

    /// <summary>The share of faulty writes that fail after the secret was stored, in [0, 1].</summary>
    public double AfterWriteShare { get; init; } = 0.5;

    /// <summary>How long a <see cref="DevSmsFaultKind.Delay"/> fault holds the request before dropping it.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether reads (HEAD, GET) fail too, not only writes.</summary>
    public bool IncludeReads { get; init; } = true;
}
