using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Commands;

/// <summary>Pushes a requester secret of the connected wallet to the iExec SMS.</summary>
/// <remarks>
/// <para>Stores a named secret for the connected wallet's address on the Secret Management Service, like iexec
/// requester push-secret. Tasks requested by that address can receive it as IEXEC_REQUESTER_SECRET_N when they map N to
/// the name.</para>
/// <para>The name (1 to 64 characters from A-Z, a-z, 0-9, - and _), the value size (at most 4096 UTF-8 bytes) and the
/// SMS URL are checked before any request. Requester secrets are write-once: an existing secret fails with
/// SecretAlreadyExists (category ResourceExists) unless -SkipExisting is given. Pushes are signed with the wallet
/// connected by Connect-IExecWallet; without one the command stops with WalletNotConnected.</para>
/// <para>Values come from -Value, from a vault (-Vault and -VaultSecretName, which defaults to the SMS name), or from
/// Get-SecretInfo objects piped in (their Name, VaultName and Metadata bind by property name). Piped batches run with up
/// to -ThrottleLimit requests in flight and report progress.</para>
/// <para>Keys stay keys: the vault secret the wallet was connected from (Connect-IExecWallet -Vault), and any value
/// equal to the connected wallet's private key (raw or hex), is never pushed; that item fails with WalletKeyPushRefused
/// and the batch goes on. Mark the vault's iExec secrets with SecretManagement metadata (iexec.kind = requester, app,
/// web2 or dataset): a piped secret marked for another kind fails with SecretKindMismatch, and -MarkedOnly pushes only
/// the secrets marked requester, so a whole vault can be piped safely.</para>
/// </remarks>
/// <example>
/// <code>Get-SecretInfo -Vault MyVault -Name x* | Push-IExecRequesterSecret</code>
/// <para>Pushes every secret of MyVault whose name starts with x, under the same name; values go from the vault to the
/// SMS without being typed.</para>
/// </example>
/// <example>
/// <code>Set-SecretInfo -Name x1 -Vault MyVault -Metadata @{ 'iexec.kind' = 'requester' }; Get-SecretInfo -Vault MyVault | Push-IExecRequesterSecret -MarkedOnly -SkipExisting</code>
/// <para>Marks x1 as a requester secret, then pipes the whole vault: only secrets marked iexec.kind = requester are
/// pushed; the wallet key, app secrets and anything unmarked stay in the vault.</para>
/// </example>
/// <example>
/// <code>Push-IExecRequesterSecret x1 -Value (Read-Host -AsSecureString) -Chain bellecour -SkipExisting</code>
/// <para>Asks for the value with a masked prompt and pushes it as x1 to the bellecour SCONE SMS; if x1 already exists
/// nothing is sent and the result says Skipped.</para>
/// </example>
/// <input type="Microsoft.PowerShell.SecretManagement.SecretInformation">
/// Microsoft.PowerShell.SecretManagement.SecretInformation (Name, VaultName) or any object with a Name property;
/// System.String names.
/// </input>
/// <output type="IExecSecrets.Output.IExecSecretPushResult">
/// IExecSecrets.Output.IExecSecretPushResult: Name, Kind, Owner, IsPushed, Skipped, Reconciled, SmsUrl.
/// </output>
[Cmdlet(VerbsCommon.Push, "IExecRequesterSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Push-IExecRequesterSecret.md")]
[OutputType(typeof(IExecSecretPushResult))]
public sealed class PushIExecRequesterSecretCommand : PushSecretCommandBase
{
    /// <summary>
    /// The SMS secret name, case-sensitive: 1 to 64 characters from A-Z, a-z, 0-9, - and _. Anything else fails with
    /// InvalidSecretName. Accepts the Name property of piped objects.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The vault secret that holds the value. Default: the SMS secret name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VaultSecretName { get; set; }

    /// <summary>
    /// Reports a secret that already exists with IsPushed = False and Skipped = True instead of an error, so runbooks
    /// can be re-run.
    /// </summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <inheritdoc />
    protected override string? VaultSecretNameToRead => VaultSecretName;

    /// <inheritdoc />
    protected override PushPlan Prepare(ConnectedWallet wallet)
    {
        SecretRules.EnsureValidName(Name);
        var name = Name;
        var owner = wallet.Address.ToString();
        var skipExisting = SkipExisting.IsPresent;
        return new PushPlan(name, IExecSecretKind.Requester, $"{name} for {owner}", async (sms, signer, value, cancellationToken) =>
        {
            try
            {
                var result = await sms.PushRequesterSecretAsync(signer, name, value, cancellationToken).ConfigureAwait(false);
                return new IExecSecretPushResult { Name = name, Kind = IExecSecretKind.Requester, Owner = owner, IsPushed = true, Reconciled = result.Reconciled, SmsUrl = sms.DisplayUrl };
            }
            catch (IExecException ex) when (skipExisting && ex.ErrorId == ErrorIds.SecretAlreadyExists)
            {
                return new IExecSecretPushResult { Name = name, Kind = IExecSecretKind.Requester, Owner = owner, IsPushed = false, Skipped = true, SmsUrl = sms.DisplayUrl };
            }
        });
    }
}
