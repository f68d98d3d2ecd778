using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Lists the chains of ./chain.json (or the built-in chains) as the module resolves them, SMS URLs included.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "IExecChain")]
[OutputType(typeof(IExecChain))]
public sealed class GetIExecChainCommand : IExecCmdlet
{
    /// <summary>Chain names, ids or wildcard patterns; default every chain of chain.json.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Shows only the chain used when no -Chain is given.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    private ChainResolver? _resolver;

    /// <summary>Reads ./chain.json once; an invalid file stops the command.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _resolver = ChainResolver.FromDirectory(SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }

    /// <summary>Writes the chains matching each name; a literal name that matches nothing is a ChainNotFound error.</summary>
    protected override void ProcessRecord()
    {
        var resolver = _resolver!;
        if (Default)
        {
            Write(resolver, null);
            return;
        }
        if (Name is null)
        {
            foreach (var chain in resolver.ChainNames) Write(resolver, chain);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var chain in resolver.ChainNames.Where(pattern.IsMatch)) Write(resolver, chain);
            }
            else
            {
                Write(resolver, name);
            }
        }
    }

    private void Write(ChainResolver resolver, string? name)
    {
        try
        {
            var chain = resolver.Resolve(name);
            var sms = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (framework, url) in chain.Sms?.Expand() ?? new Dictionary<TeeFramework, string>())
            {
                sms[framework.ToWireName()] = url;
            }
            var saved = SavedDefaults.Shared;
            var isDefault = string.IsNullOrEmpty(name) || chain.Name == resolver.Resolve(null).Name;
            var (workerpool, workerpoolScope) = saved.Get("Workerpool");
            var (vault, vaultScope) = saved.Get("Vault");
            var (savedFramework, frameworkScope) = saved.Get("TeeFramework");
            WriteObject(new IExecChain
            {
                Name = chain.Name,
                ChainId = chain.ChainId,
                IsDefault = isDefault,
                DefaultSource = isDefault ? resolver.DefaultChainSource : null,
                SavedWorkerpool = workerpool,
                SavedWorkerpoolSource = workerpoolScope?.ToString(),
                SavedVault = vault,
                SavedVaultSource = vaultScope?.ToString(),
                TeeFrameworkSource = frameworkScope?.ToString() ?? (chain.DefaultTeeFramework is null ? "Built-in" : (resolver.File.Path is null ? "Built-in" : ChainConfigFile.FileName)),
                Host = chain.Host,
                Hub = chain.Hub?.ToString(),
                Sms = sms,
                DefaultTeeFramework = savedFramework ?? ChainResolver.ResolveTeeFramework(chain).ToWireName(),
                IsNative = chain.IsNative,
                ForcedGasPrice = chain.GasPriceOverride?.ToString(CultureInfo.InvariantCulture),
                IExecGateway = chain.IExecGateway,
                IpfsGateway = chain.IpfsGateway,
                ResultProxy = chain.ResultProxy,
                PocoSubgraph = chain.PocoSubgraph,
                ConfigPath = resolver.File.Path,
            });
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
    }
}
