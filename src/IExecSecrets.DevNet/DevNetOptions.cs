using IExecSecrets.DevNet.Chain;
using IExecSecrets.DevNet.Sms;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.DevNet;

/// <summary>How <see cref="DevNetEnvironment.StartAsync"/> builds the local network.</summary>
public sealed class DevNetOptions
{
    /// <summary>The folder chain.json, devnet.json and the SMS database are written to (created if missing).</summary>
    public required string Directory { get; init; }

    /// <summary>Native (bellecour-like, the default) or token PoCo.</summary>
    public DevNetMode Mode { get; init; } = DevNetMode.Native;

    /// <summary>Load/write the cached PoCo state under <c>.devnet-cache/</c>; false always deploys from scratch.</summary>
    public bool UseStateCache { get; init; } = true;

    /// <summary>The repository root holding tools/node; null finds it above the application or current directory.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>
    /// Starts the dev SMS from the options the devnet prepared (database path, on-chain owner resolver, port 0);
    /// null uses <see cref="DevSmsServer.StartAsync"/>. Tests use it to add faults or latency.
    /// </summary>
    public Func<DevSmsOptions, CancellationToken, Task<DevSmsServer>>? SmsFactory { get; init; }

    /// <summary>
    /// True (the default): the worker claims a task it failed at once. False: it leaves it ACTIVE for the requester to
    /// claim after the final deadline (see <see cref="DevNetEnvironment.ExpireAsync"/> to get there).
    /// </summary>
    public bool ClaimFailedTasks { get; init; } = true;

    /// <summary>The Docker engine the worker runs image apps on; null uses DOCKER_HOST or the default socket.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Logins the worker pulls image apps with, per registry (e.g. the loopback registry of eng/registry.sh).</summary>
    public IReadOnlyList<RegistryLogin> RegistryCredentials { get; init; } = [];
}
