using System.Text;
using IExecSecrets.Completers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Results;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Sms;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Makes a result encryption key pair whose private key lives only in a SecretManagement vault, and with -Push shares
/// its public key with the SMS, so runs with Invoke-IExecApp -EncryptResult publish results only you can open.
/// </summary>
/// <remarks>
/// <para>Makes the key pair iexec result generate-encryption-keypair makes (SDK 8.24 and 9.0.1): a 4096-bit RSA key, the
/// private key as PKCS#8 PEM, the public key as SubjectPublicKeyInfo PEM. The private key is stored in the vault as a
/// SecureString (Set-Secret -NoClobber: an existing secret of that name is never replaced, VaultSecretExists) and
/// nowhere else: not on disk, not in the output, not in any stream. The CLI keeps it in a plain file under
/// .secrets/beneficiary/.</para>
/// <para>With -Push the public key is pushed, through the module's one push path, as the web2 secret
/// iexec-result-encryption-public-key of the connected wallet (the base64 of its PEM, as iexec result push-encryption-key
/// sends it), to the SMS of -TeeFramework (default: the chain's). The enclave of a run with -EncryptResult encrypts the
/// result for the beneficiary's pushed key. A key already on the SMS is kept and the command fails SecretAlreadyExists
/// before anything is made, unless -Force, which replaces it: results encrypted for the old key then open only with the
/// old private key. If the push fails after the private key was stored, the key pair is still written to the output
/// (IsPushed False) with the error, and its SmsValue can be pushed later with Push-IExecWeb2Secret.</para>
/// <para>Decrypt a result with Save-IExecTaskResult -Decrypt -Vault -VaultSecretName naming the same vault secret.</para>
/// </remarks>
/// <example>
/// <code>New-IExecResultEncryptionKey -Vault MyVault -VaultSecretName result-key -Push</code>
/// <para>Makes a key pair, stores the private key in MyVault as result-key and pushes the public key for the connected
/// wallet.</para>
/// </example>
/// <example>
/// <code>New-IExecResultEncryptionKey -Vault MyVault -VaultSecretName result-key-2026 -Push -Force -Confirm</code>
/// <para>Replaces the public key the SMS holds for the wallet with a new one, after confirmation; keep the old vault
/// secret to open results encrypted before.</para>
/// </example>
/// <example>
/// <code>$key = New-IExecResultEncryptionKey -Vault MyVault -VaultSecretName result-key; $key.PublicKey | Set-Content ./key.pub</code>
/// <para>Makes a key pair without pushing it and saves the public key (never the private one) to share it.</para>
/// </example>
/// <output type="IExecSecrets.Output.IExecResultEncryptionKey">Where the private key is, the public key and what was pushed.</output>
[Cmdlet(VerbsCommon.New, "IExecResultEncryptionKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/New-IExecResultEncryptionKey.md")]
[OutputType(typeof(IExecResultEncryptionKey))]
public sealed class NewIExecResultEncryptionKeyCommand : SecretCommandBase
{
    /// <summary>The SecretManagement vault that receives the private key.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string Vault { get; set; } = string.Empty;

    /// <summary>The name of the private key's secret in the vault; an existing secret of that name fails VaultSecretExists.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string VaultSecretName { get; set; } = string.Empty;

    /// <summary>Pushes the public key as the web2 secret iexec-result-encryption-public-key of the connected wallet.</summary>
    [Parameter]
    public SwitchParameter Push { get; set; }

