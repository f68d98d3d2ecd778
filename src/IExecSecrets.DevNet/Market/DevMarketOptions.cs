using IExecSecrets.Core.Chain;
using IExecSecrets.DevNet.Worker;

namespace IExecSecrets.DevNet.Market;

/// <summary>How <see cref="DevMarketServer.StartAsync"/> connects the market to the chain.</summary>
public sealed class DevMarketOptions
{
    /// <summary>The node the market reads owners, the EIP-712 domain and consumed volumes from (not disposed by the market).</summary>
    public required JsonRpcClient Rpc { get; init; }

    /// <summary>The PoCo hub.</summary>
    public required EthAddress Hub { get; init; }

    /// <summary>The only chain id the market answers for (134 on the devnet).</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Answers <c>GET /tasks/&lt;taskid&gt;</c> with the devnet worker's report of that task; null leaves the route
    /// answering 404.
    /// </summary>
    public Func<string, WorkerTaskReport?>? TaskReports { get; set; }
}
