using IExecSecrets.Core.Chain;
using IExecSecrets.DevNet.Ipfs;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.DevNet.Worker;

/// <summary>What the devnet worker needs: the chain, its two identities, the SMS to read secrets from and the result store.</summary>
public sealed class DevWorkerOptions
{
    /// <summary>The node (not disposed by the worker).</summary>
    public required JsonRpcClient Rpc { get; init; }

    /// <summary>The chain id transactions are signed for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The PoCo hub.</summary>
    public required EthAddress Hub { get; init; }

    /// <summary>The workerpool whose deals this worker runs.</summary>
    public required EthAddress Workerpool { get; init; }

    /// <summary>The workerpool owner: initialises tasks and signs the worker's authorisation.</summary>
    public required IEthSigner Scheduler { get; init; }

    /// <summary>The worker account that contributes results and claims failed tasks.</summary>
    public required IEthSigner Worker { get; init; }

    /// <summary>The dev SMS the app developer and requester secrets are read from.</summary>
    public required DevSmsServer Sms { get; init; }

    /// <summary>
    /// The SMS TDX deals (tag bit tdx) read their secrets from, as iExec's TDX workers do; null uses <see cref="Sms"/>.
    /// </summary>
    public DevSmsServer? TdxSms { get; init; }

    /// <summary>Logins image apps are pulled with, per registry; a registry without one is pulled anonymously.</summary>
    public IReadOnlyList<RegistryLogin> RegistryCredentials { get; init; } = [];

    /// <summary>Where result zips are stored.</summary>
    public required DevIpfsGateway Ipfs { get; init; }

    /// <summary>The folder holding one sub-folder per task (iexec_in, iexec_out) and worker.log.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>How often new SchedulerNotice events are looked for.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an app may run before it is killed and its task failed.</summary>
    public TimeSpan AppTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// True (the default): a failed task is claimed at once (the devnet clock moved past its final deadline), so it is
    /// FAILED on chain. False: it is left ACTIVE, as a real workerpool leaves it, for its requester to claim after the
    /// final deadline; its report is FAILED with the reason.
    /// </summary>
    public bool ClaimFailedTasks { get; init; } = true;

    /// <summary>The Docker engine for image apps; null uses DOCKER_HOST or the default socket.</summary>
    public string? DockerHost { get; init; }
}
