using IExecSecrets.Completers;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Sms;

namespace IExecSecrets;

/// <summary>
/// What every secret cmdlet shares: choosing the chain and TEE framework, resolving the SMS that serves them (or
/// taking <c>-SmsUrl</c>), and one <see cref="SmsClient"/> per SMS URL for all piped items. Resolution reads only
/// local files, so a bad chain.json, framework or URL fails before anything is sent; only app secrets without
/// <c>-TeeFramework</c> or <c>-SmsUrl</c> read the chain, to learn the app's framework.
/// </summary>
/// <remarks>
/// The clients come from <see cref="SmsClientCache.Shared"/> (per URL, -AllowInsecureHttp and -TimeoutSec), so a loop
/// of separate commands reuses one kept-alive connection; this command holds a lease on each client it used and
/// releases it when it ends, which never disposes a client another command is using.
/// </remarks>
public abstract class SecretCommandBase : ChainCommandBase
{
    private readonly Dictionary<string, SmsClientCache.Lease> _smsByUrl = new(StringComparer.Ordinal);

    /// <summary>
    /// The TEE framework whose SMS holds the secret: scone, gramine or tdx. Each framework has its own SMS, so a secret
    /// pushed for one is invisible to tasks of another. Anything else fails with the error id UnknownTeeFramework
    /// before any request. Default: the chain's defaultTeeFramework, else scone.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TeeFramework { get; set; }

    /// <summary>
    /// Talks to this SMS instead of the one resolved from the chain, for a private or local SMS. Only https is accepted
    /// for remote hosts; http is accepted for loopback hosts or with -AllowInsecureHttp.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SmsUrl { get; set; }

    /// <summary>
    /// How many seconds one SMS request may take (1 to 3600, default 30). A request that takes longer counts as a
    /// transient fault: it is retried with backoff (a push first checks whether the secret arrived), and when the
    /// retries are spent the item fails with SmsTimeout (category OperationTimeout).
    /// </summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>The framework given with -TeeFramework, parsed; UnknownTeeFramework for anything else.</summary>
    protected Core.Config.TeeFramework? ExplicitFramework =>
        TeeFramework is null ? null : TeeFrameworks.Parse(TeeFramework);

    /// <summary>
    /// The SMS client for <paramref name="framework"/> (null: -TeeFramework, else the saved default, else the chain's
    /// default), leased on first use from the shared cache (-AllowInsecureHttp and -TimeoutSec are part of its key) and
    /// shared by every item that needs the same URL. A configuration that no item can get past (bad chain.json, no SMS
    /// for the framework, bad URL) stops the whole command.
    /// </summary>
    protected SmsClient SmsFor(Core.Config.TeeFramework? framework)
    {
        try
        {
            // A framework saved with Set-IExecConfiguration stands in for -TeeFramework, below the app's own framework.
            var url = SmsUrl ?? ChainResolver.ResolveSmsUrl(ChainProfile, framework ?? ExplicitFramework ?? Saved.TeeFramework);
            return LeaseSms(url).Client;
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
            throw;
        }
    }

    /// <summary>
    /// The lease this command holds on the shared client for <paramref name="url"/>, taken on first use with this
    /// command's -AllowInsecureHttp and -TimeoutSec and released when the command ends.
    /// </summary>
    protected SmsClientCache.Lease LeaseSms(string url)
    {
        if (!_smsByUrl.TryGetValue(url, out var lease))
        {
            lease = SmsClientCache.Shared.Acquire(url, AllowInsecureHttp, TimeSpan.FromSeconds(TimeoutSec));
            _smsByUrl.Add(url, lease);
        }

        return lease;
    }

    /// <summary>
    /// The framework whose SMS holds the developer secret of <paramref name="app"/>, like <c>iexec app push-secret</c>
    /// 8.24: -TeeFramework when given; null with -SmsUrl (that SMS is used whatever the framework); otherwise the
    /// <c>framework</c> of the app's mrenclave read on chain, <c>tdx</c> for an app without one.
    /// </summary>
    protected Core.Config.TeeFramework? AppFramework(EthAddress app)
    {
        if (SmsUrl is not null || ExplicitFramework is not null)
        {
            return ExplicitFramework;
        }

        var chain = ChainProfile;
        var framework = Await(AppTeeFramework.ResolveAsync(Rpc, chain, app, null, CancellationToken));
        WriteVerbose($"App {app} on {chain.Name} declares TEE framework {framework.ToWireName()}.");
        return framework;
    }

    /// <summary>Short chain label for confirmation targets: the -Chain value, or "the default chain".</summary>
    protected string ChainLabel => Chain ?? (SmsUrl is null ? "the default chain" : "a custom SMS");

    /// <summary>Validates -TeeFramework before the first item, so a typo fails before anything else.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _ = ExplicitFramework;
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>Releases this command's leases on the shared SMS clients.</summary>
    protected override void DisposeResources()
    {
        foreach (var lease in _smsByUrl.Values)
        {
            lease.Dispose();
        }

        _smsByUrl.Clear();
        base.DisposeResources();
    }
}
