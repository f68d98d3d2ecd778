using System.Management.Automation;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether a web2 secret is set on the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IExecWeb2Secret")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecWeb2SecretCommand : TestSecretCommandBase
{
    /// <summary>The web2 secret name to check (case-insensitive on the SMS).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The owner whose secret is checked; default the connected wallet.</summary>
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
