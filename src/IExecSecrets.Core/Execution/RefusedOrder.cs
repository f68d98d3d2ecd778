namespace IExecSecrets.Core.Execution;

/// <summary>A market order that was not used because it failed a check, and why.</summary>
/// <param name="Kind"><c>apporder</c>, <c>datasetorder</c> or <c>workerpoolorder</c>.</param>
/// <param name="OrderHash">The order hash computed locally under the hub's domain (not the market's word).</param>
/// <param name="Resource">The app, dataset or workerpool the order is for.</param>
/// <param name="Reason">Why it was refused, e.g. "its price 5 nRLC is above -AppMaxPrice (0 nRLC)".</param>
public sealed record RefusedOrder(string Kind, string OrderHash, string Resource, string Reason)
{
    /// <summary>"apporder 0x… for 0x…: reason".</summary>
    public override string ToString() => $"{Kind} {OrderHash} for {Resource}: {Reason}";
}
