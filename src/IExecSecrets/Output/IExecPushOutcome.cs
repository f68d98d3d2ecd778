namespace IExecSecrets.Output;

/// <summary>
/// What a <c>Push-IExec*Secret</c> did with one secret, so that <c>$r | Where-Object Result -eq 'Pushed'</c> and
/// <c>Where-Object Result -ne 'Skipped'</c> filter by name.
/// </summary>
public enum IExecPushOutcome
{
    /// <summary>The value was stored (including a push reconciled after a lost answer, see <c>Reconciled</c>).</summary>
    Pushed,

    /// <summary>An existing web2 secret was replaced (<c>-Force</c>).</summary>
    Updated,

    /// <summary>The secret already existed and was left as is (<c>-SkipExisting</c>).</summary>
    Skipped,
}
