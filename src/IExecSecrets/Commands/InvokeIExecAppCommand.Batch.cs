using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets.Commands;

// The pipeline-of-runs side of Invoke-IExecApp: matches in flight written (or kept for -Watch) in input order as they
// end, a failed input reported with its position, and the batch's progress record.
public sealed partial class InvokeIExecAppCommand
{
    // Writes (or keeps for the watch) each ended match; with block, waits for at least one.
    private void WriteEnded(bool block)
    {
        if (_session is null) return;
        if (block) Await(_session.WhenAnyEndedAsync(CancellationToken));
        foreach (var ended in _session.TakeEnded())
        {
            AppRunDeal deal;
            try
            {
                deal = Await(ended.Match);
            }
            catch (IExecException ex)
            {
                Fail(ex, ended.Index);
                continue;
            }

            // One host line per direct run; a pipeline of runs shows its progress bar instead (-InformationAction Continue shows it).
            WriteInformation(new HostInformationMessage { Message = $"Deal {deal.DealId} matched{(deal.TransactionHash is null ? "" : " in transaction " + deal.TransactionHash)}." },
                MyInvocation.ExpectingInput ? ["IExecSecrets"] : ["PSHOST"]);
            _matched.Add((ended, deal));
            if (!Watch) WriteObject(RunCommandSupport.FromRun(Await(new DealWatcher(Rpc, _session.Runner.Hub).GetDealAsync(Hex.Decode(deal.DealId), ended.Run.Plan.RequestOrder.Category, CancellationToken)), ChainProfile.Name, [], ended, deal));
            ShowBatchProgress();
        }
    }

    private void Fail(IExecException ex, int index)
    {
        _failures++;
        // A direct call keeps the old contract (a terminating error); a pipeline of runs reports each input and goes on.
        if (!MyInvocation.ExpectingInput && _inputs <= 1) ThrowIExecError(ex);
        WriteError(ToErrorRecord(ex, index >= 0 ? $"input {index}" : ex.Target));
    }

    private void ShowBatchProgress()
    {
        if (MyInvocation.ExpectingInput) WriteProgress(new ProgressRecord(ProgressActivityId + 1, "Invoke-IExecApp", $"{_inputs} input(s): {_matched.Count} deal(s) matched, {_session?.InFlight} in flight, {_failures} failed"));
    }
}
