using System.Numerics;

namespace IExecSecrets.Core.Execution;

/// <summary>A matched deal: its id, the matching transaction (null when it was found by reconciliation), the task ids.</summary>
/// <param name="DealId">The deal id, lower-case hex.</param>
/// <param name="TransactionHash">The matchOrders transaction, or null when the deal was found on chain after a lost answer.</param>
/// <param name="BotFirst">The index of the deal's first task.</param>
/// <param name="Volume">How many tasks the deal has.</param>
/// <param name="TaskIds">The task ids, lower-case hex, from <paramref name="BotFirst"/> on.</param>
public sealed record AppRunDeal(string DealId, string? TransactionHash, BigInteger BotFirst, BigInteger Volume, IReadOnlyList<string> TaskIds)
{
    /// <summary>The gas the matchOrders transaction used, from its receipt; null when the deal was found by reconciliation.</summary>
    public BigInteger? GasUsed { get; init; }
}
