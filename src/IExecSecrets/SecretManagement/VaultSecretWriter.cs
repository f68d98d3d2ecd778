using IExecSecrets.Core.Errors;

namespace IExecSecrets.SecretManagement;

/// <summary>
/// Stores a value in a Microsoft.PowerShell.SecretManagement vault through the module-qualified Set-Secret in the
/// caller's runspace, as a SecureString built from UTF-8 bytes the caller owns and zeroes: the value never becomes a
/// managed string. Used for the keys this module makes (a wallet key, a result decryption key, a dataset key), which
/// live only in the vault.
/// </summary>
internal sealed class VaultSecretWriter
{
    private readonly VaultSecretReader _reader;

    public VaultSecretWriter(CommandInvocationIntrinsics invokeCommand)
    {
        _reader = new VaultSecretReader(invokeCommand);
    }

    /// <summary>Throws <see cref="ErrorIds.SecretManagementNotInstalled"/> unless Set-Secret can be found.</summary>
    public void EnsureWritable() => _reader.EnsureWritable();

    /// <summary>
    /// Stores <paramref name="utf8"/> as <paramref name="name"/> in <paramref name="vault"/>. With
    /// <paramref name="noClobber"/> an existing secret of that name is left untouched and the write fails with
    /// <paramref name="existsErrorId"/>; a missing or locked vault and other refusals get the module's vault ids.
    /// </summary>
    public void Write(string vault, string name, ReadOnlySpan<byte> utf8, bool noClobber, string existsErrorId)
    {
        using var secure = SecureStrings.FromUtf8Bytes(utf8);
        using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        powershell.AddCommand(VaultSecretReader.SetSecretCommand)
            .AddParameter("Name", name)
            .AddParameter("SecureStringSecret", secure)
            .AddParameter("Vault", vault)
            .AddParameter("NoClobber", noClobber)
            .AddParameter("Confirm", false);
        var (_, errors) = VaultSecretReader.Invoke(powershell);
        if (errors.Count > 0)
        {
            // A taken name (NoClobber), a missing or locked vault: this module's id, never a raw terminating error.
            throw VaultSecretReader.MapFailure(errors, name, vault, writing: true, existsErrorId);
        }
    }
}
