using System.IO.Compression;
using System.Management.Automation;
using IExecSecrets.Interop.Tests.Run;
using IExecSecrets.Interop.Tests.Sms;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// What the encrypted-result and dataset tests share: a module session in its own project folder (chain.json of the
/// devnet, a SecretManagement stand-in vault), a folder for the official CLI with an unencrypted wallet, the tutorial
/// app deployed with its developer secret, and readers for the archives and streams the tests inspect.
/// </summary>
internal sealed class SecretsHarness : IDisposable
{
    public static readonly string StandIn = Path.Combine(IExecSecrets.TestSupport.RepoPaths.Root, "tests", "SecretManagementStandIn", "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");

    public SecretsHarness(DevNetEnvironment net, string prefix)
    {
        Net = net;
        Work = net.Project(prefix + "-");
        Module = new HostedModule(Work);
        var vault = Module.RunAll("Import-Module $standIn; Register-SecretVault -ModuleName StandIn -Name TestVault", new Dictionary<string, object?> { ["standIn"] = StandIn });
        if (vault.Errors.Count > 0) throw new InvalidOperationException("vault: " + vault.Errors[0]);
        Chain = ChainResolver.FromDirectory(net.Directory).Resolve();
    }

    public DevNetEnvironment Net { get; }

    /// <summary>The module's project folder (the current location of its session).</summary>
    public string Work { get; }

    public HostedModule Module { get; }

    public ChainProfile Chain { get; }

    /// <summary>Runs a script in the module session with every stream captured; throws with the errors when asked to succeed.</summary>
    public (List<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<string> Verbose) Run(string script, Dictionary<string, object?>? variables = null) =>
        Module.RunAll(script, variables);

    public List<PSObject> RunOk(string script, Dictionary<string, object?>? variables = null)
    {
        var run = Run(script, variables);
        if (run.Errors.Count > 0) throw new InvalidOperationException(string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return run.Output;
    }

    /// <summary>Connects <paramref name="account"/> in the module session.</summary>
    public void Connect(DevNetAccount account) =>
        RunOk("Connect-IExecWallet -PrivateKey $k | Out-Null", new() { ["k"] = HostedModule.Secure(account.PrivateKeyHex) });

    /// <summary>A folder for the official CLI: the devnet's chain.json and <paramref name="key"/> as ./wallet.json.</summary>
    public static string CliFolder(DevNetEnvironment net, WalletKey key, string prefix, bool v9 = false)
    {
        var folder = net.Project(prefix + "-", v9);
        File.WriteAllText(Path.Combine(folder, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(key));
        return folder;
    }

    /// <summary>The tutorial app (enclave/js/app.js as a local process) deployed by <paramref name="owner"/>, with <paramref name="coefficients"/> as its developer secret.</summary>
    public async Task<EthAddress> DeployAppAsync(DevNetAccount owner, string? coefficients)
    {
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, owner, Chain);
        if (coefficients is not null)
        {
            using var sms = new SmsClient(Net.SmsUrl);
            await sms.PushAppSecretAsync(owner, app, Encoding.UTF8.GetBytes(coefficients));
        }
        return app;
    }

    /// <summary>The entry names of a zip file.</summary>
    public static List<string> Entries(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads a JSON answer of the CLI (--raw) and fails with its output when it did not succeed.</summary>
    public static JsonNode Ok(CliResult result, string what)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.StdErr} {result.StdOut}");
        return JsonNode.Parse(result.StdOut)!;
    }

    /// <summary>Every file under <paramref name="root"/> whose bytes contain <paramref name="needle"/>.</summary>
    public static List<string> FilesContaining(string root, byte[] needle, DateTime? changedSince = null)
    {
        var hits = new List<string>();
        if (!Directory.Exists(root)) return hits;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(root, "*", options))
        {
            try
            {
                var info = new FileInfo(file);
                if (changedSince is { } since && info.LastWriteTimeUtc < since) continue;
                if (info.Length > 256L << 20) continue;
                if (File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0) hits.Add(file);
            }
            catch (IOException)
            {
                // Gone or locked while scanning (another test's temporary file): not one of ours.
            }
            catch (UnauthorizedAccessException)
            {
                // Not readable by the tests, so not written by them.
            }
        }
        return hits;
    }

    public void Dispose()
    {
        Module.Dispose();
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
