using System.Numerics;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>A deal from <c>viewDeal</c> with its task ids and the final deadline the SDK computes for its tasks.</summary>
/// <param name="DealId">The deal id, lower-case hex.</param>
/// <param name="Deal">The on-chain deal.</param>
/// <param name="FinalDeadline">startTime + final_deadline_ratio × the category's work clock.</param>
/// <param name="TaskIds">The task ids from botFirst to botFirst + botSize − 1, lower-case hex.</param>
public sealed record DealInfo(string DealId, PoCoDeal Deal, DateTimeOffset FinalDeadline, IReadOnlyList<string> TaskIds)
{
    /// <summary>The index of the first task.</summary>
    public BigInteger BotFirst => Deal.BotFirst;
}
