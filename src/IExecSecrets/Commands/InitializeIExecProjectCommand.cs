using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Commands;

/// <summary>Creates iexec.json and chain.json in a folder, byte-identical to iexec init --skip-wallet.</summary>
/// <remarks>
/// <para>Writes the iexec.json and chain.json files that the iexec CLI 8.24.0 writes with iexec init
/// --skip-wallet, with the same bytes: 2-space indent, LF line ends, no trailing newline. chain.json selects
/// arbitrum-sepolia-testnet by default and lists the built-in chains mainnet, bellecour, arbitrum-mainnet and
/// arbitrum-sepolia-testnet; their addresses and URLs are built-in defaults, not stored in the file.</para>
/// <para>With -Tee, iexec.json also gets what iexec app init --tee-framework &lt;f&gt; adds: an empty buyConf and
/// the hello-world app template of that framework, owned by the connected wallet (or the zero address when none
/// is connected). Edit that app section, then run Deploy-IExecApp.</para>
/// <para>An existing chain.json is kept as it is, with or without -Force (it holds your chains: a devnet, your RPC
/// node, your SMS); only iexec.json is written then, and ChainConfigKept says so. An existing iexec.json is never
/// replaced without -Force: the command fails with ProjectFileExists before writing anything.</para>
/// </remarks>
/// <example>
/// <code>Initialize-IExecProject -Path ./my-app</code>
/// <para>Creates ./my-app with the iexec.json and chain.json that iexec init --skip-wallet writes.</para>
/// </example>
/// <example>
/// <code>Initialize-IExecProject -TeeFramework scone -Force</code>
/// <para>Rewrites iexec.json in the current folder with the SCONE hello-world app template, owned by the connected
/// wallet; an existing chain.json is kept.</para>
/// </example>
/// <input type="None.">None. This cmdlet does not accept pipeline input.</input>
/// <output type="IExecSecrets.Output.IExecProjectInitResult">IExecSecrets.Output.IExecProjectInitResult: the
/// folder, the two files (ChainConfigKept when chain.json was there and kept), and the app template and owner when
/// -Tee was given.</output>
[Cmdlet(VerbsData.Initialize, "IExecProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Initialize-IExecProject.md")]
[OutputType(typeof(IExecProjectInitResult))]
public sealed class InitializeIExecProjectCommand : IExecCmdlet
{
    /// <summary>The project folder. Default: the current location. The folder is created when missing.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Adds the hello-world app template of this TEE framework (scone, gramine or tdx), like iexec app init; named
    /// like -TeeFramework of every other cmdlet (-Tee, the former name, still works as an alias).
    /// </summary>
    [Parameter]
    [Alias("Tee")]
    [ArgumentCompleter(typeof(TeeFrameworkCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TeeFramework { get; set; }

    /// <summary>Replaces existing iexec.json and chain.json files instead of failing with ProjectFileExists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Validates, asks for confirmation, then writes the files.</summary>
    protected override void EndProcessing()
    {
        try
        {
            var directory = Path is null
                ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
                : GetUnresolvedProviderPathFromPSPath(Path);
            TeeFramework? template = TeeFramework is null ? null : TeeFrameworks.Parse(TeeFramework);
            ProjectFiles.EnsureCanInitialize(directory, Force);
            // the CLI writes the wallet's address as owner, and the zero address when there is no wallet
            var owner = template is null ? (EthAddress?)null : WalletSession.Current?.Address ?? EthAddress.Zero;

            var chainExists = File.Exists(System.IO.Path.Combine(directory, ChainConfigFile.FileName));
            var chainAction = chainExists ? "keep the existing chain.json" : "write chain.json";
            var action = template is null ? $"Write iexec.json, {chainAction}" : $"Write iexec.json with the {template.Value.ToWireName()} app template, {chainAction}";
            if (!ShouldProcess(directory, action))
            {
                return;
            }

            var result = ProjectFiles.Initialize(directory, Force, template, owner);
            if (result.ChainJsonKept)
            {
                WriteVerbose($"Kept the existing {result.ChainJsonPath}; wrote only {result.IExecJsonPath}.");
            }

            WriteObject(new IExecProjectInitResult
            {
                Path = directory,
                ConfigFile = result.IExecJsonPath,
                ChainConfigFile = result.ChainJsonPath,
                AppTemplate = result.AppTemplate?.ToWireName(),
                Owner = owner?.ToString(),
                ChainConfigKept = result.ChainJsonKept,
            });
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
