using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Output;

// The -Confirm/-WhatIf text of a run: everything the requester's signature will commit to, in one line the user can
// check before anything is signed: app, dataset, workerpool (named or taken from the market), the prices of the
// orders and the max prices the request order carries, category, tag and the total.
internal static class RunPlanText
{
    public static string Describe(AppRunPlan plan, ChainProfile chain)
    {
        var request = plan.RequestOrder;
        var dataset = plan.DatasetOrder.Dataset.IsZero
            ? "no dataset"
            : $"dataset {plan.DatasetOrder.Dataset} ({plan.DatasetOrderSource} order, {Text(plan.DatasetOrder.DatasetPrice)} nRLC, max {Text(request.DatasetMaxPrice)} nRLC)";
        return $"app {request.App} ({plan.AppOrderSource} order, {Text(plan.AppOrder.AppPrice)} nRLC, max {Text(request.AppMaxPrice)} nRLC), "
            + $"{dataset}, workerpool {request.Workerpool} ({plan.WorkerpoolOrderSource} order, {Text(plan.WorkerpoolOrder.WorkerpoolPrice)} nRLC, "
            + $"max {Text(request.WorkerpoolMaxPrice)} nRLC), category {Text(request.Category)}, tag {IExecOrder.Names(request.Tag)}, "
            + $"{Text(plan.Cost)} nRLC in all, on {chain.Name} (chain {chain.ChainId})";
    }

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
