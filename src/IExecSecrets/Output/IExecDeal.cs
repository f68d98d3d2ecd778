namespace IExecSecrets.Output;

/// <summary>
/// An iExec deal: what <c>Invoke-IExecApp</c> matched (with <see cref="TxHash"/>) or <c>Get-IExecDeal</c> read.
/// <see cref="Tasks"/> holds the tasks' states when they were read (after <c>-Watch</c>, or by Get-IExecDeal).
/// Pipe it to <c>Wait-IExecTask</c> (binds <see cref="DealId"/>).
/// </summary>
public sealed class IExecDeal
{
    /// <summary>The deal id, 0x + 64 hex digits.</summary>
    public required string DealId { get; init; }

    /// <summary>The matchOrders transaction, or null when unknown (read back by id, or found after a lost answer).</summary>
    public string? TxHash { get; init; }

    /// <summary>The chain name.</summary>
    public required string Chain { get; init; }

    /// <summary>The app run.</summary>
    public string? App { get; init; }

    /// <summary>The workerpool running it.</summary>
    public string? Workerpool { get; init; }

    /// <summary>The dataset, or the zero address.</summary>
    public string? Dataset { get; init; }

    /// <summary>The requester.</summary>
    public string? Requester { get; init; }

    /// <summary>The result beneficiary.</summary>
    public string? Beneficiary { get; init; }

    /// <summary>The category.</summary>
    public long? Category { get; init; }

    /// <summary>The deal tag as names, e.g. tee,scone.</summary>
    public string? Tag { get; init; }

    /// <summary>The params string of the request.</summary>
    public string? Params { get; init; }

    /// <summary>The index of the first task.</summary>
    public required long BotFirst { get; init; }

    /// <summary>How many tasks the deal has.</summary>
    public required long Volume { get; init; }

    /// <summary>When the deal started (UTC), when read from the chain.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the tasks must be final (UTC), when read from the chain.</summary>
    public DateTimeOffset? FinalDeadline { get; init; }

    /// <summary>What the run costs in nRLC: the plan's cost when this deal was just matched, else the prices the chain locked per task times the tasks.</summary>
    public string? Cost { get; init; }

    /// <summary>The task ids.</summary>
    public required string[] TaskIds { get; init; }

    /// <summary>The tasks' states, when read.</summary>
    public IExecTask[] Tasks { get; init; } = [];

    /// <summary>
    /// For a deal Invoke-IExecApp matched: the position of its input in the pipeline (0 for a direct call), to pair
    /// results with the rows they came from.
    /// </summary>
    public int? InputIndex { get; set; }

    /// <summary>
    /// The requester secret mapping the deal runs with, slot → SMS name (Invoke-IExecApp: the mapping it used, including
    /// the generated names of -SecretValue one-shot secrets; Get-IExecDeal: read from the deal's params). Names only,
    /// never values; null when the deal maps none.
    /// </summary>
    public System.Collections.IDictionary? RequesterSecrets { get; set; }

    /// <summary>True when every task read is COMPLETED.</summary>
    public bool Succeeded => Tasks.Length > 0 && Tasks.All(t => t.Status == IExecTaskStatus.COMPLETED);

    /// <summary>The deal id, so "$deal" is the id (and not the type name) in strings and logs.</summary>
    public override string ToString() => DealId;
}
