using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Commands;

/// <summary>Tests whether a web2 secret is set on the iExec SMS.</summary>
/// <remarks>Asks the SMS whether the named web2 secret exists for an owner. Only a HEAD request is sent.</remarks>
/// <example>
/// <code>Test-IExecWeb2Secret iexec-result-encryption-public-key</code>
/// <para>Checks whether the connected wallet has a result encryption key on the SMS.</para>
/// </example>
/// <example>
/// <code>Test-IExecWeb2Secret my-token -Owner 0xFCAd0B19bB29D4674531d6f115237E16AfCE377c -Quiet</code>
/// <para>Writes True or False for another owner's web2 secret.</para>
/// </example>
/// <input type="System.String">System.String names, or objects with Name and Owner properties.</input>
/// <output type="IExecSecrets.Output.IExecSecretStatus">
/// IExecSecrets.Output.IExecSecretStatus, or System.Boolean with -Quiet.
/// </output>
[Cmdlet(VerbsDiagnostic.Test, "IExecWeb2Secret", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Test-IExecWeb2Secret.md")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecWeb2SecretCommand : TestSecretCommandBase
{
    /// <summary>The web2 secret name (case-insensitive on the SMS).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The owner address. Default: the connected wallet.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <inheritdoc />
    protected override CheckPlan Prepare()
    {
        SecretRules.EnsureValidWeb2Name(Name);
        var address = OwnerOrWallet(Owner, nameof(Owner));
        var owner = address.ToString();
        var name = Name;
        return new CheckPlan(name, IExecSecretKind.Web2, owner, null, $"{name} for {owner}", (sms, ct) => sms.Web2SecretExistsAsync(address, name, ct));
    }
}
