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

        var (results, errors) = Invoke(powershell);
        if (errors.Count > 0)
        {
            throw MapFailure(errors, name, vault, writing: false);
        }

        var value = results.Count > 0 ? results[0]?.BaseObject : null;
        return value ?? throw NotFound(name, vault);
    }

    /// <summary>
    /// Runs a SecretManagement command and returns its output with every error it gave: the non-terminating ones of
    /// the error stream and the terminating one <c>Invoke()</c> throws (SecretManagement 1.1.2 throws
    /// GetSecretVaultNotFound, SetSecretCommandAlreadyExistsWithNoClobber and SecretStore's PasswordRequiredException),
    /// so one bad item becomes one error of this module instead of a raw exception that aborts a batch.
    /// </summary>
    internal static (IReadOnlyList<PSObject?> Output, List<ErrorRecord> Errors) Invoke(PowerShell powershell)
    {
        var errors = new List<ErrorRecord>();
        IReadOnlyList<PSObject?> output = [];
        try
        {
            output = powershell.Invoke();
        }
        catch (RuntimeException ex) when (ex is not PipelineStoppedException)
        {
            errors.Add(ex.ErrorRecord);
        }

        errors.InsertRange(0, powershell.Streams.Error);
        return (output, errors);
    }

    /// <summary>
    /// Turns SecretManagement's errors for one secret into this module's error: VaultLocked (a SecretStore that needs
    /// its password; wins over "not found", which a locked vault also causes), VaultNotFound (no vault of that name
    /// is registered), WalletAlreadyExists (Set-Secret -NoClobber on a taken name, when writing), VaultSecretNotFound,
    /// else VaultReadFailed / VaultWriteFailed with SecretManagement's message. The target is the vault secret name.
    /// <paramref name="existsErrorId"/> is the id of a taken name when writing (the wallet's, or VaultSecretExists).
    /// </summary>
    internal static IExecException MapFailure(IReadOnlyList<ErrorRecord> errors, string name, string? vault, bool writing, string existsErrorId = ErrorIds.WalletAlreadyExists)
    {
        var locked = errors.FirstOrDefault(IsLocked);
        if (locked is not null)
        {
            var lockedVault = vault ?? VaultNamedIn(locked) ?? "<vault>";
            return new IExecException(ErrorIds.VaultLocked,
                $"The vault '{lockedVault}' is locked, so the secret '{name}' could not be {(writing ? "stored" : "read")}.", name)
            {
                RecommendedAction = $"Unlock it with 'Unlock-SecretVault -Name {lockedVault}' (or Unlock-SecretStore), then run the command again.",
            };
        }

        var missingVault = errors.FirstOrDefault(e => IdOf(e).EndsWith("VaultNotFound", StringComparison.Ordinal));
        if (missingVault is not null)
        {
            var missing = vault ?? missingVault.TargetObject?.ToString() ?? "<vault>";
            return new IExecException(ErrorIds.VaultNotFound,
                $"No SecretManagement vault named '{missing}' is registered, so the secret '{name}' could not be {(writing ? "stored" : "read")}.", name)
            {
                RecommendedAction = "List the registered vaults with Get-SecretVault, or register it with Register-SecretVault.",
            };
        }

        var first = errors[0];
        if (writing)
        {
            var exists = errors.FirstOrDefault(e => e.CategoryInfo.Category == ErrorCategory.ResourceExists || IdOf(e).Contains("NoClobber", StringComparison.Ordinal));
            return exists is not null
                ? new IExecException(existsErrorId,
                    $"The vault {vault} already holds a secret named '{name}'; it was left untouched.", name)
                {
                    RecommendedAction = "Choose another -VaultSecretName, or remove the old secret with Remove-Secret first if it is no longer needed.",
                }
                : new IExecException(ErrorIds.VaultWriteFailed,
                    $"SecretManagement could not store '{name}' in vault {vault}: {first.Exception?.Message}", name);
        }

        if (errors.Any(e => IdOf(e) == "GetSecretNotFound" || e.CategoryInfo.Category == ErrorCategory.ObjectNotFound))
        {
            return NotFound(name, vault);
        }

        return new IExecException(
            ErrorIds.VaultReadFailed,
            $"SecretManagement could not read the secret '{name}'{VaultSuffix(vault)}: {first.Exception?.Message}",
            name);
    }

    // The error id without the ",Command" suffix PowerShell appends.
    private static string IdOf(ErrorRecord record)
    {
        var id = record.FullyQualifiedErrorId ?? string.Empty;
        var comma = id.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? id : id[..comma];
    }

    // SecretStore 1.0.6 reports a locked store as PasswordRequiredException, alone (terminating) or wrapped in
    // SecretManagement's GetSecretException; the exception type is matched by name, the module being optional.
    private static bool IsLocked(ErrorRecord record)
    {
        if (IdOf(record).Contains("PasswordRequired", StringComparison.Ordinal))
        {
            return true;
        }

        for (var ex = record.Exception; ex is not null; ex = ex.InnerException)
        {
            if (ex.GetType().Name == "PasswordRequiredException")
            {
                return true;
            }
        }

        return false;
    }

    // "Unable to get secret x from vault V": the vault a locked-store error names, when no -Vault was given.
    private static string? VaultNamedIn(ErrorRecord record)
    {
        var match = System.Text.RegularExpressions.Regex.Match(record.Exception?.Message ?? string.Empty, @"from vault '?([^'\s.]+)");
        return match.Success ? match.Groups[1].Value : null;
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
        new(ErrorIds.VaultSecretNotFound, $"The secret '{name}' was not found{VaultSuffix(vault)}.", name)
        {
            RecommendedAction = "Check the name with Get-SecretInfo, or store it first with Set-Secret.",
        };

    private static IExecException Unsupported(string name, string what) =>
        new(ErrorIds.VaultSecretUnsupportedType, $"The vault secret '{name}' is {what}; expected a SecureString, string, byte[], PSCredential or Hashtable with a 'Secret' or 'Value' entry.", name);

    private static string VaultSuffix(string? vault) => string.IsNullOrEmpty(vault) ? " in any registered vault" : $" in vault '{vault}'";
}
