using System.Collections;
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

    /// <summary>Module-qualified Get-SecretVault, to find SecretManagement's default vault.</summary>
    internal const string GetSecretVaultCommand = "Microsoft.PowerShell.SecretManagement\\Get-SecretVault";

    /// <summary>Module-qualified Set-Secret, used by <c>New-IExecWallet -Vault</c>.</summary>
    internal const string SetSecretCommand = "Microsoft.PowerShell.SecretManagement\\Set-Secret";

    /// <summary>The Hashtable keys read as a secret value, in order of preference.</summary>
    public static readonly IReadOnlyList<string> ValueKeys = new[] { "Secret", "Value" };

    /// <summary>The memo key of a read without -Vault (SecretManagement searches every vault).</summary>
    private const string AnyVault = "\0any";

    private readonly CommandInvocationIntrinsics _invokeCommand;

    // Vaults this reader found locked or refusing the password, with the error to give every later item of the same
    // command: SecretStore with Interaction=Prompt asks for the password on every Get-Secret while the store stays
    // locked, so a piped batch would prompt once per item. One prompt per vault per command; keep one reader per command.
    private readonly Dictionary<string, Func<string, IExecException>> _refusedVaults = new(StringComparer.OrdinalIgnoreCase);

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
    /// <remarks>
    /// A vault found locked, or whose password was refused at SecretStore's prompt, is not asked again by this reader:
    /// later reads from it fail with the same error id at once (one password prompt per vault per command).
    /// </remarks>
    public object ReadObject(string name, string? vault)
    {
        EnsureCommand(GetSecretCommand);
        var memoKey = string.IsNullOrEmpty(vault) ? AnyVault : vault;
        if (_refusedVaults.TryGetValue(memoKey, out var again))
        {
            throw again(name);
        }

        using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        powershell.AddCommand(GetSecretCommand).AddParameter("Name", name);
        if (!string.IsNullOrEmpty(vault))
        {
            powershell.AddParameter("Vault", vault);
        }

        var (results, errors) = Invoke(powershell);
        if (errors.Count > 0)
        {
            var failure = MapFailure(errors, name, vault, writing: false);
            if (failure.ErrorId is ErrorIds.VaultLocked or ErrorIds.VaultPasswordIncorrect)
            {
                var label = LockedVaultLabel(errors, vault);
                var incorrect = failure.ErrorId == ErrorIds.VaultPasswordIncorrect;
                _refusedVaults[memoKey] = other => incorrect ? PasswordIncorrect(label, other, writing: false) : Locked(label, other, writing: false);
            }

            throw failure;
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
    /// Turns SecretManagement's errors for one secret into this module's error: VaultPasswordIncorrect (SecretStore
    /// refused the password: "Store file integrity check failed", from its prompt or Unlock-SecretVault), VaultLocked
    /// (a SecretStore that needs its password and got none; both win over "not found", which a locked vault also
    /// causes), VaultNotFound (no vault of that name is registered), WalletAlreadyExists (Set-Secret -NoClobber on a
    /// taken name, when writing), VaultSecretNotFound, else VaultReadFailed / VaultWriteFailed with SecretManagement's
    /// message. The target is the vault secret name. <paramref name="existsErrorId"/> is the id of a taken name when
    /// writing (the wallet's, or VaultSecretExists).
    /// </summary>
    internal static IExecException MapFailure(IReadOnlyList<ErrorRecord> errors, string name, string? vault, bool writing, string existsErrorId = ErrorIds.WalletAlreadyExists)
    {
        // A refused password is told apart from a store nobody tried to unlock: the user needs "wrong password", not
        // "unlock it", and retrying the same password will not help.
        if (errors.Any(IsPasswordRefused))
        {
            return PasswordIncorrect(LockedVaultLabel(errors, vault), name, writing);
        }

        if (errors.Any(IsLocked))
        {
            return Locked(LockedVaultLabel(errors, vault), name, writing);
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

    private static IExecException Locked(string vault, string name, bool writing) =>
        new(ErrorIds.VaultLocked,
            $"The vault '{vault}' is locked, so the secret '{name}' could not be {(writing ? "stored" : "read")}.", name)
        {
            RecommendedAction = $"Unlock it with 'Unlock-SecretVault -Name {vault}' (or Unlock-SecretStore), then run the command again.",
        };

    private static IExecException PasswordIncorrect(string vault, string name, bool writing) =>
        new(ErrorIds.VaultPasswordIncorrect,
            $"The vault '{vault}' refused the password given for it, so the secret '{name}' could not be {(writing ? "stored" : "read")}.", name)
        {
            RecommendedAction = $"Check the vault password, unlock it with 'Unlock-SecretVault -Name {vault}' (or Unlock-SecretStore), then run the command again; if the password is right, the store files may be damaged.",
        };

    // The vault a locked or refused store is reported for: the one asked for, else the one SecretManagement named.
    private static string LockedVaultLabel(IReadOnlyList<ErrorRecord> errors, string? vault) =>
        !string.IsNullOrEmpty(vault) ? vault : errors.Select(VaultNamedIn).FirstOrDefault(v => v is not null) ?? "<vault>";

    // SecretStore 1.0.6 says "Store file integrity check failed" when a password does not open the store, whether it
    // came from its own prompt (Interaction=Prompt) or from Unlock-SecretVault (SecretStoreUnlockFailed).
    private static bool IsPasswordRefused(ErrorRecord record)
    {
        if (IdOf(record) == "SecretStoreUnlockFailed")
        {
            return true;
        }

        for (var ex = record.Exception; ex is not null; ex = ex.InnerException)
        {
            if (ex.Message.Contains("integrity check failed", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
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

    /// <summary>
    /// The name of the vault SecretManagement marks as its default (<c>Get-SecretVault</c>, <c>IsDefault</c>), or null
    /// when SecretManagement is not installed, no vault is registered or none is the default. For commands that need a
    /// value and were given neither -Vault nor a saved default vault; it never fails the command.
    /// </summary>
    public string? RegisteredDefaultVault()
    {
        if (_invokeCommand.GetCommand(GetSecretVaultCommand, CommandTypes.Cmdlet | CommandTypes.Function) is null)
        {
            return null;
        }

        using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        powershell.AddCommand(GetSecretVaultCommand).AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
        var (output, _) = Invoke(powershell);
        foreach (var vault in output)
        {
            if (vault?.Properties["IsDefault"]?.Value is true && vault.Properties["Name"]?.Value is string name && name.Length > 0)
            {
                return name;
            }
        }

        return null;
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
