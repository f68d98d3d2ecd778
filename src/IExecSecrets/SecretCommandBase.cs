using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Sms;

namespace IExecSecrets;

/// <summary>
/// What every secret cmdlet shares: choosing the chain and TEE framework, resolving the SMS that serves them (or
/// taking <c>-SmsUrl</c>), and one <see cref="SmsClient"/> for all piped items. Resolution reads only local files, so
/// a bad chain.json, framework or URL fails before anything is sent.
/// </summary>
public abstract class SecretCommandBase : IExecCmdlet
{
    private SmsClient? _sms;

    /// <summary>The chain whose SMS is used: a chain.json name or a built-in name; default chain.json's default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>The TEE framework whose SMS holds the secret: scone, gramine or tdx.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TeeFramework { get; set; }

    /// <summary>Talks to this SMS instead of the one resolved from the chain (a private or local SMS).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SmsUrl { get; set; }

    /// <summary>Allows an http:// SMS URL on a non-loopback host; values and signatures then travel in clear text.</summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>The framework given with -TeeFramework, parsed; UnknownTeeFramework for anything else.</summary>
    protected Core.Config.TeeFramework? ExplicitFramework =>
        TeeFramework is null ? null : TeeFrameworks.Parse(TeeFramework);

    /// <summary>The SMS client for this invocation, created on first use from -SmsUrl or the chain profile.</summary>
    protected SmsClient Sms => _sms ??= CreateSmsClient();

    /// <summary>The chain profile -Chain names, from ./chain.json of the current location or the built-ins.</summary>
    protected ChainProfile ResolveChain() =>
        ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath).Resolve(Chain);

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

    /// <summary>Disposes the SMS client.</summary>
    protected override void DisposeResources()
    {
        _sms?.Dispose();
        base.DisposeResources();
    }

    private SmsClient CreateSmsClient()
    {
        string url;
        if (SmsUrl is not null)
        {
            url = SmsUrl;
        }
        else
        {
            url = ChainResolver.ResolveSmsUrl(ResolveChain(), ExplicitFramework);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new IExecException(ErrorIds.InvalidSmsUrl, IExecErrorCategory.InvalidArgument, $"'{url}' is not an absolute http(s) SMS URL.", url);
        }

        return new SmsClient(uri, new SmsClientOptions { AllowInsecureHttp = AllowInsecureHttp });
    }
}
