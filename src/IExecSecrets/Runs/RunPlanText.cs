using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Execution;

namespace IExecSecrets;

// The -Confirm/-WhatIf text of a run: everything the requester's signature will commit to, in one line the user can
// check before anything is signed: app, dataset, workerpool (named or taken from the market), where each came from
// when it was not an address on the command line (deployed.json, an ENS name, with the address it resolved to), the
// prices of the orders and the max prices the request order carries, category, tag, the total, and the requester
// secrets that will be pushed just before signing.
internal static class RunPlanText
{
    public static string Describe(PlannedRun run, ChainProfile chain)
    {
        var plan = run.Plan;
        var request = plan.RequestOrder;
        var appFrom = run.Checked.DeployedJsonPath is { } deployed ? $"from {deployed}, owned by the connected wallet on chain; " : "";
        var dataset = plan.DatasetOrder.Dataset.IsZero
            ? "no dataset"
            : $"dataset {plan.DatasetOrder.Dataset} ({Ens(run, "Dataset")}{plan.DatasetOrderSource} order, {Text(plan.DatasetOrder.DatasetPrice)} nRLC, max {Text(request.DatasetMaxPrice)} nRLC)";
        var pushes = run.Pushes.Count == 0 ? ""
            : $"; then push {run.Pushes.Count} requester secret(s) to {run.SmsDisplayUrl} just before signing: "
                + string.Join(", ", run.Pushes.Select(p => p.Slot is { } slot ? $"the one-shot value of slot {slot} as {p.Name}" : $"'{p.Name}' (missing on the SMS)"));
        return $"app {request.App} ({appFrom}{Ens(run, "App")}{plan.AppOrderSource} order, {Text(plan.AppOrder.AppPrice)} nRLC, max {Text(request.AppMaxPrice)} nRLC), "
            + $"{dataset}, workerpool {request.Workerpool} ({Ens(run, "Workerpool")}{plan.WorkerpoolOrderSource} order, {Text(plan.WorkerpoolOrder.WorkerpoolPrice)} nRLC, "
            + $"max {Text(request.WorkerpoolMaxPrice)} nRLC), category {Text(request.Category)}, tag {IExecOrder.Names(request.Tag)}, "
            + $"{Text(plan.Cost)} nRLC in all, on {chain.Name} (chain {chain.ChainId})" + pushes;
    }

    // An address the user gave as an ENS name is shown with that name: "resolved from pool.eth through ENS; ".
    private static string Ens(PlannedRun run, string parameter) =>
        run.EnsNames.TryGetValue(parameter, out var name) ? $"resolved from {name} through ENS; " : "";

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