    /// <summary>With -Push, replaces a public key the SMS already holds for the wallet (HTTP PUT) instead of failing SecretAlreadyExists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Checks, confirms, makes the pair, stores the private key, then pushes the public key.</summary>
    protected override void EndProcessing()
    {
        var writer = new VaultSecretWriter(InvokeCommand);
        ConnectedWallet? wallet = null;
        SmsClient? sms = null;
        var update = false;
        try
        {
            writer.EnsureWritable();
            if (Push)
            {
                wallet = WalletSession.Require();
                sms = SmsFor(null);
                // Before anything is made: a key already on the SMS is kept unless -Force says to replace it.
                update = Await(sms.Web2SecretExistsAsync(wallet.Address, SecretRules.ResultEncryptionPublicKeyName, CancellationToken));
                if (update && !Force)
                {
                    throw new IExecException(ErrorIds.SecretAlreadyExists,
                        $"The SMS {sms.DisplayUrl} already holds a result encryption public key for {wallet.Address}; nothing was made or stored.",
                        SecretRules.ResultEncryptionPublicKeyName)
                    {
                        RecommendedAction = "Keep using the key pair you have, or replace the pushed key with -Force (results encrypted for the old key "
                            + "then open only with the old private key: keep its vault secret).",
                    };
                }
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
            return;
        }

        var action = "Store a new result decryption key" + (Push
            ? $" and {(update ? "replace" : "push")} the public key {SecretRules.ResultEncryptionPublicKeyName} of {wallet!.Address} on {sms!.DisplayUrl}"
            : "");
        if (!ShouldProcess($"{VaultSecretName} in vault {Vault}", action)) return;

        using var pair = ResultKeyPair.Generate();
        try
        {
            writer.Write(Vault, VaultSecretName, pair.PrivateKeyPem.Span, noClobber: true, ErrorIds.VaultSecretExists);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
            return;
        }
        WriteVerbose($"Stored the private key of a new {ResultKeyPair.KeySizeBits}-bit result encryption key pair in vault {Vault} as {VaultSecretName}.");

        var output = new IExecResultEncryptionKey
        {
            VaultSecret = $"{Vault}/{VaultSecretName}",
            Vault = Vault,
            VaultSecretName = VaultSecretName,
            KeySize = ResultKeyPair.KeySizeBits,
            PublicKey = pair.PublicKeyPem,
            SmsValue = pair.SmsValue,
            SecretName = SecretRules.ResultEncryptionPublicKeyName,
        };
        if (!Push)
        {
            WriteObject(output);
            return;
        }

        try
        {
            // The module's one push path: read and checked like any secret value, pushed, then zeroed.
            var pusher = new SecretPusher(wallet!.Signer, wallet.VaultSecret);
            var value = pusher.Read(SecretRules.ResultEncryptionPublicKeyName, null, () => Encoding.UTF8.GetBytes(pair.SmsValue));
            WriteVerbose($"Pushing {SecretRules.ResultEncryptionPublicKeyName} of {wallet.Address} to {sms!.DisplayUrl}{(update ? " (replacing the key it held)" : "")}.");
            Await(SecretPusher.PushAsync(value, (bytes, token) => sms.PushWeb2SecretAsync(wallet.Signer, SecretRules.ResultEncryptionPublicKeyName, bytes, update, token), CancellationToken));
            WriteObject(new IExecResultEncryptionKey
            {
                VaultSecret = output.VaultSecret, Vault = Vault, VaultSecretName = VaultSecretName, KeySize = output.KeySize, PublicKey = output.PublicKey,
                SmsValue = output.SmsValue, SecretName = output.SecretName, Owner = wallet.Address.ToString(), IsPushed = true, Updated = update, SmsUrl = sms.DisplayUrl,
            });
        }
        catch (IExecException ex)
        {
            // The private key is stored: the pair is not lost, only its public half is not on the SMS yet.
            WriteObject(output);
            WriteError(ToErrorRecord(new IExecException(ex.ErrorId,
                $"The private key was stored in vault {Vault} as {VaultSecretName}, but the public key was not pushed: {ex.Message}", ex.Target, ex)
            {
                RecommendedAction = $"Push it later: Push-IExecWeb2Secret {SecretRules.ResultEncryptionPublicKeyName} -Value (ConvertTo-SecureString $key.SmsValue -AsPlainText -Force)"
                    + $"{(update ? " -Force" : "")} (it is public; $key is this command's output).",
            }));
        }
    }
}
