using System.Collections.Concurrent;
using System.Numerics;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// A checked plan that later runs of the same shape (same app, dataset, workerpool, tag, category, trust, prices,
/// beneficiary and callback; other params) renew instead of reading the chain and the market again, with how many
/// deals its market orders still allow and the gas its last matchOrders needed.
/// </summary>
/// <remarks>
/// Two scopes use templates. Within one <see cref="AppRunSession"/> (a pipeline of runs) a template is used until its
/// orders' volume runs out. Across commands of one process (a <c>foreach</c> of separate runs), <see cref="Shared"/>
/// keeps a template for <see cref="SharedLifetime"/> only, and the session rechecks the node's chain id, the app's
/// owner and the orders' volume left in one batch before using it.
/// </remarks>
internal sealed class PlanTemplate(AppRunPlan plan, long remaining, DateTime createdUtc)
{
    /// <summary>How long a template is offered to later commands of the process.</summary>
    public static readonly TimeSpan SharedLifetime = TimeSpan.FromSeconds(30);

    // Templates for later commands, by runner key, requester and shape. Few shapes are live at once; the bound keeps a
    // long-lived host that runs many shapes from growing without end.
    private const int SharedCapacity = 64;
    private static readonly ConcurrentDictionary<string, PlanTemplate> SharedTemplates = new(StringComparer.Ordinal);

    private long _remaining = remaining;
    private object? _gasHint;

    /// <summary>The checked plan: its market orders passed every check when it was built.</summary>
    public AppRunPlan Plan { get; } = plan;

    /// <summary>When the plan was read from chain and market.</summary>
    public DateTime CreatedUtc { get; } = createdUtc;

    /// <summary>How many more deals the plan's market orders allow (long.MaxValue when every order is the requester's own).</summary>
    public long Remaining => Interlocked.Read(ref _remaining);

    /// <summary>
    /// The gas limit the last matchOrders of this shape would have needed (the gas it used plus the sender's margin),
    /// or null before any ended; set from the match's continuation, so read and written whole.
    /// </summary>
    public BigInteger? GasHint
    {
        get => Volatile.Read(ref _gasHint) is BigInteger hint ? hint : null;
        set => Volatile.Write(ref _gasHint, value is { } hint ? hint : null);
    }

    /// <summary>Counts one deal against the remaining volume; false when none was left.</summary>
    public bool Take()
    {
        while (true)
        {
            var left = Interlocked.Read(ref _remaining);
            if (left <= 0) return false;
            if (left == long.MaxValue || Interlocked.CompareExchange(ref _remaining, left - 1, left) == left) return true;
        }
    }

    /// <summary>The templates kept for later commands of this process.</summary>
    public static class Shared
    {
        /// <summary>The template kept under <paramref name="key"/> if it is younger than <see cref="SharedLifetime"/> and has volume left.</summary>
        public static PlanTemplate? Find(string key, DateTime? nowUtc = null)
        {
            if (!SharedTemplates.TryGetValue(key, out var template)) return null;
            if (template.Remaining > 0 && (nowUtc ?? DateTime.UtcNow) - template.CreatedUtc < SharedLifetime) return template;
            Forget(key, template);
            return null;
        }

        /// <summary>Keeps <paramref name="template"/> under <paramref name="key"/>, replacing an older one.</summary>
        public static void Keep(string key, PlanTemplate template)
        {
            SharedTemplates[key] = template;
            if (SharedTemplates.Count <= SharedCapacity) return;
            var now = DateTime.UtcNow;
            foreach (var (k, t) in SharedTemplates)
            {
                if (now - t.CreatedUtc >= SharedLifetime || t.Remaining <= 0) Forget(k, t);
            }
            foreach (var (k, t) in SharedTemplates.OrderBy(p => p.Value.CreatedUtc).Take(Math.Max(0, SharedTemplates.Count - SharedCapacity)))
            {
                Forget(k, t);
            }
        }

        /// <summary>Drops <paramref name="template"/> if it is still the one kept under <paramref name="key"/>.</summary>
        public static void Forget(string key, PlanTemplate template) =>
            SharedTemplates.TryRemove(new KeyValuePair<string, PlanTemplate>(key, template));

        /// <summary>How many templates are kept.</summary>
        public static int Count => SharedTemplates.Count;
    }
}
