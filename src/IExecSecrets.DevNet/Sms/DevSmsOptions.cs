namespace IExecSecrets.DevNet.Sms;

/// <summary>How to start a <see cref="DevSmsServer"/>: where it stores secrets, who owns contracts, and what to break.</summary>
public sealed class DevSmsOptions
{
    /// <summary>
    /// The SQLite file secrets are stored in (created if missing). Values are AES-256-GCM encrypted with a key kept
    /// next to it in <c>&lt;DatabasePath&gt;.key</c> (created with mode 0600 on Unix), so the .db file holds no plaintext.
    /// </summary>
    public required string DatabasePath { get; init; }

    /// <summary>
    /// Returns the on-chain <c>owner()</c> of an app or dataset contract, or null when the address is not one. App and
    /// web3 pushes are authorised against it. Without a resolver every such push is refused with 401.
    /// </summary>
    public Func<EthAddress, CancellationToken, Task<EthAddress?>>? ResolveOwnerAsync { get; init; }

    /// <summary>The loopback port to listen on; 0 picks a free one (read it back from <see cref="DevSmsServer.Url"/>).</summary>
    public int Port { get; init; }

    /// <summary>Fault injection for resilience tests and benchmarks; null serves every request faithfully.</summary>
    public DevSmsFaults? Faults { get; init; }

    /// <summary>A delay added to every request before it is handled, to emulate a remote SMS.</summary>
    public TimeSpan AddedLatency { get; init; }

    /// <summary>What <c>GET /tee/framework</c> answers.</summary>
    public string TeeFramework { get; init; } = "SCONE";
}
