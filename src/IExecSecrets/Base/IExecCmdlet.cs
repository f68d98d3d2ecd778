using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets;

/// <summary>
/// Base of every IExecSecrets cmdlet. It owns the cancellation of network calls (created when processing begins,
/// cancelled when the user presses Ctrl+C, disposed with the cmdlet) and turns Core's <see cref="IExecException"/>
/// into an <see cref="ErrorRecord"/> in exactly one place, so every cmdlet reports the same id, category, target and
/// recommended action for the same condition. Every text it writes to a stream goes through the boundary in
/// IExecCmdlet.Boundary.cs, which strips terminal control characters.
/// </summary>
public abstract partial class IExecCmdlet : PSCmdlet, IDisposable
{
    private CancellationTokenSource? _cancellation;
    private bool _disposed;
    private HashSet<string>? _announcedChains;

    /// <summary>
    /// Cancelled when the pipeline is stopped (Ctrl+C, <c>Select-Object -First</c>); pass it to every Core call.
    /// </summary>
    protected CancellationToken CancellationToken => (_cancellation ??= new CancellationTokenSource()).Token;

    /// <summary>Creates the cancellation source; derived cmdlets that override this must call the base.</summary>
    protected override void BeginProcessing()
    {
        _cancellation ??= new CancellationTokenSource();
    }

    /// <summary>Cancels the in-flight network calls; runs on a thread other than the pipeline thread.</summary>
    protected override void StopProcessing()
    {
        try
        {
            _cancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The cmdlet finished while the stop request was on its way; nothing is left to cancel.
        }
    }

    /// <summary>
    /// Blocks the pipeline thread until <paramref name="task"/> ends. A cancellation caused by a pipeline stop
    /// surfaces as <see cref="PipelineStoppedException"/>, which PowerShell treats as a quiet stop.
    /// </summary>
    protected void Await(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Blocks the pipeline thread until <paramref name="task"/> ends and returns its result.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Reports that one pipeline item failed; processing goes on with the next item.</summary>
    protected void WriteIExecError(IExecException exception) => WriteError(ToErrorRecord(exception));

    /// <summary>Stops the cmdlet: used when no input can succeed (no wallet, bad chain, bad configuration).</summary>
    protected void ThrowIExecError(IExecException exception) => ThrowTerminatingError(ToErrorRecord(exception));

    /// <summary>The connected wallet; stops the cmdlet (WalletNotConnected) when there is none.</summary>
    protected ConnectedWallet RequireWallet()
    {
        try
        {
            return WalletSession.Require();
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
            throw;
        }
    }

    /// <summary>
    /// Writes one warning naming what a chain.json entry changes of the built-in chain it stands for (the chain of the
    /// same name, or of the same chain id under any name: every key, from the id, RPC host, hub and SMS to Compass and
    /// the subgraphs), at most once per chain and command: such an entry decides where secrets go and what gets signed,
    /// so it must never act silently.
    /// </summary>
    protected void AnnounceChainOverrides(ChainProfile profile, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!(_announcedChains ??= new HashSet<string>(StringComparer.Ordinal)).Add(profile.Name)) return;
        if (ChainOverride.Warning(profile, configPath) is { } warning) WriteWarning(warning);
    }

    /// <summary>Releases the cancellation source; PowerShell calls this when the pipeline ends or is stopped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeResources();
        _cancellation?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived cmdlet holds (buffers to zero, in-flight work); called once from <see cref="Dispose"/>.</summary>
    protected virtual void DisposeResources()
    {
    }
}
