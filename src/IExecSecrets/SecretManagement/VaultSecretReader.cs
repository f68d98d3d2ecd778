using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.SecretManagement;

/// <summary>
/// Reads secrets from Microsoft.PowerShell.SecretManagement in the caller's runspace, so the vaults the user
/// registered (and unlocked) are the ones used. The module is resolved at run time by its module-qualified command
/// name: IExecSecrets imports without it, and fails with <see cref="ErrorIds.SecretManagementNotInstalled"/> only
/// when a vault is actually asked for.
/// </summary>
/// <remarks>
/// Accepted vault secret types, for a secret value: SecureString, string, byte[] (raw bytes), PSCredential (its
/// password) and Hashtable (its <c>Secret</c> or <c>Value</c> entry). Plaintext lands in byte buffers the caller
/// zeroes; the strings PowerShell itself hands over (plain string secrets) cannot be zeroed.
/// </remarks>
public sealed class VaultSecretReader
{
    /// <summary>Module-qualified so a same-named function or another module's Get-Secret can never answer.</summary>
    internal const string GetSecretCommand = "Microsoft.PowerShell.SecretManagement\\Get-Secret";

    /// <summary>Module-qualified Set-Secret, used by <c>New-IExecWallet -Vault</c>.</summary>
    internal const string SetSecretCommand = "Microsoft.PowerShell.SecretManagement\\Set-Secret";

    /// <summary>The Hashtable keys read as a secret value, in order of preference.</summary>
    public static readonly IReadOnlyList<string> ValueKeys = new[] { "Secret", "Value" };

    private readonly CommandInvocationIntrinsics _invokeCommand;

    /// <summary>Creates a reader over the calling cmdlet's command lookup (<c>PSCmdlet.InvokeCommand</c>).</summary>
    public VaultSecretReader(CommandInvocationIntrinsics invokeCommand)
    {
        _invokeCommand = invokeCommand ?? throw new ArgumentNullException(nameof(invokeCommand));
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.SecretManagementNotInstalled"/> unless SecretManagement's Get-Secret can be found
    /// (autoloading it from PSModulePath when needed).
    /// </summary>
    public void EnsureInstalled() => EnsureCommand(GetSecretCommand);

    /// <summary>
    /// Returns the raw object SecretManagement gives for <paramref name="name"/> (SecureString, string, byte[],
    /// PSCredential or Hashtable) from <paramref name="vault"/>, or from the registered vaults in SecretManagement's
    /// order when <paramref name="vault"/> is null.
    /// </summary>
    public object ReadObject(string name, string? vault)
    {
        EnsureCommand(GetSecretCommand);
        using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        powershell.AddCommand(GetSecretCommand).AddParameter("Name", name);
        if (!string.IsNullOrEmpty(vault))
        {
            powershell.AddParameter("Vault", vault);
        }

        var results = powershell.Invoke();
        if (powershell.Streams.Error.Count > 0)
        {
            var first = powershell.Streams.Error[0];
            if (first.FullyQualifiedErrorId.StartsWith("GetSecretNotFound", StringComparison.Ordinal)
                || first.CategoryInfo.Category == ErrorCategory.ObjectNotFound)
            {
                throw NotFound(name, vault);
            }

            throw new IExecException(
                ErrorIds.VaultReadFailed,
                IExecErrorCategory.ResourceUnavailable,
                $"SecretManagement could not read the secret '{name}'{VaultSuffix(vault)}: {first.Exception?.Message}",
                name);
        }

        var value = results.Count > 0 ? results[0]?.BaseObject : null;
        return value ?? throw NotFound(name, vault);
    }

    /// <summary>
    /// Reads <paramref name="name"/> and returns its value as bytes (UTF-8 for text) in a new buffer that the
    /// caller must zero.
    /// </summary>
    public byte[] ReadBytes(string name, string? vault) => ToBytes(ReadObject(name, vault), name);

    /// <summary>
    /// Converts a vault value to bytes: SecureString and string as UTF-8, byte[] as is (copied), PSCredential's
    /// password, Hashtable's <c>Secret</c>/<c>Value</c> entry. Other types fail with
    /// <see cref="ErrorIds.VaultSecretUnsupportedType"/>.
    /// </summary>
    public static byte[] ToBytes(object value, string name)
    {
        switch (value)
        {
            case PSObject wrapped:
                return ToBytes(wrapped.BaseObject, name);
            case SecureString secure:
                return SecureStrings.ToUtf8Bytes(secure);
            case string text:
                return SecureStrings.ToUtf8Bytes(text);
            case byte[] bytes:
                return (byte[])bytes.Clone();
            case PSCredential credential:
                return SecureStrings.ToUtf8Bytes(credential.Password);
            case NetworkCredential network:
                return SecureStrings.ToUtf8Bytes(network.SecurePassword);
            case Hashtable table:
                foreach (var key in ValueKeys)
                {
                    if (TryGetEntry(table, key, out var entry) && entry is not null)
                    {
                        return ToBytes(entry, name);
                    }
                }

                throw Unsupported(name, "a Hashtable without a 'Secret' or 'Value' entry");
            default:
                throw Unsupported(name, $"a value of type {value.GetType().Name}");
        }
    }

    /// <summary>Finds <paramref name="key"/> in a Hashtable ignoring case, whatever comparer the table was built with.</summary>
    public static bool TryGetEntry(Hashtable table, string key, out object? value)
    {
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string text && string.Equals(text, key, StringComparison.OrdinalIgnoreCase))
            {
                value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Zeroes <paramref name="buffer"/> when there is one; for finally blocks.</summary>
    public static void Zero(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private void EnsureCommand(string qualifiedName)
    {
        var command = _invokeCommand.GetCommand(qualifiedName, CommandTypes.Cmdlet | CommandTypes.Function);
        if (command is null)
        {
            throw new IExecException(
                ErrorIds.SecretManagementNotInstalled,
                IExecErrorCategory.NotInstalled,
                "The Microsoft.PowerShell.SecretManagement module is not installed, so secrets cannot be read from a vault.",
                "Microsoft.PowerShell.SecretManagement")
            {
                RecommendedAction = "Install it with 'Install-PSResource Microsoft.PowerShell.SecretManagement' (or 'Install-Module Microsoft.PowerShell.SecretManagement'), register a vault with Register-SecretVault, or pass the value with -Value.",
            };
        }
    }

    /// <summary>Throws unless SecretManagement's Set-Secret can be found.</summary>
    internal void EnsureWritable() => EnsureCommand(SetSecretCommand);

    private static IExecException NotFound(string name, string? vault) =>
        new(ErrorIds.VaultSecretNotFound, IExecErrorCategory.ObjectNotFound, $"The secret '{name}' was not found{VaultSuffix(vault)}.", name)
        {
            RecommendedAction = "Check the name with Get-SecretInfo, or store it first with Set-Secret.",
        };

    private static IExecException Unsupported(string name, string what) =>
        new(ErrorIds.VaultSecretUnsupportedType, IExecErrorCategory.InvalidData, $"The vault secret '{name}' is {what}; expected a SecureString, string, byte[], PSCredential or Hashtable with a 'Secret' or 'Value' entry.", name);

    private static string VaultSuffix(string? vault) => string.IsNullOrEmpty(vault) ? " in any registered vault" : $" in vault '{vault}'";
}
