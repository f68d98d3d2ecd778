using System.Security.Cryptography;
using IExecSecrets.Completers;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Errors;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Encrypts a dataset file as iexec dataset encrypt does, with a fresh key that is kept in a SecretManagement vault
/// and nowhere else, and outputs the encrypted file's path and checksum.
/// </summary>
/// <remarks>
/// <para>Each file gets a fresh AES-256 key (32 random bytes, kept as their base64 text like the SDK's key files) and is
/// encrypted as the SDK does and iExec's TEE pre-compute undoes: a random 16-byte IV, then AES-256-CBC with PKCS#7
/// padding. The encrypted file is written as &lt;file&gt;.enc into -Destination, by default the CLI's datasets/encrypted
/// folder under the current location (created when missing); its SHA-256 is the dataset's Checksum. The key is stored
/// in the vault as a SecureString (Set-Secret -NoClobber: an existing secret of that name fails VaultSecretExists
/// unless -Force) and never written to disk, to the output or to any stream; the CLI keeps it in plain files under
/// .secrets/datasets/. The clear file is only read.</para>
/// <para>Nothing is half done: the file is encrypted into a hidden temporary file, the key is stored, and only then is
/// the file renamed into place; a missing file (DatasetFileNotFound), a taken output (DatasetWriteFailed, unless
/// -Force), an output path through a symbolic link below the current location (SymbolicLinkRefused) or a vault refusal
/// leaves neither file nor key behind.</para>
/// <para>Next: upload the .enc file where workers can download it (https, IPFS), deploy it with Deploy-IExecDataset (the
/// output pipes its Checksum), push the key with Push-IExecDatasetSecret -Vault -VaultSecretName, and publish an order
/// with Publish-IExecDatasetOrder.</para>
/// </remarks>
/// <example>
/// <code>Protect-IExecDataset -Path ./datasets/original/coefficients.json -Vault MyVault -VaultSecretName coefficients-key</code>
/// <para>Writes ./datasets/encrypted/coefficients.json.enc, stores its key in MyVault and shows its checksum.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./datasets/original -File | Protect-IExecDataset -Vault MyVault -VaultSecretName { "dataset-$($_.Name)" } -Destination ./out</code>
/// <para>Encrypts every file of the folder, each with its own key named after the file.</para>
/// </example>
/// <example>
/// <code>$enc = Protect-IExecDataset ./data.csv -Vault MyVault -VaultSecretName data-key; Deploy-IExecDataset -Name data -Multiaddr https://example.com/data.csv.enc -Checksum $enc.Checksum</code>
/// <para>Encrypts, then deploys the dataset once the encrypted file is uploaded at that URL.</para>
/// </example>
/// <input type="System.String">Paths, or file objects (their FullName) from Get-ChildItem.</input>
/// <output type="IExecSecrets.Output.IExecProtectedDataset">The encrypted file, its checksum and the vault secret holding its key.</output>
[Cmdlet(VerbsSecurity.Protect, "IExecDataset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Protect-IExecDataset.md")]
[OutputType(typeof(IExecProtectedDataset))]
public sealed class ProtectIExecDatasetCommand : IExecCmdlet
{
    /// <summary>The clear dataset file; binds FullName of piped files.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The SecretManagement vault that receives the key.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>The name of the key's secret in the vault; for piped files, a script block computes it from each file.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>The folder receiving &lt;file&gt;.enc. Default: ./datasets/encrypted (the iexec CLI's layout), created when missing.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Replaces an existing &lt;file&gt;.enc and an existing vault secret of that name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Checks, confirms, encrypts, stores the key, then renames the encrypted file into place.</summary>
    protected override void ProcessRecord()
    {
        var current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var source = GetUnresolvedProviderPathFromPSPath(Path);
        var destination = Destination is null ? DatasetFiles.EncryptedFolder(current) : GetUnresolvedProviderPathFromPSPath(Destination);
        var writer = new VaultSecretWriter(InvokeCommand);
        string output;
        try
        {
            writer.EnsureWritable();
            output = DatasetFiles.Plan(source, destination, current, Force);
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
            return;
        }

        if (!ShouldProcess(output, $"Encrypt {source} with a new key stored in vault {Vault} as {VaultSecretName}")) return;

        var key = DatasetEncryption.GenerateKey();
        try
        {
            WriteVerbose($"Encrypting {source} into {output}; the key goes to vault {Vault} as {VaultSecretName}.");
            var written = DatasetFiles.Encrypt(source, output, key,
                () => writer.Write(Vault, VaultSecretName, key, noClobber: !Force, ErrorIds.VaultSecretExists), CancellationToken);
            WriteObject(new IExecProtectedDataset
            {
                Path = written.OutputPath,
                Checksum = DatasetEncryption.ChecksumText(written.Checksum),
                Length = written.Length,
                SourcePath = source,
                VaultSecret = $"{Vault}/{VaultSecretName}",
                Vault = Vault,
                VaultSecretName = VaultSecretName,
            });
        }
        catch (IExecException ex)
        {
            WriteIExecError(ex);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
