using System.Management.Automation;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Output;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether a requester secret is set on the iExec SMS.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IExecRequesterSecret")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecRequesterSecretCommand : TestSecretCommandBase
{
    /// <summary>The SMS secret name to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The requester whose secret is checked; default the connected wallet.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Owner")]
    [ValidateNotNullOrEmpty]
    public string? Requester { get; set; }

    /// <inheritdoc />
    protected override CheckPlan Prepare()
    {
        SecretRules.EnsureValidName(Name);
        var address = OwnerOrWallet(Requester, nameof(Requester));
        var owner = address.ToString();
        var name = Name;
        return new CheckPlan(name, IExecSecretKind.Requester, owner, null, $"{name} for {owner}", (sms, ct) => sms.RequesterSecretExistsAsync(address, name, ct));
    }
}
