using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Commands;

/// <summary>Tests whether a requester secret is set on the iExec SMS.</summary>
/// <remarks>
/// <para>Asks the SMS whether the named secret exists for a requester, like iexec requester check-secret. Only a HEAD
/// request is sent: nothing is signed and no value is read.</para>
/// <para>The requester defaults to the connected wallet's address; -Requester checks another address without any
/// wallet.</para>
/// </remarks>
/// <example>
/// <code>Test-IExecRequesterSecret x1</code>
/// <para>Writes whether x1 is set for the connected wallet, with the SMS that was asked.</para>
/// </example>
/// <example>
/// <code>if (-not (Test-IExecRequesterSecret x1 -Requester 0xFCAd0B19bB29D4674531d6f115237E16AfCE377c -Quiet)) { 'x1 is missing' }</code>
/// <para>Checks another requester's secret and uses the boolean in a condition.</para>
/// </example>
/// <input type="System.String">System.String names, or objects with Name and Requester (or Owner) properties.</input>
/// <output type="IExecSecrets.Output.IExecSecretStatus">
/// IExecSecrets.Output.IExecSecretStatus, or System.Boolean with -Quiet.
/// </output>
[Cmdlet(VerbsDiagnostic.Test, "IExecRequesterSecret", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Test-IExecRequesterSecret.md")]
[OutputType(typeof(IExecSecretStatus), typeof(bool))]
public sealed class TestIExecRequesterSecretCommand : TestSecretCommandBase
{
    /// <summary>The secret name to check. Accepts pipeline input and the Name property of piped objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The requester address whose secret is checked. Default: the connected wallet. A malformed address fails with
    /// InvalidAddress.
    /// </summary>
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
