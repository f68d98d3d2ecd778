using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Sms;

namespace IExecSecrets;

// The batch side of the push cmdlets: pushes in flight, and their results and errors written on the pipeline thread in
// input order (see the class's remarks for what an error that stops the pipeline does to the pushes in flight).
public abstract partial class PushSecretCommandBase
{
    // True when a non-terminating error would stop the pipeline here (-ErrorAction Stop/Inquire or the preference).
    private bool ErrorStopsPipeline()
    {
        var preference = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)
            ? bound
            : SessionState.PSVariable.GetValue("ErrorActionPreference");
        if (preference is PSObject wrapped)
        {
            preference = wrapped.BaseObject;
        }

        var action = preference switch
        {
            ActionPreference typed => typed,
            string text when Enum.TryParse<ActionPreference>(text, true, out var parsed) => parsed,
            _ => ActionPreference.Continue,
        };
        return action is ActionPreference.Stop or ActionPreference.Inquire;
    }

    // Writes an item's error after the items piped before it; when that error stops the pipeline, first awaits every
    // push in flight and writes the secrets they stored, so nothing stored goes unreported.
    private void ReportError(ErrorRecord record, IExecException error)
    {
        if (_inFlight.Count > 0 && !ErrorStopsPipeline())
        {
            // Queued behind the earlier items, written by WriteFinished in input order.
            _inFlight.Add(Task.FromResult(new PushOutcome(error.Target?.ToString() ?? string.Empty, null, error, record)));
            return;
        }

        if (_inFlight.Count > 0)
        {
            var pending = new List<ErrorRecord>();
            while (_inFlight.Count > 0)
            {
                WaitForAny();
                pending.AddRange(WriteCompleted(deferErrors: true));
            }

            // The item's own error goes first (it is what the user sees); the others follow if the first does not stop.
            WriteError(record);
            foreach (var other in pending)
            {
                WriteError(other);
            }

            return;
        }

        WriteError(record);
    }

    private Task<PushOutcome>[] Running() => _inFlight.Where(task => !task.IsCompleted).ToArray();

    // Waits until a running push ends, or, with none running, returns at once (the head of the queue is then done).
    private void WaitForAny()
    {
        var running = Running();
        if (running.Length == 0)
        {
            return;
        }

        try
        {
            Task.WaitAny(running.ToArray<Task>(), CancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    // Takes the finished items at the head of the queue (input order), counting the pushes among them.
    private PushOutcome[] TakeFinishedHead()
    {
        var done = _inFlight.TakeWhile(task => task.IsCompleted).ToArray();
        _inFlight.RemoveRange(0, done.Length);
        var outcomes = done.Select(task => Await(task)).ToArray();
        _finished += outcomes.Count(o => o.Record is null);
        return outcomes;
    }

    // In a batch the failed item must be identifiable, so the target is the secret, not the SMS URL.
    private ErrorRecord RecordOf(PushOutcome outcome) => outcome.Record ?? ToErrorRecord(outcome.Error!, outcome.Name);

    // Writes the finished items at the head of the queue in input order. With deferErrors (or when an error among them
    // would stop the pipeline) the successes are written first and the errors returned or written after every push in
    // flight has ended, so a stop never hides a stored secret.
    private List<ErrorRecord> WriteCompleted(bool deferErrors)
    {
        var outcomes = TakeFinishedHead();
        var stopping = deferErrors || (outcomes.Any(o => o.Error is not null) && ErrorStopsPipeline());
        if (!stopping)
        {
            foreach (var outcome in outcomes)
            {
                if (outcome.Error is null) WriteObject(outcome.Result);
                else WriteError(RecordOf(outcome));
            }

            return [];
        }

        var errors = new List<ErrorRecord>();
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is null) WriteObject(outcome.Result);
            else errors.Add(RecordOf(outcome));
        }

        if (deferErrors)
        {
            return errors;
        }

        while (_inFlight.Count > 0)
        {
            WaitForAny();
            errors.AddRange(WriteCompleted(deferErrors: true));
        }

        foreach (var error in errors)
        {
            WriteError(error);
        }

        return [];
    }

    private async Task<PushOutcome> RunAsync(PushPlan plan, SmsClient sms, ConnectedWallet wallet, SecretBuffer value)
    {
        try
        {
            return new PushOutcome(plan.Name, await SecretPusher.PushAsync(value, (bytes, token) => plan.Push(sms, wallet.Signer, bytes, token), CancellationToken).ConfigureAwait(false), null);
        }
        catch (IExecException ex)
        {
            return new PushOutcome(plan.Name, null, ex);
        }
    }

    private void WriteFinished(bool block)
    {
        if (_inFlight.Count == 0)
        {
            return;
        }

        if (block)
        {
            WaitForAny();
        }

        WriteCompleted(deferErrors: false);

        if (_started > 1)
        {
            _progressShown = true;
            WriteProgress(new ProgressRecord(ProgressActivityId, "Pushing secrets to the SMS", $"{_finished} of {_started} done"));
        }
    }
}
